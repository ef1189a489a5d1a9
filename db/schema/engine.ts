/**
 * The engine's objects (quotas, namespaces, node pools, nodes, deployments, replica sets,
 * pods), one narrow row per object naming the revision that last wrote it: the object itself
 * is that revision's row in the change log below (as kine keeps objects: the newest log row
 * per key is the object), so each write stores its body once. Events have their own table.
 *
 * No foreign key to the tenant: the engine owns these rows' lifecycle and caches them in
 * memory, so a cascade would change rows under its cache. A tenant's objects are removed
 * through the engine.
 */
import { bigint, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

export const engineObject = pgTable(
  "engine_object",
  {
    kind: text("kind").notNull(),
    id: text("id").notNull(),
    tenantId: text("tenant_id").notNull(),
    /** The object's resourceVersion: its body is `engine_change` at (revision = version, kind, id). */
    version: integer("version").notNull(),
  },
  // The primary key is the only index: the engine reads the table whole at start and
  // answers every query from its cache, so another index would only slow each write.
  (t) => [primaryKey({ columns: [t.kind, t.id] })],
);

/**
 * The engine's events, one row per event in plain columns. Events are most of what the
 * engine writes (seven per pod on its way to Running) and almost all are new rows, so they
 * get a narrow table that embedded PGlite fills by binary COPY: about half the cost of a
 * JSONB row (db/engine-event-rows.ts).
 */
export const engineEvent = pgTable(
  "engine_event",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    objectKind: text("object_kind").notNull(),
    objectName: text("object_name").notNull(),
    type: text("type").notNull(),
    reason: text("reason").notNull(),
    message: text("message").notNull(),
    count: integer("count").notNull(),
    firstTime: bigint("first_time", { mode: "number" }).notNull(),
    lastTime: bigint("last_time", { mode: "number" }).notNull(),
    version: integer("version").notNull(),
    /** Null only on rows written before namespaces (the migration fills it). */
    namespace: text("namespace"),
    objectNamespace: text("object_namespace"),
    objectUid: text("object_uid"),
  },
  // Events are not copied into the change log: a follower reads them here by the revision that last wrote them
  // (`version`), each at its latest count, the way Kubernetes aggregates events (db/engine-change-log.ts).
  (t) => [index("engine_event_version_idx").on(t.version)],
);

/**
 * The change log (as kine keeps one): one row per object written, all rows of a commit with
 * that commit's revision, written in the commit's own transaction (db/engine-change-log.ts).
 * `object` is the object after the change; for DELETED, its last state. Compaction deletes the
 * rows older than the engine's window except each live object's newest row (its body, which
 * `engine_object` points at); the newest revision is never compacted, so the log's maximum is
 * the store's revision even when the window holds nothing else.
 * `at` is the engine-clock time of the commit (epoch ms), what the window is measured in.
 */
export const engineChange = pgTable(
  "engine_change",
  {
    revision: bigint("revision", { mode: "number" }).notNull(),
    kind: text("kind").notNull(),
    id: text("id").notNull(),
    namespace: text("namespace"),
    name: text("name"),
    tenantId: text("tenant_id").notNull(),
    type: text("type").notNull(),
    object: text("object").notNull(),
    at: bigint("at", { mode: "number" }).notNull(),
  },
  // Revision first: changesSince reads a range of it and compaction deletes a prefix of it.
  (t) => [primaryKey({ columns: [t.revision, t.kind, t.id] })],
);

/**
 * Where compaction has reached (one row): below `oldest_revision` the log keeps only the live
 * objects' bodies, so a reader asking for changes from before it is told "gone".
 */
export const engineChangeCompaction = pgTable("engine_change_compaction", {
  id: integer("id").primaryKey().default(1),
  oldestRevision: bigint("oldest_revision", { mode: "number" }).notNull(),
});
