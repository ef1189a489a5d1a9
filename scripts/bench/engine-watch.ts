/**
 * The `watch` scenario of the engine benchmark (scripts/bench/engine.ts).
 * 1,000 tenants × one deployment of 150 pods (150,000 pods) on the memory store (what is
 * measured is the watch fan-out, not the database), then 1,010 watches: one "*" per tenant
 * (the console's one subscription) and 10 cluster-wide (operators; 5 on Pod, 5 "*" with a
 * label selector). Churn: 2,000 pod writes per second of engine time (200 per 100 ms tick,
 * each a real command through commit and fan-out), for CHURN_S seconds of engine time.
 * delivery = wall time from the store's commit returning to the watch callback. A watch that
 * stops reading buffers up to STALL_BOUND events and is then closed (it would resume from its
 * last revision): its cost is that buffer, measured as the heap it releases.
 */
import { performance } from "node:perf_hooks";
import { createMemoryStore, type EngineConfig, type EngineStore, type Pod } from "@/server/engine";
import type { EngineCore } from "@/server/engine/core/core";
import type { Orchestrator } from "@/server/engine/api/orchestrator";
import type { WatchEvent } from "@/server/engine/watch/types";
import { heapAfterGc, inParallel, log, observe, percentile, round, settleOrWarn, tenantName } from "./lib";

/** The benchmark's white-box engine: the port for commands, the core for its write path and watch. */
export type OpenEngine = (
  store: EngineStore,
  config: Partial<EngineConfig>,
) => { engine: Orchestrator; core: EngineCore };

type Line = Record<string, unknown>;
const TENANTS = Number(process.env.BENCH_WATCH_TENANTS ?? 1000);
const REPLICAS = 150;
const CLUSTER_WATCHES = 10;
const CHANGES_PER_S = 2000;
const TICK_MS = 100;
const CHURN_S = Number(process.env.BENCH_WATCH_CHURN_S ?? 60);
const STALL_BOUND = 10_000;

export async function watchScenario(open: OpenEngine): Promise<Line> {
  const store = observe(createMemoryStore());
  const { engine, core } = open(store, { podEvents: false, settleQuantumMs: TICK_MS });
  await engine.start();
  const tenants = Array.from({ length: TENANTS }, (_, i) => tenantName(i));
  await inParallel(tenants, (t) =>
    engine.createNodePool(t, {
      name: "pool",
      machineType: "8c16g",
      minSize: 3,
      maxSize: 3,
      trimmedImage: true,
      staticIp: true,
    }),
  );
  await settleOrWarn(engine, "watch nodes");
  const template = {
    labels: { app: "web" },
    spec: {
      containers: [{ name: "app", image: "nginx:1.27", resources: { requests: { cpu: "100m", memory: "64Mi" } } }],
    },
  };
  await inParallel(tenants, (t) => engine.createDeployment(t, { name: "web", replicas: REPLICAS, template }));
  await settleOrWarn(engine, "watch pods");
  const pods: Pod[] = [...core.ctx.state.all("Pod")];
  log(
    `watch: ${pods.length} pods on ${core.ctx.state.count("Node")} nodes; opening ${TENANTS + CLUSTER_WATCHES} watches`,
  );

  // commit end (wall) per revision, and the delivery samples
  const committedAt = new Map<number, number>();
  store.onCommit = (batch, end) => {
    if (batch.revision !== undefined) committedAt.set(batch.revision, end);
  };
  let samples = new Float64Array(1 << 20);
  let n = 0;
  const sample = (e: WatchEvent) => {
    if (e.type === "BOOKMARK" || e.type === "ERROR") return;
    const t0 = committedAt.get(e.resourceVersion);
    if (t0 === undefined) return;
    if (n === samples.length) {
      const bigger = new Float64Array(samples.length * 2);
      bigger.set(samples);
      samples = bigger;
    }
    samples[n++] = performance.now() - t0;
  };

  const heap0 = heapAfterGc();
  const rv = core.currentRevision;
  const watches = tenants.map((t) => core.watch("*", { tenantId: t, resourceVersion: rv }, sample));
  for (let i = 0; i < CLUSTER_WATCHES; i++)
    watches.push(
      i < CLUSTER_WATCHES / 2
        ? core.watch("Pod", { resourceVersion: rv }, sample)
        : core.watch("*", { resourceVersion: rv, labelSelector: "app in (web,api)" }, sample),
    );
  const bytesPerWatcher = (heapAfterGc() - heap0) / watches.length;

  // the watch that stops reading: buffers up to STALL_BOUND, then is closed
  const buffer: { events: WatchEvent[] } = { events: [] };
  let stalledClosed = false;
  const stall = core.watch("Pod", { resourceVersion: rv }, (e) => {
    if (stalledClosed) return;
    buffer.events.push(e);
    if (buffer.events.length >= STALL_BOUND) {
      stalledClosed = true;
      stall.close();
    }
  });

  const ticks = Math.round((CHURN_S * 1000) / TICK_MS);
  const perTick = (CHANGES_PER_S * TICK_MS) / 1000;
  let cursor = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let tick = 0; tick < ticks; tick++) {
    await core.command(() => {
      for (let k = 0; k < perTick; k++) {
        const p = pods[cursor++ % pods.length] as Pod;
        const cur = core.ctx.state.get("Pod", p.id);
        if (cur) core.ctx.state.put({ ...cur, annotations: { "bench/churn": String(tick) } });
      }
    });
    await engine.runFor(TICK_MS);
    if (committedAt.size > 10_000) for (const k of [...committedAt.keys()].slice(0, 5_000)) committedAt.delete(k);
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const sorted = Array.from(samples.subarray(0, n)).sort((a, b) => a - b);

  const stalledEvents = buffer.events.length;
  const heapStalled = heapAfterGc();
  buffer.events = [];
  const stalledBytes = heapStalled - heapAfterGc();
  log(`watch: a stalled watch held ${stalledEvents} events, ${stalledBytes} bytes`);

  for (const w of watches) w.close();
  const line: Line = {
    scenario: "watch",
    pods: pods.length,
    watchers: watches.length,
    changes_per_s_engine: CHANGES_PER_S,
    churn_engine_s: CHURN_S,
    changes: ticks * perTick,
    deliveries: n,
    delivery_p50_ms: round(percentile(sorted, 50)),
    delivery_p99_ms: round(percentile(sorted, 99)),
    delivery_max_ms: round(sorted[sorted.length - 1]),
    bytes_per_watcher: Math.round(bytesPerWatcher),
    stalled_buffer_bound_events: STALL_BOUND,
    stalled_buffer_events: stalledEvents,
    stalled_closed: stalledClosed,
    stalled_buffer_bytes: Math.max(0, stalledBytes),
    watch_cache_changes: core.watches.oldestResumable > 0 ? core.changeLogWindow.changes : null,
    wall_s: round(wall),
    realtime_factor: round(CHURN_S / wall, 2),
    cpu_s: round((cpu.user + cpu.system) / 1e6),
    store: "memory",
  };
  await engine.stop();
  return line;
}
