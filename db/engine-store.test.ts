import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import type { EngineEvent, TenantQuota } from "@/server/engine";
import { createEngine } from "@/server/engine/api/engine";
import { createVirtualClock } from "@/server/engine/queue/clock";
import { createRng } from "@/server/engine/queue/rng";
import { webDeployment } from "@/server/engine/test-kit";
import type { WatchEvent } from "@/server/engine/watch/types";
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
  name: "tenant-quota",
  labels: {},
  annotations: {},
  generation: 1,
  createdAt: 0,
  pods,
  resourceVersion: version,
});
const event = (i: number, tenantId = "t1"): EngineEvent => ({
  kind: "Event",
  id: `e${i}`,
  name: `e${i}`,
  namespace: tenantId,
  labels: {},
  annotations: {},
  generation: 1,
  createdAt: i,
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

describe("database engine store: conditional commits and the change log", () => {
  const rows = async (q: ReturnType<typeof sql>) =>
    ((await handle.db.execute(q)) as unknown as { rows: Record<string, unknown>[] }).rows;

  it("refuses a stale update with CONFLICT and commits nothing of the batch", async () => {
    const store = createDatabaseEngineStore(handle.db);
    await store.commit({
      ops: [{ op: "upsert", object: quota("c1", 1, 101), expectResourceVersion: 0 }],
      revision: 101,
    });
    await store.commit({
      ops: [{ op: "upsert", object: quota("c1", 2, 102), expectResourceVersion: 101 }],
      revision: 102,
    });
    const stale = store.commit({
      ops: [
        { op: "upsert", object: quota("c2", 9, 103), expectResourceVersion: 0 },
        { op: "upsert", object: event(103, "c2"), created: true },
        { op: "upsert", object: quota("c1", 3, 103), expectResourceVersion: 101 },
      ],
      revision: 103,
    });
    await expect(stale).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining('"c1"') });
    const s = await store.loadAll();
    expect(s.Quota.filter((q) => q.id.startsWith("c"))).toEqual([quota("c1", 2, 102)]);
    expect(s.Event.find((e) => e.id === "e103")).toBeUndefined();
    expect(await rows(sql`select revision from engine_change where revision = 103`)).toEqual([]);
    // Creating what exists, and deleting what changed since, are stale too.
    await expect(
      store.commit({ ops: [{ op: "upsert", object: quota("c1", 5, 103), expectResourceVersion: 0 }], revision: 103 }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      store.commit({
        ops: [{ op: "delete", kind: "Quota", id: "c1", tenantId: "c1", expectResourceVersion: 101 }],
        revision: 103,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await store.loadAll()).Quota.find((q) => q.id === "c1")).toEqual(quota("c1", 2, 102));
  });

  it("writes one log row per op with the batch's revision, in the commit's transaction", async () => {
    const store = createDatabaseEngineStore(handle.db);
    const base = (await store.currentRevision()) + 1;
    await store.commit({
      ops: [
        { op: "upsert", object: quota("l1", 1, base), created: true, expectResourceVersion: 0 },
        { op: "upsert", object: { ...event(500, "l1"), resourceVersion: base }, created: true },
      ],
      revision: base,
      at: 1_000,
    });
    await store.commit({
      ops: [
        { op: "upsert", object: quota("l1", 2, base + 1), expectResourceVersion: base },
        {
          op: "delete",
          kind: "Event",
          id: "e500",
          tenantId: "l1",
          object: { ...event(500, "l1"), resourceVersion: base },
        },
      ],
      revision: base + 1,
      at: 2_000,
    });
    expect(
      await rows(
        sql`select revision::int as revision, kind, id, tenant_id, type, at::int as at from engine_change where tenant_id = 'l1' order by revision, kind`,
      ),
    ).toEqual([
      // A new or counted-up event has no log row: changesSince reads it from engine_event by its revision.
      { revision: base, kind: "Quota", id: "l1", tenant_id: "l1", type: "ADDED", at: 1000 },
      { revision: base + 1, kind: "Event", id: "e500", tenant_id: "l1", type: "DELETED", at: 2000 },
      { revision: base + 1, kind: "Quota", id: "l1", tenant_id: "l1", type: "MODIFIED", at: 2000 },
    ]);
    const first = await store.changesSince(base - 1, 100);
    expect(first).not.toBe("gone");
    expect((first as Exclude<typeof first, "gone">).map((c) => [c.revision, c.type, c.object.id])).toEqual([
      [base, "ADDED", "l1"],
      [base + 1, "DELETED", "e500"],
      [base + 1, "MODIFIED", "l1"],
    ]);
    await store.commit({
      ops: [{ op: "upsert", object: { ...event(502, "l1"), count: 3, resourceVersion: base + 1 }, created: true }],
      revision: base + 1,
    });
    const since = await store.changesSince(base, 100);
    expect(since).not.toBe("gone");
    expect((since as Exclude<typeof since, "gone">).map((c) => [c.revision, c.type, c.object.id])).toEqual([
      [base + 1, "DELETED", "e500"],
      [base + 1, "MODIFIED", "l1"],
      [base + 1, "MODIFIED", "e502"],
    ]);
    expect((await store.loadAll()).revision).toBe(base + 1);
    // A failed commit leaves no log row behind.
    const broken = { ...event(501), tenantId: null } as unknown as EngineEvent;
    await expect(store.commit({ ops: [{ op: "upsert", object: broken }], revision: base + 2 })).rejects.toThrow();
    expect(await store.currentRevision()).toBe(base + 1);
  });

  it("compacts to the larger window and never drops the newest commit", async () => {
    const store = createDatabaseEngineStore(handle.db);
    const base = (await store.currentRevision()) + 1;
    for (let r = 0; r < 6; r++)
      await store.commit({
        ops: [{ op: "upsert", object: quota(`k${r}`, r, base + r) }],
        revision: base + r,
        at: 1_000_000 + r * 1000,
      });
    // Keep the last 3 rows or what is within 1.5 s of t=1,005,000 (2 commits): the larger is 3.
    expect(await store.compact(1_005_000, { ms: 1_500, changes: 3 })).toEqual({ oldestRevision: base + 3 });
    expect(await store.changesSince(base + 1, 10)).toBe("gone");
    expect(await store.changesSince(base + 2, 10)).toHaveLength(3);
    expect(await store.compact(9_000_000, { ms: 0, changes: 0 })).toEqual({ oldestRevision: base + 5 });
    expect((await store.loadAll()).revision).toBe(base + 5);
  });
});

describe("database engine store: bodies below compaction's mark", () => {
  it("removes an object's old body when a write after a compaction supersedes it", async () => {
    const store = createDatabaseEngineStore(handle.db);
    const base = (await store.currentRevision()) + 1;
    const bodies = async (id: string) =>
      (
        (await handle.db.execute(
          sql`select revision::int as revision from engine_change where id = ${id} order by revision`,
        )) as unknown as { rows: { revision: number }[] }
      ).rows.map((r) => r.revision);
    await store.commit({
      ops: [{ op: "upsert", object: quota("m1", 1, base), expectResourceVersion: 0 }],
      revision: base,
      at: 1_000,
    });
    for (let r = 1; r <= 3; r++)
      await store.commit({
        ops: [{ op: "upsert", object: quota(`m${r + 1}`, r, base + r) }],
        revision: base + r,
        at: 1_000 + r,
      });
    // The store has read the mark before this compaction moves it past m1's only body, which stays (it is live).
    expect(await store.compact(10_000_010, { ms: 0, changes: 0 })).toEqual({ oldestRevision: base + 3 });
    expect(await bodies("m1")).toEqual([base]);
    await store.commit({
      ops: [{ op: "upsert", object: quota("m1", 2, base + 4), expectResourceVersion: base }],
      revision: base + 4,
      at: 10_000_020,
    });
    expect(await bodies("m1")).toEqual([base + 4]);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("database engine store: LISTEN/NOTIFY on a server", () => {
  it("wakes a subscriber on another connection pool at each commit, and not for a rolled-back one", async () => {
    const { openDatabase } = await import("./client");
    const other = await openDatabase({ url: handle.location });
    try {
      const writer = createDatabaseEngineStore(handle.db);
      const follower = createDatabaseEngineStore(other.db);
      const seen: number[] = [];
      let wake: () => void = () => undefined;
      const sub = await follower.subscribe((r) => {
        seen.push(r);
        wake();
      });
      const base = (await writer.currentRevision()) + 1;
      const arrived = new Promise<void>((resolve) => {
        wake = () => seen.length >= 2 && resolve();
      });
      const broken = { ...event(900), tenantId: null } as unknown as EngineEvent;
      await expect(writer.commit({ ops: [{ op: "upsert", object: broken }], revision: base })).rejects.toThrow();
      await writer.commit({ ops: [{ op: "upsert", object: quota("n1", 1, base) }], revision: base });
      await writer.commit({ ops: [{ op: "upsert", object: quota("n1", 2, base + 1) }], revision: base + 1 });
      await arrived;
      expect(seen).toEqual([base, base + 1]);
      const changes = await follower.changesSince(base - 1, 10);
      expect(changes).not.toBe("gone");
      expect((changes as Exclude<typeof changes, "gone">).map((c) => c.revision)).toEqual([base, base + 1]);
      await sub.close();
    } finally {
      await other.close();
    }
  });
});

describe("database engine store: a watch resumed from before the in-memory cache", () => {
  it("replays the log exactly (events as counted series), with live changes during the replay", async () => {
    const own = await openTestDatabase();
    const store = createDatabaseEngineStore(own.db);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let reads = 0;
    const gated: typeof store = {
      ...store,
      async changesSince(revision, limit) {
        reads++;
        await gate;
        return store.changesSince(revision, limit);
      },
    };
    const engine = createEngine({
      store: gated,
      clock: createVirtualClock(Date.UTC(2026, 0, 1)),
      rng: createRng(7),
      config: { watchCacheChanges: 5, watchReplayPage: 20 },
    });
    try {
      await engine.start();
      await engine.createNodePool("t", { name: "p", machineType: "4c8g", minSize: 1, maxSize: 1 });
      await engine.settle();
      const start = await store.currentRevision();
      const collect = (kind: "*" | "Pod") => {
        const events: WatchEvent[] = [];
        engine.watch(kind, { tenantId: "t", resourceVersion: start }, (e) => {
          if (e.type !== "BOOKMARK") events.push(e);
        });
        return events;
      };
      const whole = collect("*");
      const wholePods = collect("Pod");
      await engine.createDeployment("t", webDeployment("web", 2));
      await engine.createDeployment("t", webDeployment("big", 40)); // unschedulable: counted FailedScheduling
      await engine.runFor(30_000);
      const resumed = collect("*");
      const resumedPods = collect("Pod");
      expect(reads).toBe(2); // older than the in-memory cache: both read the log
      await engine.scaleDeployment("t", "web", 3); // live, while the log is read
      await engine.settle();
      expect(resumed).toEqual([]);
      open();
      await vi.waitFor(() => expect(resumedPods.length).toBe(wholePods.length), { timeout: 20_000 });
      // A commit is atomic and names each object once: the log keeps no order inside it.
      expect(inCommitOrder(resumedPods)).toEqual(inCommitOrder(wholePods));
      // Every kind: the same final state of every object, each revision of an object once, in order.
      await vi.waitFor(() => expect(lastStates(resumed)).toEqual(lastStates(whole)), { timeout: 20_000 });
      const revs = resumed.map((e) => (e.type === "ERROR" || e.type === "BOOKMARK" ? -1 : e.resourceVersion));
      expect(revs).toEqual([...revs].sort((a, b) => a - b));
      const keys = resumed.map(keyOfEvent);
      expect(new Set(keys).size).toBe(keys.length);
      const counted = resumed.filter((e) => e.type === "MODIFIED" && e.object.kind === "Event");
      expect(counted.length).toBeGreaterThan(0);
    } finally {
      await engine.stop();
      await own.close();
    }
  });
});

const keyOfEvent = (e: WatchEvent) =>
  e.type === "ERROR" || e.type === "BOOKMARK" ? e.type : `${e.resourceVersion}/${e.object.kind}/${e.object.id}`;
const inCommitOrder = (events: WatchEvent[]) =>
  [...events].sort((a, b) => {
    const ra = a.type === "ERROR" ? -1 : a.resourceVersion;
    const rb = b.type === "ERROR" ? -1 : b.resourceVersion;
    return ra - rb || (keyOfEvent(a) < keyOfEvent(b) ? -1 : keyOfEvent(a) > keyOfEvent(b) ? 1 : 0);
  });

describe("database engine store: a watch resumed from before the log's window", () => {
  it("gets one ERROR 410 Expired, whether the engine or only the store knows of the compaction", async () => {
    const own = await openTestDatabase();
    const store = createDatabaseEngineStore(own.db);
    const clock = createVirtualClock(Date.UTC(2026, 0, 1));
    let compactions = 0;
    const counted: typeof store = {
      ...store,
      async compact(now, window) {
        compactions++;
        return store.compact(now, window);
      },
    };
    const engine = createEngine({
      store: counted,
      clock,
      rng: createRng(7),
      config: { watchCacheChanges: 5, changeLogWindow: { changes: 5, ms: 1_000 } },
    });
    const expired = async () => {
      const events: WatchEvent[] = [];
      engine.watch("*", { tenantId: "t", resourceVersion: 1 }, (e) => events.push(e));
      await vi.waitFor(() => expect(events.length).toBeGreaterThan(0), { timeout: 10_000 });
      return events;
    };
    const gone = [{ type: "ERROR", code: 410, reason: "Expired", message: expect.stringContaining("too old") }];
    try {
      await engine.start();
      await engine.createNodePool("t", { name: "p", machineType: "4c8g", minSize: 1, maxSize: 1 });
      await engine.createDeployment("t", webDeployment("web", 3));
      await engine.settle();
      await engine.runFor(2_000);
      // Compacted behind the engine's back (another process, before a restart): the store says "gone".
      await store.compact(clock.now(), { changes: 5, ms: 1_000 });
      expect(compactions).toBe(0);
      expect(await expired()).toEqual(gone);
      await engine.runFor(61_000); // the engine's own compaction: refused without reading the log
      expect(compactions).toBe(1);
      expect(await expired()).toEqual(gone);
    } finally {
      await engine.stop();
      await own.close();
    }
  });
});

/** Each object's last event (type and state), keyed by kind and id. */
function lastStates(events: WatchEvent[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const e of events)
    if (e.type !== "ERROR" && e.type !== "BOOKMARK")
      out.set(`${e.object.kind}/${e.object.id}`, { type: e.type === "DELETED" ? "DELETED" : "LIVE", object: e.object });
  return out;
}
