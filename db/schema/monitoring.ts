/**
 * Monitoring storage. `metric_series` names every container ever sampled with its place in
 * the hierarchy (pod, revision, deployment, tenant, node); `metric_sample` holds raw 10 s
 * samples (hours); `metric_rollup` holds 1-minute and 1-hour aggregates at every level
 * (days, months). For each metric a rollup keeps the sum over sample instants of the
 * level's total and its maximum, so averages (sum / points), maxima and rates
 * (counter sum / bucket seconds) all come out exact.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { SAMPLE_FIELDS } from "@/server/engine/runtime/workload-profile";

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const metricSeries = pgTable(
  "metric_series",
  {
    id: serial("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    podId: text("pod_id").notNull(),
    podName: text("pod_name").notNull(),
    container: text("container").notNull(),
    replicaSetId: text("replica_set_id"),
    revision: integer("revision"),
    deploymentId: text("deployment_id"),
    deploymentName: text("deployment_name"),
    nodeId: text("node_id").notNull(),
    firstSeen: bigint("first_seen", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("metric_series_pod_container_uq").on(t.podId, t.container),
    index("metric_series_tenant_idx").on(t.tenantId),
  ],
);

const sampleColumns = Object.fromEntries(SAMPLE_FIELDS.map((f) => [f, doublePrecision(snake(f)).notNull()])) as Record<
  (typeof SAMPLE_FIELDS)[number],
  ReturnType<typeof doublePrecision>
>;

export const metricSample = pgTable(
  "metric_sample",
  {
    seriesId: integer("series_id").notNull(),
    /** End of the sampled interval, ms since the epoch (engine clock). */
    at: bigint("at", { mode: "number" }).notNull(),
    ...sampleColumns,
  },
  // The key makes a replayed push a no-op.
  (t) => [primaryKey({ columns: [t.seriesId, t.at] }), index("metric_sample_at_idx").on(t.at)],
);

const rollupColumns = Object.fromEntries(
  SAMPLE_FIELDS.flatMap((f) => [
    [`${f}Sum`, doublePrecision(`${snake(f)}_sum`).notNull()],
    [`${f}Max`, doublePrecision(`${snake(f)}_max`).notNull()],
  ]),
) as Record<`${(typeof SAMPLE_FIELDS)[number]}${"Sum" | "Max"}`, ReturnType<typeof doublePrecision>>;

export const metricRollup = pgTable(
  "metric_rollup",
  {
    /** container | pod | revision | deployment | tenant | node | cluster */
    level: text("level").notNull(),
    key: text("key").notNull(),
    /** Null only for the cluster level. */
    tenantId: text("tenant_id"),
    resolutionMs: integer("resolution_ms").notNull(),
    bucket: bigint("bucket", { mode: "number" }).notNull(),
    /** Sample instants that fell in the bucket. */
    points: integer("points").notNull(),
    ...rollupColumns,
  },
  (t) => [
    primaryKey({ columns: [t.level, t.key, t.resolutionMs, t.bucket] }),
    // Top pods of a tenant; pods only, so the other levels' rows (most of them) skip its upkeep.
    index("metric_rollup_pod_tenant_idx").on(t.tenantId, t.resolutionMs, t.bucket).where(sql`${t.level} = 'pod'`),
    index("metric_rollup_bucket_idx").on(t.resolutionMs, t.bucket),
  ],
);

/** Durable progress of the rollup jobs: the next bucket each job will compute. */
export const monitoringCursor = pgTable("monitoring_cursor", {
  name: text("name").primaryKey(),
  value: bigint("value", { mode: "number" }).notNull(),
});

/** Per-deployment threshold rules evaluated every minute on the engine clock. */
export const alertRule = pgTable(
  "alert_rule",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    deploymentId: text("deployment_id").notNull(),
    deploymentName: text("deployment_name").notNull(),
    /** cpu_over_request (percent) | memory_over_limit (percent) | restarts (count) */
    kind: text("kind").notNull(),
    threshold: doublePrecision("threshold").notNull(),
    forSeconds: integer("for_seconds").notNull(),
    /** When the condition started to hold (ms), null when it does not. */
    pendingSince: bigint("pending_since", { mode: "number" }),
    firing: integer("firing").notNull().default(0),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("alert_rule_tenant_idx").on(t.tenantId)],
);
