/**
 * The engine's objects (quotas, node pools, nodes, deployments, replica sets, pods, events),
 * one row per object, the object itself as JSONB. The engine defines the shapes
 * (server/engine/types.ts); this table only keys and indexes them.
 *
 * No foreign key to the tenant: the engine owns these rows' lifecycle and caches them in
 * memory, so a cascade would change rows under its cache. A tenant's objects are removed
 * through the engine.
 */
import { index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

export const engineObject = pgTable(
  "engine_object",
  {
    kind: text("kind").notNull(),
    id: text("id").notNull(),
    tenantId: text("tenant_id").notNull(),
    version: integer("version").notNull(),
    data: jsonb("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.id] }), index("engine_object_tenant_kind_idx").on(t.tenantId, t.kind)],
);
