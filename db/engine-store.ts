/**
 * The engine's store port over PostgreSQL (PGlite or a server): every batch is one
 * transaction; upserts go as one JSON array per statement (`jsonb_array_elements`), deletes
 * as an id array (`= any`), so a batch of thousands of pods costs a handful of statements
 * and no per-row SQL building. Events go to their own table (db/engine-event-rows.ts).
 */
import { sql } from "drizzle-orm";
import type { EngineEvent, EngineObject, EngineStore, ObjectKind, Snapshot, WriteBatch } from "@/server/engine";
import { emptySnapshot } from "@/server/engine";
import type { Database } from "./client";
import { deleteEvents, loadEvents, writeEvents } from "./engine-event-rows";
import { engineObject } from "./schema";

/** Rows per statement: bounds the size of one message to the server. */
const rowsPerStatement = 5_000;

/** Runs inside the commit's transaction: derived facts land with the objects or not at all. */
export type BatchHook = (tx: Database, batch: WriteBatch) => Promise<void>;

export function createDatabaseEngineStore(db: Database, hooks: BatchHook[] = []): EngineStore {
  return {
    async loadAll(): Promise<Snapshot> {
      const rows = await db
        .select({ kind: engineObject.kind, version: engineObject.version, data: engineObject.data })
        .from(engineObject);
      const snapshot = emptySnapshot() as Record<ObjectKind, EngineObject[]>;
      for (const row of rows) {
        const object = row.data as EngineObject;
        // Rows written before resource versions carry the revision only in their column.
        object.resourceVersion ??= row.version;
        snapshot[row.kind as ObjectKind]?.push(object);
      }
      snapshot.Event = await loadEvents(db);
      return snapshot as Snapshot;
    },

    async commit(batch: WriteBatch): Promise<void> {
      if (batch.ops.length === 0) return;
      const upserts: EngineObject[] = [];
      const events: { event: EngineEvent; created: boolean }[] = [];
      const deletes = new Map<ObjectKind, string[]>();
      for (const op of batch.ops) {
        if (op.op === "upsert") {
          if (op.object.kind === "Event") events.push({ event: op.object, created: op.created === true });
          else upserts.push(op.object);
        } else {
          const ids = deletes.get(op.kind) ?? [];
          ids.push(op.id);
          deletes.set(op.kind, ids);
        }
      }
      upserts.sort(byKey);
      events.sort((a, b) => byKey(a.event, b.event));
      await db.transaction(async (txHandle) => {
        const tx = txHandle as unknown as Database;
        for (let i = 0; i < upserts.length; i += rowsPerStatement)
          await upsertObjects(tx, upserts.slice(i, i + rowsPerStatement));
        await writeEvents(tx, events, rowsPerStatement);
        for (const [kind, ids] of deletes) {
          for (let i = 0; i < ids.length; i += rowsPerStatement) {
            const chunk = ids.slice(i, i + rowsPerStatement);
            if (kind === "Event") await deleteEvents(tx, chunk);
            else
              await tx.execute(
                sql`delete from engine_object where kind = ${kind} and id = any(${sql.param(chunk)}::text[])`,
              );
          }
        }
        for (const hook of hooks) await hook(tx, batch);
      });
    },
  };
}

/**
 * Primary-key order, so consecutive rows touch neighbouring pages. Measured on the seed
 * benchmark against the engine's order: two thirds of the updates stay on their heap page
 * (HOT: no new index entries) instead of a quarter, the table ends a third smaller and the
 * writes take about a tenth less time.
 */
function byKey(a: EngineObject, b: EngineObject): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The hot path of the engine (150,000 pods). The objects go as one JSON array, parsed once
 * by the database; the key columns are read back out of each object. An array of JSON texts
 * (`unnest($5::text[])`) cost escaping every body in JS and parsing it twice in the database
 * (array literal, then JSON): twice as slow on PGlite and on a server alike (bench:engine seed).
 */
async function upsertObjects(tx: Database, objects: EngineObject[]): Promise<void> {
  await tx.execute(sql`
    insert into engine_object (kind, id, tenant_id, version, data)
    select o->>'kind', o->>'id', o->>'tenantId', (o->>'resourceVersion')::int, o from jsonb_array_elements(${JSON.stringify(objects)}::jsonb) as o
    on conflict (kind, id) do update set tenant_id = excluded.tenant_id, version = excluded.version, data = excluded.data`);
}
