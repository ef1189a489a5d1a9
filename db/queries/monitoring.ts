/**
 * Monitoring reads and writes. Raw samples go in with one bulk insert per push (binary COPY
 * on PGlite, `unnest` on a server; see bulk-insert.ts), replays are ignored by the key, and
 * a rollup bucket is either replaced whole with rows streamed by the back end or recomputed
 * from its source and upserted, so every job is idempotent.
 */
import { eq, sql } from "drizzle-orm";
import { SAMPLE_FIELDS, type ContainerSample } from "@/server/engine/runtime/workload-profile";
import { bulkInsert, type BulkTable } from "../bulk-insert";
import type { Database } from "../client";
import { metricSeries, monitoringCursor } from "../schema";

export type SampleField = (typeof SAMPLE_FIELDS)[number];
export const rollupLevels = ["container", "pod", "revision", "deployment", "tenant", "node", "cluster"] as const;
export type RollupLevel = (typeof rollupLevels)[number];
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const columns = SAMPLE_FIELDS.map(snake);

export interface SeriesKey {
  tenantId: string;
  podId: string;
  podName: string;
  container: string;
  replicaSetId?: string;
  revision?: number;
  deploymentId?: string;
  deploymentName?: string;
  nodeId: string;
}

/** Ids of the given containers' series, creating the missing ones (in chunks: a first round may name tens of thousands). */
export async function ensureSeries(db: Database, keys: SeriesKey[], firstSeen: number): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < keys.length; i += seriesPerStatement) {
    const chunk = keys.slice(i, i + seriesPerStatement);
    await db
      .insert(metricSeries)
      .values(
        chunk.map((k) => ({
          ...k,
          replicaSetId: k.replicaSetId ?? null,
          revision: k.revision ?? null,
          deploymentId: k.deploymentId ?? null,
          deploymentName: k.deploymentName ?? null,
          firstSeen,
        })),
      )
      .onConflictDoNothing();
  }
  const podIds = [...new Set(keys.map((k) => k.podId))];
  const result = await db.execute(
    sql`select id, pod_id, container from metric_series where pod_id = any(${sql.param(podIds)}::text[])`,
  );
  for (const r of (result as unknown as { rows: { id: number; pod_id: string; container: string }[] }).rows)
    ids.set(`${r.pod_id}/${r.container}`, Number(r.id));
  return ids;
}

/** Series rows per INSERT: 11 parameters each, far below Postgres' 65,535. */
const seriesPerStatement = 1_000;

export interface SampleRow {
  seriesId: number;
  at: number;
  sample: ContainerSample;
}

const sampleTable: BulkTable = {
  name: "metric_sample",
  columns: [
    { name: "series_id", type: "int4" },
    { name: "at", type: "int8" },
    ...columns.map((name) => ({ name, type: "float8" as const })),
  ],
};

/** Writes raw samples; a replayed (series, instant) is skipped. Returns how many were new. */
export async function insertSamples(db: Database, rows: SampleRow[]): Promise<number> {
  return bulkInsert(db, sampleTable, [
    rows.map((r) => r.seriesId),
    rows.map((r) => r.at),
    ...SAMPLE_FIELDS.map((f) => rows.map((r) => r.sample[f])),
  ]);
}

/**
 * The grouping column of each level (a series row `s`); one GROUPING SETS scan computes
 * every level at once. Levels whose column is null for a series (a bare pod has no
 * revision or deployment) are dropped from that level.
 */
const levelColumn: [RollupLevel, string | null][] = [
  ["container", "s.id::text"],
  ["pod", "s.pod_id"],
  ["revision", "s.replica_set_id"],
  ["deployment", "s.deployment_id"],
  ["node", "s.node_id"],
  ["tenant", "s.tenant_id"],
  ["cluster", null],
];

const upsertSet = sql.raw(
  ["points", ...columns.flatMap((c) => [`${c}_sum`, `${c}_max`])].map((c) => `${c} = excluded.${c}`).join(", "),
);
const rollupColumns = sql.raw(columns.flatMap((c) => [`${c}_sum`, `${c}_max`]).join(", "));

/**
 * 1-minute rollups of raw samples with `at` in [from, to), at every level: the level's total
 * at each sample instant, then per minute its sum over instants and its maximum.
 */
