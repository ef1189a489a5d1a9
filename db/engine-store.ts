/**
 * The engine's store port over PostgreSQL (PGlite or a server): every batch is one
 * transaction; upserts and deletes go as array parameters (`unnest`, `= any`), so a batch of
 * thousands of pods costs a handful of statements and no per-row SQL building.
 */
import { sql } from "drizzle-orm";
import type { EngineObject, EngineStore, ObjectKind, Snapshot, WriteBatch } from "@/server/engine";
import { emptySnapshot } from "@/server/engine";
import type { Database } from "./client";
import { engineObject } from "./schema";

/** Rows per statement: bounds the size of one message to the server. */
const rowsPerStatement = 5_000;

/** Runs inside the commit's transaction: derived facts land with the objects or not at all. */
export type BatchHook = (tx: Database, batch: WriteBatch) => Promise<void>;

export function createDatabaseEngineStore(db: Database, hooks: BatchHook[] = []): EngineStore {
  return {
    async loadAll(): Promise<Snapshot> {
      const rows = await db.select({ kind: engineObject.kind, data: engineObject.data }).from(engineObject);
      const snapshot = emptySnapshot() as Record<ObjectKind, EngineObject[]>;
      for (const row of rows) snapshot[row.kind as ObjectKind]?.push(row.data as EngineObject);
      return snapshot as Snapshot;
    },

    async commit(batch: WriteBatch): Promise<void> {
      if (batch.ops.length === 0) return;
      const upserts = { kinds: [] as string[], ids: [] as string[], tenants: [] as string[], versions: [] as number[], bodies: [] as string[] };
      const deletes = new Map<string, string[]>();
      for (const op of batch.ops) {
        if (op.op === "upsert") {
          const o = op.object;
          upserts.kinds.push(o.kind);
          upserts.ids.push(o.id);
          upserts.tenants.push(o.tenantId);
          upserts.versions.push(o.version);
          upserts.bodies.push(JSON.stringify(o));
        } else {
          const ids = deletes.get(op.kind) ?? [];
          ids.push(op.id);
          deletes.set(op.kind, ids);
        }
      }
      await db.transaction(async (tx) => {
        // One statement per chunk with five array parameters, whatever the chunk's size:
        // the hot path of the engine (150,000 pods), so no per-row parameter building.
        for (let i = 0; i < upserts.ids.length; i += rowsPerStatement) {
          const slice = <T>(a: T[]) => sql.param(a.slice(i, i + rowsPerStatement));
          await tx.execute(sql`
            insert into engine_object (kind, id, tenant_id, version, data)
            select k, i, t, v, d::jsonb from unnest(${slice(upserts.kinds)}::text[], ${slice(upserts.ids)}::text[], ${slice(upserts.tenants)}::text[], ${slice(upserts.versions)}::int[], ${slice(upserts.bodies)}::text[]) as u(k, i, t, v, d)
            on conflict (kind, id) do update set tenant_id = excluded.tenant_id, version = excluded.version, data = excluded.data`);
        }
        for (const [kind, ids] of deletes) {
          for (let i = 0; i < ids.length; i += rowsPerStatement) {
            await tx.execute(sql`delete from engine_object where kind = ${kind} and id = any(${sql.param(ids.slice(i, i + rowsPerStatement))}::text[])`);
          }
        }
        for (const hook of hooks) await hook(tx as unknown as Database, batch);
      });
    },
  };
}
