/**
 * The engine's store port over PostgreSQL (PGlite or a server): every batch is one
 * transaction; upserts go in multi-row statements, deletes as one statement per kind, so a
 * batch of thousands of pods costs a handful of round trips.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { EngineObject, EngineStore, ObjectKind, Snapshot, WriteBatch } from "@/server/engine";
import { emptySnapshot } from "@/server/engine";
import type { Database } from "./client";
import { engineObject } from "./schema";

/** Rows per INSERT: 5 parameters each, well under Postgres' 65,535-parameter limit. */
const rowsPerStatement = 2_000;

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
      const upserts: (typeof engineObject.$inferInsert)[] = [];
      const deletes = new Map<string, string[]>();
      for (const op of batch.ops) {
        if (op.op === "upsert") {
          const o = op.object;
          upserts.push({ kind: o.kind, id: o.id, tenantId: o.tenantId, version: o.version, data: o });
        } else {
          const ids = deletes.get(op.kind) ?? [];
          ids.push(op.id);
          deletes.set(op.kind, ids);
        }
      }
      await db.transaction(async (tx) => {
        for (let i = 0; i < upserts.length; i += rowsPerStatement) {
          await tx
            .insert(engineObject)
            .values(upserts.slice(i, i + rowsPerStatement))
            .onConflictDoUpdate({
              target: [engineObject.kind, engineObject.id],
              set: { tenantId: sql`excluded.tenant_id`, version: sql`excluded.version`, data: sql`excluded.data` },
            });
        }
        for (const [kind, ids] of deletes) {
          for (let i = 0; i < ids.length; i += rowsPerStatement) {
            await tx.delete(engineObject).where(and(eq(engineObject.kind, kind), inArray(engineObject.id, ids.slice(i, i + rowsPerStatement))));
          }
        }
        for (const hook of hooks) await hook(tx as unknown as Database, batch);
      });
    },
  };
}
