import { describe, expect, it } from "vitest";
import { createVirtualClock } from "../queue/clock";
import { createEngine } from "../api/engine";
import { createRng } from "../queue/rng";
import type { TenantQuota } from "../kinds/types";
import { webDeployment } from "../test-kit";
import { createMemoryStore } from "./memory-store";

const quota = (tenantId: string, pods: number, resourceVersion: number): TenantQuota => ({
  kind: "Quota",
  id: tenantId,
  tenantId,
  name: "tenant-quota",
  labels: {},
  annotations: {},
  generation: 1,
  createdAt: 0,
  pods,
  resourceVersion,
});

describe("memory store: conditional commits", () => {
  it("refuses a stale update with CONFLICT and applies nothing of the batch", async () => {
    const store = createMemoryStore();
    await store.commit({ ops: [{ op: "upsert", object: quota("a", 1, 1), expectResourceVersion: 0 }], revision: 1 });
    await store.commit({ ops: [{ op: "upsert", object: quota("a", 2, 2), expectResourceVersion: 1 }], revision: 2 });
    const stale = store.commit({
      ops: [
        { op: "upsert", object: quota("b", 9, 3), expectResourceVersion: 0 },
        { op: "upsert", object: quota("a", 3, 3), expectResourceVersion: 1 },
      ],
      revision: 3,
    });
    await expect(stale).rejects.toMatchObject({ code: "CONFLICT" });
    const s = store.snapshot();
    expect(s.Quota).toEqual([quota("a", 2, 2)]);
    expect(s.revision).toBe(2);
    // A creation over an existing object is stale too.
    await expect(
      store.commit({ ops: [{ op: "upsert", object: quota("a", 5, 3), expectResourceVersion: 0 }], revision: 3 }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      store.commit({
        ops: [{ op: "delete", kind: "Quota", id: "a", tenantId: "a", expectResourceVersion: 1 }],
        revision: 3,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("fences a second engine on the same store: its write on a stale object is refused", async () => {
    const store = createMemoryStore();
    const engine = (seed: number) =>
      createEngine({
        store,
        clock: createVirtualClock(Date.UTC(2026, 0, 1)),
        rng: createRng(seed),
        log: () => undefined,
      });
    const a = engine(1);
    await a.start();
    await a.createDeployment("t", webDeployment("web", 0));
    const b = engine(2);
    await b.start();
    await a.scaleDeployment("t", "web", 0);
    await a.updateDeployment("t", "web", { template: webDeployment("web", 0, "nginx:1.28").template });
    await expect(b.scaleDeployment("t", "web", 5)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(store.snapshot().Deployment[0]?.spec.replicas).toBe(0);
    await a.stop();
    await b.stop();
  });
});

describe("memory store: change log", () => {
  it("logs one change per op with the batch's revision, and replays them in order", async () => {
    const store = createMemoryStore();
    await store.commit({ ops: [{ op: "upsert", object: quota("a", 1, 1), created: true }], revision: 1, at: 10 });
    await store.commit({
      ops: [
        { op: "upsert", object: quota("a", 2, 2) },
        { op: "upsert", object: quota("b", 1, 2), created: true },
      ],
      revision: 2,
      at: 20,
    });
    await store.commit({
      ops: [{ op: "delete", kind: "Quota", id: "b", tenantId: "b", object: quota("b", 1, 2) }],
      revision: 3,
      at: 30,
    });
    const all = await store.changesSince(0, 100);
    expect(all).not.toBe("gone");
    expect((all as Exclude<typeof all, "gone">).map((c) => [c.revision, c.type, c.object.id])).toEqual([
      [1, "ADDED", "a"],
      [2, "MODIFIED", "a"],
      [2, "ADDED", "b"],
      [3, "DELETED", "b"],
    ]);
    expect(await store.changesSince(2, 100)).toHaveLength(1);
    expect(await store.currentRevision()).toBe(3);
  });

  it("compacts to the larger of the time and count windows, never the newest commit", async () => {
    const store = createMemoryStore();
    for (let r = 1; r <= 10; r++)
      await store.commit({ ops: [{ op: "upsert", object: quota(`q${r}`, r, r) }], revision: r, at: r * 1000 });
    // Time window keeps at >= 7000 (revisions 7..10); count window keeps the last 2: the larger is 7..10.
    expect(await store.compact(10_000, { ms: 3_000, changes: 2 })).toEqual({ oldestRevision: 7 });
    expect(await store.changesSince(5, 100)).toBe("gone");
    expect(await store.changesSince(6, 100)).toHaveLength(4);
    // Count window larger than the time window: keeps the last 3.
    expect(await store.compact(10_000, { ms: 0, changes: 3 })).toEqual({ oldestRevision: 8 });
    // Nothing in either window: the newest commit stays.
    expect(await store.compact(100_000, { ms: 0, changes: 0 })).toEqual({ oldestRevision: 10 });
    expect(await store.changesSince(9, 100)).toHaveLength(1);
  });

  it("is compacted by the engine on its clock, keeping the window", async () => {
    const store = createMemoryStore();
    const engine = createEngine({
      store,
      clock: createVirtualClock(Date.UTC(2026, 0, 1)),
      rng: createRng(1),
      config: { changeLogWindow: { ms: 30_000, changes: 1 } },
      log: () => undefined,
    });
    await engine.start();
    await engine.createDeployment("t", webDeployment("web", 0));
    const early = await store.currentRevision();
    await engine.runFor(120_000);
    await engine.scaleDeployment("t", "web", 0);
    await engine.createDeployment("t", webDeployment("api", 0));
    await engine.runFor(60_000);
    expect(await store.changesSince(early - 1, 100)).toBe("gone");
    const oldest = engine.internals.oldestLoggedRevision;
    expect(oldest).toBeGreaterThan(early);
    expect(await store.changesSince(oldest - 1, 100)).not.toBe("gone");
    await engine.stop();
  });

  it("tells subscribers each committed revision", async () => {
    const store = createMemoryStore();
    const seen: number[] = [];
    const sub = await store.subscribe((r) => seen.push(r));
    await store.commit({ ops: [{ op: "upsert", object: quota("a", 1, 1) }], revision: 1 });
    await sub.close();
    await store.commit({ ops: [{ op: "upsert", object: quota("a", 2, 2) }], revision: 2 });
    expect(seen).toEqual([1]);
  });
});
