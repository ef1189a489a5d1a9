/**
 * Reading monitoring data for charts: a series for any level, metric and range, at a
 * resolution chosen from the range; the latest samples of given pods; the busiest pods.
 * Every read takes its scope explicitly: one tenant's rows, or (operators) every tenant's.
 */
import { sql } from "drizzle-orm";
import { SAMPLE_FIELDS } from "@/server/engine/runtime/workload-profile";
import type { Database } from "../client";
import type { Scope } from "../scope";
import { HOUR, MINUTE, type RollupLevel, type SampleField } from "./monitoring";

/** Counters are per-interval deltas: charted as a rate per second. Gauges are charted as averages. */
export const counterFields = new Set<SampleField>([
  "cpuThrottledMs",
  "diskReadBytes",
  "diskWriteBytes",
  "diskReadOps",
  "diskWriteOps",
  "netRxBytes",
  "netTxBytes",
  "netRxPackets",
  "netTxPackets",
  "netRxDrops",
  "netTxDrops",
]);

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const rawKey: Record<RollupLevel, string> = {
  container: "s.id::text",
  pod: "s.pod_id",
  revision: "s.replica_set_id",
  deployment: "s.deployment_id",
  tenant: "s.tenant_id",
  node: "s.node_id",
  cluster: "'cluster'",
};

export interface SeriesQuery {
  level: RollupLevel;
  key: string;
  /** Whose samples: one tenant's, or (operators) every tenant's. */
  scope: Scope;
  metric: SampleField;
  from: number;
  to: number;
  /** The raw sampling interval (for counter rates on raw data). */
  sampleIntervalMs: number;
}

export interface SeriesPoint {
  t: number;
  /** Average (gauges) or rate per second (counters) over the step. */
  value: number;
  /** Highest instantaneous total within the step (gauges; for counters the highest per-sample rate). */
  max: number;
}

/** The step for a range: raw 10 s up to 1 h, 1 min up to 6 h, 5 min up to 24 h, 1 h beyond. */
export function stepFor(spanMs: number, sampleIntervalMs: number): { source: "raw" | "1m" | "1h"; stepMs: number } {
  if (spanMs <= HOUR) return { source: "raw", stepMs: sampleIntervalMs };
  if (spanMs <= 6 * HOUR) return { source: "1m", stepMs: MINUTE };
  if (spanMs <= 24 * HOUR) return { source: "1m", stepMs: 5 * MINUTE };
  return { source: "1h", stepMs: HOUR };
}

export async function readSeries(db: Database, q: SeriesQuery): Promise<{ stepMs: number; points: SeriesPoint[] }> {
  const col = snake(q.metric);
  const counter = counterFields.has(q.metric);
  const { source, stepMs } = stepFor(q.to - q.from, q.sampleIntervalMs);
  const tenantFilter = q.scope.kind === "tenant" ? sql`and s.tenant_id = ${q.scope.tenantId}` : sql``;
  let rows: { t: string | number; value: string | number; max: string | number }[];
  if (source === "raw") {
    const perSecond = counter ? q.sampleIntervalMs / 1000 : 1;
    const result = await db.execute(sql`
      select m.at as t, sum(m.${sql.raw(col)}) / ${perSecond}::float8 as value, sum(m.${sql.raw(col)}) / ${perSecond}::float8 as max
      from metric_sample m join metric_series s on s.id = m.series_id
      where ${sql.raw(rawKey[q.level])} = ${q.key} and m.at > ${q.from} and m.at <= ${q.to} ${tenantFilter}
      group by m.at order by m.at`);
    rows = (result as unknown as { rows: typeof rows }).rows;
  } else {
    const resolution = source === "1m" ? MINUTE : HOUR;
    const step = sql.raw(String(stepMs));
    const tenantRollup = q.scope.kind === "tenant" ? sql`and tenant_id = ${q.scope.tenantId}` : sql``;
    const value = counter
      ? sql.raw(`sum(${col}_sum) / ${stepMs / 1000}`)
      : sql.raw(`sum(${col}_sum) / nullif(sum(points), 0)`);
    const max = counter ? sql.raw(`max(${col}_max) / ${q.sampleIntervalMs / 1000}`) : sql.raw(`max(${col}_max)`);
    const result = await db.execute(sql`
      select (bucket / ${step}) * ${step} as t, ${value} as value, ${max} as max
      from metric_rollup
      where level = ${q.level} and key = ${q.key} and resolution_ms = ${resolution} and bucket >= ${q.from} and bucket < ${q.to} ${tenantRollup}
      group by (bucket / ${step}) * ${step} order by 1`);
    rows = (result as unknown as { rows: typeof rows }).rows;
  }
  return {
    stepMs,
    points: rows.map((r) => ({ t: Number(r.t), value: Number(r.value ?? 0), max: Number(r.max ?? 0) })),
  };
}

