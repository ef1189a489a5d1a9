/**
 * bench:monitoring — ingest a modelled hour of 10 s samples for 30,000 containers into the
 * embedded database through the monitoring back end (one batch per node agent per round,
 * the minute rollups streamed and written as they would be; the hourly rollup timed apart),
 * then time the chart queries: a 24 h chart of
 * one replica set of 100 pods and a tenant overview. Prints one JSON line.
 *
 * Samples come from the same workload profiles the simulated runtime uses; containers are
 * synthetic (1,000 tenants × 30 pods, one tenant with a 100-pod replica set) so the figure
 * measures monitoring, not the engine. The 23 hours before the ingested hour are filled with
 * 1-minute rollups for the measured tenant, so the 24 h chart reads a full day.
 *
 *   npm run bench:monitoring [-- --containers 30000 --minutes 60]
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { MINUTE, type SeriesKey } from "@/db/queries/monitoring";
import { readSeries, readTopPods } from "@/db/queries/monitoring-read";
import { tenantScope } from "@/db/scope";
import { profileOf, sampleAt, type ContainerSpec } from "@/server/engine";
import { createMonitoringBackend } from "@/server/monitoring/backend";
import type { AgentBatch } from "@/server/monitoring/collector";
import { runHourRollup, runMinuteRollup } from "@/server/monitoring/jobs";
import { createHourRollupStream } from "@/server/monitoring/hour-stream";
import { createMinuteRollupStream } from "@/server/monitoring/minute-stream";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const containers = arg("containers", 30_000);
const minutes = arg("minutes", 60);
const intervalMs = 10_000;
const podsPerNode = 30;
const log = (...a: unknown[]) => console.error(`[bench:monitoring ${new Date().toISOString().slice(11, 19)}]`, ...a);

const profiles = ["steady", "periodic", "bursty", "leak"];
const specOf = (i: number): ContainerSpec => ({
  name: "app",
  image: "nginx:1.27",
  env: [
    { name: "SIM_PROFILE", value: profiles[i % 4] as string },
    { name: "SIM_CPU", value: String(100 + (i % 400)) },
  ],
  ports: [{ containerPort: 8080, protocol: "TCP" }],
  resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
});

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-monitoring-"));
  const handle = await openDatabase({ dataDir: dir });
  await migrateDatabase(handle);
  const db = handle.db;
  const start = Date.UTC(2026, 5, 2, 0, 0, 0);
  // As the product runs it: minute rollups streamed from the samples as they are written.
  const streams = { minutes: createMinuteRollupStream(start), hours: createHourRollupStream() };
  const backend = createMonitoringBackend(db, console.error, streams.minutes);

  // The fleet: tenant t0 runs the measured 100-pod replica set; the rest 30 pods each.
  const fleet: { key: SeriesKey; spec: ContainerSpec; profile: ReturnType<typeof profileOf> }[] = [];
  for (let i = 0; i < containers; i++) {
    const inRs = i < 100;
    const tenant = inRs ? "t0" : `t${1 + Math.floor((i - 100) / 30)}`;
    const spec = specOf(i);
    fleet.push({
      key: {
        tenantId: tenant,
        podId: `pod-${i}`,
        podName: inRs ? `web-5d8f7-${i}` : `app-${i}`,
        container: "app",
        replicaSetId: inRs ? "rs-web-1" : `rs-${tenant}`,
        revision: 1,
        deploymentId: inRs ? "dep-web" : `dep-${tenant}`,
        deploymentName: inRs ? "web" : "app",
        // A node holds only its own tenant's pods.
        nodeId: inRs ? `node-t0-${Math.floor(i / podsPerNode)}` : `node-${tenant}`,
      },
      spec,
      profile: profileOf(spec),
    });
  }

  // 23 hours of 1-minute rollups before the ingested hour, for the measured tenant's levels.
  const history = sql.raw(
    [
      "points",
      "cpu_millis",
      "cpu_throttled_ms",
      "memory_working_set_bytes",
      "memory_rss_bytes",
      "memory_limit_bytes",
      "disk_read_bytes",
      "disk_write_bytes",
      "disk_read_ops",
      "disk_write_ops",
      "tcp_established",
      "tcp_listen",
      "tcp_time_wait",
      "net_rx_bytes",
      "net_tx_bytes",
      "net_rx_packets",
      "net_tx_packets",
      "net_rx_drops",
      "net_tx_drops",
    ]
      .map((c, i) => (i === 0 ? "6" : `${c === "cpu_millis" ? 6 * 300 : 6 * 1000}, ${c === "cpu_millis" ? 320 : 1000}`))
      .join(", "),
  );
  for (const [level, key] of [
    ["revision", "rs-web-1"],
    ["deployment", "dep-web"],
    ["tenant", "t0"],
    ...Array.from({ length: 100 }, (_, i) => ["pod", `pod-${i}`]),
  ] as [string, string][]) {
    await db.execute(
      sql`insert into metric_rollup select ${level}, ${key}, 't0', ${MINUTE}, g, ${history} from generate_series(${start - 23 * 60 * MINUTE}::bigint, ${start - MINUTE}::bigint, ${MINUTE}::bigint) g`,
    );
  }

  log(
    `ingesting ${minutes} modelled minutes of ${containers} containers (${(containers * minutes * 6).toLocaleString()} samples)`,
  );
  const cpuBefore = process.cpuUsage();
  const wallStart = performance.now();
  let samples = 0;
  let rollupWall = 0;
  for (let round = 1; round <= minutes * 6; round++) {
    const at = start + round * intervalMs;
    const byNode = new Map<string, AgentBatch>();
    for (const c of fleet) {
      let batch = byNode.get(c.key.nodeId);
      if (!batch) {
        batch = { nodeId: c.key.nodeId, tenantId: c.key.tenantId, at, samples: [] };
        byNode.set(c.key.nodeId, batch);
      }
      batch.samples.push({ key: c.key, sample: sampleAt(c.profile, c.key.podId, start, at, intervalMs) });
    }
    await backend.ingest([...byNode.values()]);
    samples += containers;
    if (round % 6 === 0) {
      const r0 = performance.now();
      await runMinuteRollup(db, at + 6_000, intervalMs + 5_000, streams);
      await runHourRollup(db, streams); // as the job runs it: a no-op until an hour is final
      rollupWall += performance.now() - r0;
      if (round % 60 === 0)
        log(
          `${round / 6} min: ${samples.toLocaleString()} samples, ${(samples / ((performance.now() - wallStart) / 1000)).toFixed(0)}/s`,
        );
    }
  }
  const wallS = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // The hour closes once its last minute is final: timed apart (once an hour, streamed from the minute rows).
  await runMinuteRollup(db, start + minutes * MINUTE + intervalMs + 5_000, intervalMs + 5_000, streams);
  const h0 = performance.now();
  await runHourRollup(db, streams);
  const hourRollupS = (performance.now() - h0) / 1000;

  const end = start + minutes * MINUTE;
  const time = async (f: () => Promise<unknown>, n: number) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await f();
      ms.push(performance.now() - t);
    }
    return ms.sort((a, b) => a - b);
  };
  const chart = await time(
    () =>
      readSeries(db, {
        level: "revision",
        key: "rs-web-1",
        scope: tenantScope("t0"),
        metric: "cpuMillis",
        from: end - 24 * 60 * MINUTE,
        to: end,
        sampleIntervalMs: intervalMs,
      }),
    50,
  );
  const overview = await time(
    () =>
      Promise.all([
        readSeries(db, {
          level: "tenant",
          key: "t0",
          scope: tenantScope("t0"),
          metric: "cpuMillis",
          from: end - 60 * MINUTE,
          to: end,
          sampleIntervalMs: intervalMs,
        }),
        readSeries(db, {
          level: "tenant",
          key: "t0",
          scope: tenantScope("t0"),
          metric: "memoryWorkingSetBytes",
          from: end - 60 * MINUTE,
          to: end,
          sampleIntervalMs: intervalMs,
        }),
        readTopPods(db, "t0", "cpuMillis", 10),
      ]),
    50,
  );
  const all = [...chart, ...overview].sort((a, b) => a - b);
  const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] as number;
  const size = Number(
    (
      (await db.execute(sql`select pg_total_relation_size('metric_sample') as n`)) as unknown as {
        rows: { n: string }[];
      }
    ).rows[0]?.n ?? 0,
  );

  const line = {
    benchmark: "monitoring",
    database: "pglite",
    containers,
    modelled_minutes: minutes,
    samples,
    wall_s: +wallS.toFixed(2),
    // The ingest path (agents' batches to durable rows); the minute rollups run in the same
    // process and are reported apart, and together.
    samples_per_s: Math.round(samples / (wallS - rollupWall / 1000)),
    samples_per_s_with_rollups: Math.round(samples / wallS),
    rollup_s: +(rollupWall / 1000).toFixed(2),
    hour_rollup_s: +hourRollupS.toFixed(2),
    cpu_s_per_modelled_min: +((cpu.user + cpu.system) / 1e6 / minutes).toFixed(3),
    query_p50_ms: +pct(all, 50).toFixed(1),
    query_p99_ms: +pct(all, 99).toFixed(1),
    chart_24h_p99_ms: +pct(chart, 99).toFixed(1),
    overview_p99_ms: +pct(overview, 99).toFixed(1),
    db_bytes_per_sample: Math.round(size / samples),
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  log(
    `targets: ingest >= 30000 samples/s ${line.samples_per_s >= 30_000 ? "met" : "MISSED"} (with rollups ${line.samples_per_s_with_rollups}/s); chart p99 <= 200 ms ${line.query_p99_ms <= 200 ? "met" : "MISSED"}`,
  );
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
