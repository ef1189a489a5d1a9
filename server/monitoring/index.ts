/**
 * Monitoring: node agents collect cAdvisor-style samples every `intervalMs` of engine time
 * and push them in batches; the back end files them in PostgreSQL; rollup and retention
 * jobs run on the engine clock. Everything here is engine-clock driven, so tests and the
 * benchmark run it on a virtual clock.
 */
import type { Database } from "@/db/client";
import type { Clock, RuntimePort } from "../engine";
import type { Orchestrator } from "../engine/api/orchestrator";
import { createJobFaults } from "../job-faults";
import { createAlertEvaluator } from "./alerts";
import { createMonitoringBackend } from "./backend";
import { type AgentBatch, collectRound, createCollector } from "./collector";
import { type ContainerCounters, createContainerCounters } from "./counters";
import { createNetworkDropCounters, type NetworkDropCounters } from "./network-drop-counters";
import { createNetworkRuleHitCounters, type NetworkRuleHitCounters } from "./network-rule-hit-counters";
import { createPublicIpCounters, type PublicIpCounters } from "./public-ip-counters";
import { createHourRollupStream } from "./hour-stream";
import { createMinuteRollupStream } from "./minute-stream";
import { defaultRetention, runHourRollup, runMinuteRollup, scheduleJobs, type RetentionConfig } from "./jobs";

export interface MonitoringOptions {
  db: Database;
  engine: Orchestrator;
  runtime: RuntimePort;
  clock: Clock;
  intervalMs?: number;
  retention?: RetentionConfig;
  log?: (message: string, error?: unknown) => void;
}

export function createMonitoring(opts: MonitoringOptions) {
  const intervalMs = opts.intervalMs ?? 10_000;
  const log = opts.log ?? ((m: string, e?: unknown) => console.error(m, e ?? ""));
  const streams = { minutes: createMinuteRollupStream(opts.clock.now()), hours: createHourRollupStream() };
  const faults = createJobFaults();
  const backend = createMonitoringBackend(opts.db, log, streams.minutes);
  let jobsChain: Promise<void> = Promise.resolve();
  const runJob = (job: () => Promise<unknown>) => {
    jobsChain = jobsChain
      .then(() => backend.flush())
      .then(job)
      .then(() => undefined)
      .catch((error: unknown) => log("monitoring: a rollup or retention job failed (it will run again)", error));
    return jobsChain;
  };
  const landed = new Set<(tenantIds: ReadonlySet<string>, at: number) => void>();
  const counters = createContainerCounters();
  const networkCounters = createNetworkDropCounters();
  const ruleHitCounters = createNetworkRuleHitCounters();
  const publicIpCounters = createPublicIpCounters();
  const collector = createCollector({
    engine: opts.engine,
    runtime: opts.runtime,
    clock: opts.clock,
    intervalMs,
    counters,
    networkCounters,
    ruleHitCounters,
    publicIpCounters,
    push: (b) => void backend.ingest(b).then(() => tellLanded(b)),
    log,
  });
  /** After a round is written (or given up on: ingest logs and swallows failures), so a refetch finds it. */
  const tellLanded = (batches: AgentBatch[]) => {
    const first = batches[0];
    if (!first || landed.size === 0) return;
    const tenants = new Set(batches.map((b) => b.tenantId));
    for (const listener of landed) {
      try {
        listener(tenants, first.at);
      } catch (error) {
        log("monitoring: a samples listener failed", error);
      }
    }
  };
  const alerts = createAlertEvaluator(opts.db, opts.engine, intervalMs);
  const jobs = scheduleJobs({
    db: opts.db,
    clock: opts.clock,
    graceMs: intervalMs + 5_000,
    retention: opts.retention ?? defaultRetention,
    run: runJob,
    streams,
    faults,
    afterRollup: (now) => alerts.evaluate(now),
  });

  return {
    intervalMs,
    /** Cumulative counters since this process started collecting (what /api/metrics serves as `*_total`). */
    counters: {
      ofPod: counters.ofPod,
      dropsOfPod: networkCounters.dropsOfPod,
      hitsOfPod: ruleHitCounters.hitsOfPod,
      hitsOfGroup: ruleHitCounters.hitsOfGroup,
      publicIpsOfTenant: publicIpCounters.ofTenant,
    } as Pick<ContainerCounters, "ofPod"> &
      Pick<NetworkDropCounters, "dropsOfPod"> &
      Pick<NetworkRuleHitCounters, "hitsOfPod" | "hitsOfGroup"> & { publicIpsOfTenant: PublicIpCounters["ofTenant"] },
    /** The pod's traffic now, as the runtime's network model reports it (undefined without a network). */
    podTraffic: (podId: string) => opts.runtime.traffic?.(podId),
    /** The tenant's public IPs' traffic now (rates, blackhole), as the model reports it (empty without a network). */
    publicIpTraffic: (tenantId: string) =>
      (opts.runtime.publicIpTraffic?.() ?? []).filter((r) => r.tenantId === tenantId),
    /** Told after each collected round of samples is written, with the tenants it held (live console notes). */
    onSamples(listener: (tenantIds: ReadonlySet<string>, at: number) => void): () => void {
      landed.add(listener);
      return () => void landed.delete(listener);
    },
    start() {
      collector.start();
      jobs.start();
    },
    stop() {
      collector.stop();
      jobs.stop();
    },
    /** Wait until every queued write and job has finished. */
    async flush() {
      await backend.flush();
      await jobsChain;
    },
    /** Collect one round now (tests). */
    collectNow: () =>
      backend.ingest(
        collectRound({
          engine: opts.engine,
          runtime: opts.runtime,
          clock: opts.clock,
          intervalMs,
          counters,
          networkCounters,
          ruleHitCounters,
          publicIpCounters,
          log,
        }),
      ),
    /** Run the rollups now, as the minute job would (tests). */
    rollupNow: () =>
      runJob(async () => {
        await runMinuteRollup(opts.db, opts.clock.now(), intervalMs + 5_000, streams, faults);
        await runHourRollup(opts.db, streams, faults);
      }),
    /** Failure injection for the rollup jobs (tests). */
    faults,
    get samplesWritten() {
      return backend.samplesWritten;
    },
  };
}

export type Monitoring = ReturnType<typeof createMonitoring>;
