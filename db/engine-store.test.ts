import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { EngineEvent, TenantQuota } from "@/server/engine";
import { openTestDatabase } from "@/server/testing/database";
import type { DatabaseHandle } from "./client";
import { createDatabaseEngineStore } from "./engine-store";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle.close());

const quota = (tenantId: string, pods: number, version = 1): TenantQuota => ({
  kind: "Quota",
  id: tenantId,
  tenantId,
  pods,
  resourceVersion: version,
});
const event = (i: number, tenantId = "t1"): EngineEvent => ({
  kind: "Event",
  id: `e${i}`,
  tenantId,
  objectKind: "Pod",
  objectName: `p${i}`,
  type: "Normal",
  reason: "Scheduled",
  message: `pod ${i}`,
  count: 1,
  firstTime: i,
  lastTime: i,
  resourceVersion: 1,
});

describe("database engine store", () => {
  it("stores, replaces and deletes objects, and loads them back", async () => {
    const store = createDatabaseEngineStore(handle.db);
    await store.commit({
      ops: [
        { op: "upsert", object: quota("t1", 10) },
        { op: "upsert", object: event(1) },
      ],
    });
    await store.commit({
      ops: [
        { op: "upsert", object: quota("t1", 20, 2) },
        { op: "delete", kind: "Event", id: "e1", tenantId: "t1" },
      ],
    });
    const snapshot = await store.loadAll();
    expect(snapshot.Quota).toEqual([quota("t1", 20, 2)]);
    expect(snapshot.Event).toEqual([]);
  });

  it("keeps every character of an object and fills the key columns from it", async () => {
    const store = createDatabaseEngineStore(handle.db);
    const odd = { ...event(7, "t3"), message: 'quotes " \\ { } , [ ] and 中文 \n\t 😀' };
    await store.commit({
      ops: [
        { op: "upsert", object: odd },
        { op: "upsert", object: quota("t3", 5) },
      ],
    });
    expect((await store.loadAll()).Event.find((e) => e.id === "e7")).toEqual(odd);
    const changed = { ...odd, message: `${odd.message} again`, count: 2, lastTime: 99, resourceVersion: 3 };
    await store.commit({ ops: [{ op: "upsert", object: changed }] });
    expect((await store.loadAll()).Event.find((e) => e.id === "e7")).toEqual(changed);
    const objects = (await handle.db.execute(
      sql`select kind, id, tenant_id, version from engine_object where tenant_id = 't3'`,
    )) as unknown as { rows: unknown[] };
    expect(objects.rows).toEqual([{ kind: "Quota", id: "t3", tenant_id: "t3", version: 1 }]);
    const events = (await handle.db.execute(
      sql`select id, tenant_id, count, last_time, version from engine_event where tenant_id = 't3'`,
    )) as unknown as { rows: unknown[] };
    expect(events.rows).toEqual([{ id: "e7", tenant_id: "t3", count: 2, last_time: expect.anything(), version: 3 }]);
  });

  it("writes a new event once when its commit is replayed", async () => {
    const store = createDatabaseEngineStore(handle.db);
    const batch = {
      ops: [
        { op: "upsert" as const, object: event(8, "t4"), created: true },
        { op: "upsert" as const, object: event(9, "t4"), created: true },
      ],
    };
    await store.commit(batch);
    await store.commit(batch);
    const stored = (await store.loadAll()).Event.filter((e) => e.tenantId === "t4");
    expect(stored.sort((a, b) => a.id.localeCompare(b.id))).toEqual([event(8, "t4"), event(9, "t4")]);
  });

  it("treats a delete of a missing object as a no-op", async () => {
    const store = createDatabaseEngineStore(handle.db);
    await expect(
      store.commit({ ops: [{ op: "delete", kind: "Pod", id: "nope", tenantId: "t1" }] }),
    ).resolves.toBeUndefined();
  });

  it("applies a batch all or nothing", async () => {
    const store = createDatabaseEngineStore(handle.db);
    const broken = { ...event(3), tenantId: null } as unknown as EngineEvent; // violates NOT NULL
    await expect(
      store.commit({
        ops: [
          { op: "upsert", object: event(2) },
          { op: "upsert", object: broken },
        ],
      }),
    ).rejects.toThrow();
    expect((await store.loadAll()).Event.map((e) => e.id)).not.toContain("e2");
  });

  it("commits a batch larger than one statement", async () => {
    const store = createDatabaseEngineStore(handle.db);
    const ops = Array.from({ length: 4_500 }, (_, i) => ({ op: "upsert" as const, object: event(1000 + i, "t2") }));
    await store.commit({ ops });
    expect((await store.loadAll()).Event.filter((e) => e.tenantId === "t2")).toHaveLength(4_500);
    await store.commit({
      ops: ops.map((o) => ({ op: "delete" as const, kind: "Event" as const, id: o.object.id, tenantId: "t2" })),
    });
    expect((await store.loadAll()).Event.filter((e) => e.tenantId === "t2")).toHaveLength(0);
  });
});