export interface LatestSample {
  podId: string;
  podName: string;
  container: string;
  at: number;
  values: Record<SampleField, number>;
}

/** The newest raw sample of every container of the given pods (same tenant). */
export async function readLatestSamples(db: Database, tenantId: string, podIds: string[]): Promise<LatestSample[]> {
  if (podIds.length === 0) return [];
  const cols = sql.raw(SAMPLE_FIELDS.map((f) => `m.${snake(f)} as "${f}"`).join(", "));
  const result = await db.execute(sql`
    select distinct on (m.series_id) s.pod_id as "podId", s.pod_name as "podName", s.container, m.at, ${cols}
    from metric_sample m join metric_series s on s.id = m.series_id
    where s.tenant_id = ${tenantId} and s.pod_id = any(${sql.param(podIds)}::text[])
    order by m.series_id, m.at desc`);
  return (result as unknown as { rows: Record<string, unknown>[] }).rows.map((r) => ({
    podId: String(r.podId),
    podName: String(r.podName),
    container: String(r.container),
    at: Number(r.at),
    values: Object.fromEntries(SAMPLE_FIELDS.map((f) => [f, Number(r[f])])) as Record<SampleField, number>,
  }));
}

/** A tenant's busiest pods over its last complete minute, by average cpu or memory. */
export async function readTopPods(
  db: Database,
  tenantId: string,
  metric: "cpuMillis" | "memoryWorkingSetBytes",
  limit: number,
) {
  const col = snake(metric);
  // The tenant's own latest minute: the end of its index, not a scan of the cluster's newest rows.
  const ofTenant = (column: string) => sql`and ${sql.raw(column)} = ${tenantId}`;
  const result = await db.execute(sql`
    select r.key as "podId", r.tenant_id as "tenantId", (select s.pod_name from metric_series s where s.pod_id = r.key limit 1) as "podName",
           r.${sql.raw(col)}_sum / nullif(r.points, 0) as value
    from metric_rollup r
    where r.level = 'pod' and r.resolution_ms = ${MINUTE} ${ofTenant("r.tenant_id")}
      and r.bucket = (select max(bucket) from metric_rollup where level = 'pod' and resolution_ms = ${MINUTE} ${ofTenant("tenant_id")})
    order by value desc nulls last limit ${limit}`);
  return (
    result as unknown as { rows: { podId: string; tenantId: string; podName: string; value: string | number }[] }
  ).rows.map((r) => ({
    podId: r.podId,
    tenantId: r.tenantId,
    podName: r.podName,
    value: Number(r.value ?? 0),
  }));
}

/** The series id of a tenant's container, or null (another tenant's container is simply not found). */
export async function findContainerSeries(
  db: Database,
  tenantId: string,
  podId: string,
  container: string,
): Promise<number | null> {
  const result = await db.execute(
    sql`select id from metric_series where tenant_id = ${tenantId} and pod_id = ${podId} and container = ${container}`,
  );
  const row = (result as unknown as { rows: { id: number }[] }).rows[0];
  return row ? Number(row.id) : null;
}

/** Operators: tenants by average cpu over the last complete minute. */
export async function readBusiestTenants(db: Database, limit: number) {
  const result = await db.execute(sql`
    select r.key as "tenantId", r.cpu_millis_sum / nullif(r.points, 0) as cpu, r.memory_working_set_bytes_sum / nullif(r.points, 0) as memory
    from metric_rollup r
    where r.level = 'tenant' and r.resolution_ms = ${MINUTE}
      and r.bucket = (select max(bucket) from metric_rollup where level = 'tenant' and resolution_ms = ${MINUTE})
    order by cpu desc nulls last limit ${limit}`);
  return (
    result as unknown as { rows: { tenantId: string; cpu: string | number; memory: string | number }[] }
  ).rows.map((r) => ({
    tenantId: r.tenantId,
    cpuMillis: Number(r.cpu ?? 0),
    memoryBytes: Number(r.memory ?? 0),
  }));
}