export async function rollupMinutes(db: Database, from: number, to: number): Promise<void> {
  const grouped = levelColumn.filter(([, c]) => c !== null).map(([, c]) => c as string);
  const levelCase = sql.raw(
    `case ${levelColumn
      .filter(([, c]) => c !== null)
      .map(([level, c]) => `when grouping(${c}) = 0 then '${level}'`)
      .join(" ")} else 'cluster' end`,
  );
  const keyCase = sql.raw(
    `case ${grouped.map((c) => `when grouping(${c}) = 0 then ${c}`).join(" ")} else 'cluster' end`,
  );
  const sets = sql.raw(`grouping sets (${[...grouped.map((c) => `(${c}, m.at)`), "(m.at)"].join(", ")})`);
  const inner = sql.raw(columns.map((c) => `sum(m.${c}) as ${c}`).join(", "));
  const outer = sql.raw(columns.map((c) => `sum(x.${c}), max(x.${c})`).join(", "));
  const minute = sql.raw(String(MINUTE));
  await db.execute(sql`
    insert into metric_rollup (level, key, tenant_id, resolution_ms, bucket, points, ${rollupColumns})
    select x.level, x.k, x.t, ${MINUTE}, (x.at / ${minute}) * ${minute}, count(*)::int, ${outer}
    from (
      -- The cluster row has no tenant; every other level belongs to exactly one.
      select ${levelCase} as level, ${keyCase} as k, case when ${levelCase} = 'cluster' then null else max(s.tenant_id) end as t, m.at, ${inner}
      from metric_sample m join metric_series s on s.id = m.series_id
      where m.at >= ${from} and m.at < ${to}
      group by ${sets}
    ) x
    where x.k is not null
    group by x.level, x.k, x.t, (x.at / ${minute}) * ${minute}
    on conflict (level, key, resolution_ms, bucket) do update set ${upsertSet}`);
}

/** One finished rollup row (of a minute or an hour), as the streaming rollups compute it. */
export interface RollupRow {
  level: RollupLevel;
  key: string;
  /** Null only for the cluster level. */
  tenantId: string | null;
  bucket: number;
  points: number;
  /** Per field of SAMPLE_FIELDS, in order. */
  sums: ArrayLike<number>;
  maxs: ArrayLike<number>;
}

const rollupTable: BulkTable = {
  name: "metric_rollup",
  columns: [
    { name: "level", type: "text" },
    { name: "key", type: "text" },
    { name: "tenant_id", type: "text" },
    { name: "resolution_ms", type: "int4" },
    { name: "bucket", type: "int8" },
    { name: "points", type: "int4" },
    ...columns.flatMap((c) => [
      { name: `${c}_sum`, type: "float8" as const },
      { name: `${c}_max`, type: "float8" as const },
    ]),
  ],
};

/** Replaces one bucket's rollups at every level with the given rows (streamed, not recomputed). */
export async function replaceRollups(
  db: Database,
  resolutionMs: number,
  bucket: number,
  rows: readonly RollupRow[],
): Promise<void> {
  await db.execute(sql`delete from metric_rollup where resolution_ms = ${resolutionMs} and bucket = ${bucket}`);
  await bulkInsert(db, rollupTable, [
    rows.map((r) => r.level),
    rows.map((r) => r.key),
    rows.map((r) => r.tenantId),
    rows.map(() => resolutionMs),
    rows.map((r) => r.bucket),
    rows.map((r) => r.points),
    ...SAMPLE_FIELDS.flatMap((_, f) => [rows.map((r) => r.sums[f] as number), rows.map((r) => r.maxs[f] as number)]),
  ]);
}

/** 1-hour rollups from the 1-minute ones with buckets in [from, to). */
export async function rollupHours(db: Database, from: number, to: number): Promise<void> {
  const agg = sql.raw(columns.map((c) => `sum(${c}_sum), max(${c}_max)`).join(", "));
  // A literal, not a parameter: GROUP BY must see the very expression the SELECT uses.
  const hour = sql.raw(String(HOUR));
  await db.execute(sql`
    insert into metric_rollup (level, key, tenant_id, resolution_ms, bucket, points, ${rollupColumns})
    select level, key, tenant_id, ${HOUR}, (bucket / ${hour}) * ${hour}, sum(points)::int, ${agg}
    from metric_rollup
    where resolution_ms = ${MINUTE} and bucket >= ${from} and bucket < ${to}
    group by level, key, tenant_id, (bucket / ${hour}) * ${hour}
    on conflict (level, key, resolution_ms, bucket) do update set ${upsertSet}`);
}

export async function readCursor(db: Database, name: string): Promise<number | null> {
  const [row] = await db
    .select({ value: monitoringCursor.value })
    .from(monitoringCursor)
    .where(eq(monitoringCursor.name, name));
  return row?.value ?? null;
}

export async function writeCursor(db: Database, name: string, value: number): Promise<void> {
  await db
    .insert(monitoringCursor)
    .values({ name, value })
    .onConflictDoUpdate({ target: monitoringCursor.name, set: { value } });
}

export async function earliestSampleAt(db: Database): Promise<number | null> {
  const rows = await db.execute(sql`select min(at)::bigint as at from metric_sample`);
  const at = (rows as unknown as { rows: { at: string | number | null }[] }).rows[0]?.at;
  return at === null || at === undefined ? null : Number(at);
}

export async function deleteOlderThan(
  db: Database,
  cutoffs: { rawBefore: number; minuteBefore: number; hourBefore: number },
) {
  await db.execute(sql`delete from metric_sample where at < ${cutoffs.rawBefore}`);
  await db.execute(sql`delete from metric_rollup where resolution_ms = ${MINUTE} and bucket < ${cutoffs.minuteBefore}`);
  await db.execute(sql`delete from metric_rollup where resolution_ms = ${HOUR} and bucket < ${cutoffs.hourBefore}`);
}
