/**
 * The engine's objects (quotas, node pools, nodes, deployments, replica sets, pods), one
 * row per object, the object itself as JSONB; events have their own table below. The
 * engine defines the shapes (server/engine/types.ts); this table only keys them.
 *
 * No foreign key to the tenant: the engine owns these rows' lifecycle and caches them in
 * memory, so a cascade would change rows under its cache. A tenant's objects are removed
 * through the engine.
 */
import { bigint, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

export const engineObject = pgTable(
  "engine_object",
  {
    kind: text("kind").notNull(),
    id: text("id").notNull(),
    tenantId: text("tenant_id").notNull(),
    version: integer("version").notNull(),
    data: jsonb("data").notNull(),
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
export const engineEvent = pgTable("engine_event", {
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
});
