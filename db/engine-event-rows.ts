/**
 * The engine's events in the `engine_event` table (plain columns, see db/schema/engine.ts).
 *
 * New events (the batch says `created`: the engine has never committed them) go in by `bulkInsert`, which
 * is binary COPY on embedded PGlite. Should one exist already (a commit that succeeded but
 * reported a failure, then was replayed), it is the same event, so skipping it is right.
 * Changed events (a count that grew) are upserted from one JSON array per statement.
 */
import { and, gt, lte, sql } from "drizzle-orm";
import { EMPTY_MAP, type EngineEvent } from "@/server/engine";
import { type BulkTable, type BulkType, bulkInsert } from "./bulk-insert";
import type { Database } from "./client";
import { engineEvent } from "./schema";

/** Each column with how it is read from an event: one list, so names and values cannot drift apart. */
const columns: { name: string; type: BulkType; of: (e: EngineEvent) => string | number | null }[] = [
  { name: "id", type: "text", of: (e) => e.id },
  { name: "tenant_id", type: "text", of: (e) => e.tenantId },
  { name: "object_kind", type: "text", of: (e) => e.objectKind },
  { name: "object_name", type: "text", of: (e) => e.objectName },
  { name: "type", type: "text", of: (e) => e.type },
  { name: "reason", type: "text", of: (e) => e.reason },
  { name: "message", type: "text", of: (e) => e.message },
  { name: "count", type: "int4", of: (e) => e.count },
  { name: "first_time", type: "int8", of: (e) => e.firstTime },
  { name: "last_time", type: "int8", of: (e) => e.lastTime },
  { name: "version", type: "int4", of: (e) => e.resourceVersion },
  { name: "namespace", type: "text", of: (e) => e.namespace },
  { name: "object_namespace", type: "text", of: (e) => e.objectNamespace ?? null },
  { name: "object_uid", type: "text", of: (e) => e.objectUid ?? null },
];
const table: BulkTable = { name: "engine_event", columns: columns.map(({ name, type }) => ({ name, type })) };

export async function writeEvents(
  db: Database,
  events: { event: EngineEvent; created: boolean }[],
  rowsPerStatement: number,
): Promise<void> {
  const created = events.filter((e) => e.created).map((e) => e.event);
  const changed = events.filter((e) => !e.created).map((e) => e.event);
  for (let i = 0; i < created.length; i += rowsPerStatement)
    await insertNew(db, created.slice(i, i + rowsPerStatement));
  for (let i = 0; i < changed.length; i += rowsPerStatement) await upsert(db, changed.slice(i, i + rowsPerStatement));
}

export async function deleteEvents(db: Database, ids: string[]): Promise<void> {
  await db.execute(sql`delete from engine_event where id = any(${sql.param(ids)}::text[])`);
}

export async function loadEvents(db: Database): Promise<EngineEvent[]> {
  return (await db.select().from(engineEvent)).map(eventOfRow);
}

/** Events last written by a revision in (after, upTo]: what the change log leaves to this table. */
export async function eventsWrittenBetween(db: Database, after: number, upTo: number): Promise<EngineEvent[]> {
  const rows = await db
    .select()
    .from(engineEvent)
    .where(and(gt(engineEvent.version, after), lte(engineEvent.version, upTo)))
    .orderBy(engineEvent.version, engineEvent.id);
  return rows.map(eventOfRow);
}

/** An event's metadata beyond these columns is fixed (server/engine/core/events.ts): its name is its id, no labels. */
function eventOfRow(row: typeof engineEvent.$inferSelect): EngineEvent {
  const { version, namespace, objectNamespace, objectUid, ...r } = row;
  return {
    kind: "Event",
    ...r,
    name: r.id,
    namespace: namespace ?? "",
    ...(objectNamespace === null ? {} : { objectNamespace }),
    ...(objectUid === null ? {} : { objectUid }),
    labels: EMPTY_MAP,
    annotations: EMPTY_MAP,
    generation: 1,
    createdAt: r.firstTime,
    type: r.type as EngineEvent["type"],
    resourceVersion: version,
  };
}

async function insertNew(db: Database, events: EngineEvent[]): Promise<void> {
  await bulkInsert(
    db,
    table,
    columns.map((c) => events.map(c.of)),
  );
}

async function upsert(db: Database, events: EngineEvent[]): Promise<void> {
  const json = JSON.stringify(events);
  await db.execute(sql`
    insert into engine_event (id, tenant_id, object_kind, object_name, type, reason, message, count, first_time, last_time, version, namespace, object_namespace, object_uid)
    select e.id, e."tenantId", e."objectKind", e."objectName", e.type, e.reason, e.message, e.count, e."firstTime", e."lastTime", e."resourceVersion", e.namespace, e."objectNamespace", e."objectUid"
    from json_to_recordset(${json}::json) as e(id text, "tenantId" text, "objectKind" text, "objectName" text, type text, reason text, message text, count int, "firstTime" bigint, "lastTime" bigint, "resourceVersion" int, namespace text, "objectNamespace" text, "objectUid" text)
    on conflict (id) do update set tenant_id = excluded.tenant_id, object_kind = excluded.object_kind, object_name = excluded.object_name, type = excluded.type,
      reason = excluded.reason, message = excluded.message, count = excluded.count, first_time = excluded.first_time, last_time = excluded.last_time, version = excluded.version,
      namespace = excluded.namespace, object_namespace = excluded.object_namespace, object_uid = excluded.object_uid`);
}
