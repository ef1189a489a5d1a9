/**
 * Migration 0012 (objects' bodies move into the change log) over a database made by the previous release
 * (migrations up to 0011): an object last written while the log existed already has its body there; one last
 * written before the log began (or compacted out of it) gets its body copied in, below the recorded compaction
 * mark, so a reader from before the mark re-lists instead of reading those copies as changes.
 */
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { EngineObject, TenantQuota } from "@/server/engine";
import { migrationsUpTo, openTestDatabase, removeMigrationCopies } from "@/server/testing/database";
import { createDatabaseEngineStore } from "./engine-store";
import { migrateDatabase } from "./migrate";

const quota = (id: string, resourceVersion: number): TenantQuota => ({
  kind: "Quota",
  id,
  tenantId: id,
  name: "tenant-quota",
  labels: {},
  annotations: {},
  generation: 1,
  createdAt: 0,
  pods: resourceVersion,
  resourceVersion,
});

afterAll(removeMigrationCopies);

describe("migration 0012 (objects' bodies in the change log) over the previous release", () => {
  it("keeps every object, logged or not, and marks where the complete log begins", async () => {
    const handle = await openTestDatabase({ migrations: migrationsUpTo(11) });
    try {
      // `old` was last written before the log began (revision 3); `logged` at revision 9, inside the log (9..10).
      const old = quota("old", 3);
      const logged = quota("logged", 9);
      for (const o of [old, logged])
        await handle.db.execute(sql`insert into engine_object (kind, id, tenant_id, version, data)
          values ('Quota', ${o.id}, ${o.tenantId}, ${o.resourceVersion}, ${JSON.stringify(o)}::jsonb)`);
      for (const [revision, o] of [
        [9, logged],
        [10, { ...quota("gone", 10) }],
      ] as const)
        await handle.db.execute(sql`insert into engine_change (revision, kind, id, namespace, name, tenant_id, type, object, at)
          values (${revision}, 'Quota', ${o.id}, null, ${o.name}, ${o.tenantId}, ${o.id === "gone" ? "DELETED" : "ADDED"}, ${JSON.stringify(o)}::jsonb, 1000)`);

      await migrateDatabase(handle);
      const store = createDatabaseEngineStore(handle.db);
      const snapshot = await store.loadAll();
      const byId = (objects: readonly EngineObject[]) => [...objects].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(byId(snapshot.Quota)).toEqual([logged, old]);
      expect(snapshot.revision).toBe(10);
      // The log is complete from revision 9: a reader from 8 gets both commits, not the copied body at 3.
      expect(await store.changesSince(7, 100)).toBe("gone");
      expect((await store.changesSince(8, 100)).valueOf()).toMatchObject([
        { revision: 9, type: "ADDED", object: { id: "logged" } },
        { revision: 10, type: "DELETED", object: { id: "gone" } },
      ]);

      // Writing on: the body moves with its key; compaction keeps the live bodies only.
      await store.commit({
        revision: 11,
        at: 2_000,
        ops: [{ op: "upsert", object: quota("old", 11), expectResourceVersion: 3 }],
      });
      expect(await store.compact(10_000, { ms: 0, changes: 0 })).toEqual({ oldestRevision: 11 });
      expect(byId((await store.loadAll()).Quota)).toEqual([logged, quota("old", 11)]);
      const left = await handle.db.execute(
        sql`select revision::int as revision, id from engine_change order by revision`,
      );
      expect((left as unknown as { rows: unknown[] }).rows).toEqual([
        { revision: 9, id: "logged" },
        { revision: 11, id: "old" },
      ]);
    } finally {
      await handle.close();
    }
  });
});
