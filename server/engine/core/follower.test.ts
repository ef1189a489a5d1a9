/**
 * The follower on the in-memory store: a second engine on the leader's store follows its change
 * log (in order, after gaps, past "gone"), serves queries and watches from it, commits nothing,
 * and is promoted by start() from what it followed, with nothing lost or doubled.
 */
import { describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../api/engine";
import { OBJECT_KINDS, type EngineObject } from "../kinds/types";
import { createVirtualClock } from "../queue/clock";
import { createRng } from "../queue/rng";
import { createMemoryStore, type MemoryStore, type Snapshot } from "../store/store";
import { startHarness, webDeployment } from "../test-kit";
import type { WatchEvent } from "../watch/types";
import { EngineState } from "./state";

const T = "t";

/** The leader's store as the follower sees it: reports can be muted (a gap), loads are counted. */
function followedStore(inner: MemoryStore, opts: { subscribe?: boolean } = {}) {
  let muted = false;
  let report: (revision: number) => void = () => undefined;
  const counts = { loads: 0, reads: 0 };
  const store: MemoryStore = {
    ...inner,
    loadAll: async () => {
      counts.loads++;
      return inner.loadAll();
    },
    changesSince: async (revision, limit) => {
      counts.reads++;
      return inner.changesSince(revision, limit);
    },
    subscribe: async (onRevision) => {
      report = onRevision;
      return inner.subscribe((r) => {
        if (!muted) onRevision(r);
      });
    },
  };
  if (opts.subscribe === false) delete (store as Partial<MemoryStore>).subscribe;
  return {
    store,
    counts,
    mute: (on: boolean) => {
      muted = on;
    },
    /** One report of the store's current revision (what a LISTEN connection says when it is back). */
    report: async () => report(await inner.currentRevision()),
  };
}

function follower(store: MemoryStore, logs: string[] = []) {
  const clock = createVirtualClock(Date.UTC(2026, 0, 1));
  const engine = createEngine({ store, clock, rng: createRng(7), log: (m) => void logs.push(m) });
  return { engine, clock, logs };
}

async function leaderWithWork() {
  const h = await startHarness();
  await h.engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 2, maxSize: 2 });
  await h.engine.settle();
  return h;
}

const caughtUp = (f: Engine, leader: { currentRevision(): number }) =>
  expect.poll(() => f.currentRevision()).toBe(leader.currentRevision());

const byId = (a: EngineObject, b: EngineObject) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const dump = (e: Pick<Engine, "eachObject">) =>
  Object.fromEntries(OBJECT_KINDS.map((k) => [k, [...e.eachObject(k)].sort(byId)]));
/** What an engine started cold from `s` holds (load() completes legacy metadata, as the snapshot's events need). */
function coldDump(s: Snapshot) {
  const state = new EngineState();
  state.load(s);
  return dump({ eachObject: (k) => state.all(k) });
}
const keyOf = (e: WatchEvent) =>
  e.type === "ERROR" || e.type === "BOOKMARK" ? e.type : `${e.resourceVersion}:${e.type}:${e.object.id}`;
const changes = (es: WatchEvent[]) => es.filter((e) => e.type !== "BOOKMARK").map(keyOf);

describe("follower", () => {
  it("follows creates, updates and deletes in commit order and answers queries, committing nothing", async () => {
    const h = await leaderWithWork();
    const fs = followedStore(h.store);
    const f = follower(fs.store);
    await f.engine.follow();
    expect(f.engine.followStatus()).toMatchObject({ state: "following", nodes: 2, lag: 0 });
    expect(f.engine.isRunning()).toBe(false);

    await h.engine.createDeployment(T, webDeployment("web", 3));
    await h.engine.setQuota(T, { pods: 20 });
    await h.engine.settle();
    await caughtUp(f.engine, h.engine);
    expect(dump(f.engine)).toEqual(dump(h.engine));
    expect(f.engine.listPods(T).items.map((p) => p.name)).toEqual(h.engine.listPods(T).items.map((p) => p.name));
    expect(f.engine.getDeployment(T, "web").spec.replicas).toBe(3);
    // Pods hold their replica set's template, not a copy each (as after a load).
    const replicaSets = new Map([...f.engine.eachObject("ReplicaSet")].map((r) => [r.id, r]));
    for (const p of f.engine.eachObject("Pod"))
      expect(p.spec).toBe(replicaSets.get(p.ownerReplicaSetId ?? "")?.template.spec);
    expect(f.engine.getQuota(T).limits.pods).toBe(20);

    await h.engine.scaleDeployment(T, "web", 1);
    await h.engine.settle();
    await h.engine.deleteDeployment(T, "web");
    await h.engine.settle();
    await caughtUp(f.engine, h.engine);
    expect(dump(f.engine)).toEqual(dump(h.engine));
    expect(f.engine.listDeployments(T).items).toEqual([]);
    // The follower never wrote: every commit is the leader's, one per revision.
    expect(h.store.commits).toBe(h.engine.internals.counters.commits);
    await expect(f.engine.setQuota(T, { pods: 1 })).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(f.engine.followStatus()).toMatchObject({ state: "following", lag: 0, loads: 1 });
    await f.engine.stop();
  });

  it("publishes to its watches exactly what the leader's watches see", async () => {
    const h = await leaderWithWork();
    const f = follower(followedStore(h.store).store);
    await f.engine.follow();
    const onLeader: WatchEvent[] = [];
    const onFollower: WatchEvent[] = [];
    const from = h.engine.currentRevision();
    h.engine.watch("*", { tenantId: T, resourceVersion: from }, (e) => onLeader.push(e));
    f.engine.watch("*", { tenantId: T, resourceVersion: from }, (e) => onFollower.push(e));
    const pods: WatchEvent[] = [];
    f.engine.watch("Pod", { tenantId: T, labelSelector: "app=web" }, (e) => pods.push(e));
    await h.engine.createDeployment(T, webDeployment("web", 3));
    await h.engine.settle();
    await h.engine.scaleDeployment(T, "web", 1);
    await h.engine.settle();
    await caughtUp(f.engine, h.engine);
    expect(changes(onFollower).length).toBeGreaterThan(10);
    // The same changes at the same revisions, in revision order (a commit's changes are one step: no order among them).
    expect([...changes(onFollower)].sort()).toEqual([...changes(onLeader)].sort());
    const revisions = changes(onFollower).map((k) => Number(k.split(":")[0]));
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    const podEvents = pods.filter((e) => e.type !== "BOOKMARK");
    expect(podEvents.filter((e) => e.type === "ADDED")).toHaveLength(3);
    expect(podEvents.filter((e) => e.type === "DELETED")).toHaveLength(2);
  });

  it("reads nothing without a report (no polling), and everything since its revision after a gap", async () => {
    const h = await leaderWithWork();
    const fs = followedStore(h.store);
    const f = follower(fs.store);
    await f.engine.follow();
    const before = f.engine.currentRevision();
    const reads = fs.counts.reads;
    fs.mute(true);
    await h.engine.createDeployment(T, webDeployment("web", 2));
    await h.engine.settle();
    f.clock.advance(120_000); // no timer reads the log of a store that reports
    await f.engine.whenIdle();
    expect(fs.counts.reads).toBe(reads);
    expect(f.engine.currentRevision()).toBe(before);
    fs.mute(false);
    await fs.report();
    await caughtUp(f.engine, h.engine);
    expect(dump(f.engine)).toEqual(dump(h.engine));
  });

  it("polls, on a slow timer, a store that cannot report", async () => {
    const h = await leaderWithWork();
    const fs = followedStore(h.store, { subscribe: false });
    const f = follower(fs.store);
    await f.engine.follow();
    await h.engine.createDeployment(T, webDeployment("web", 2));
    await h.engine.settle();
    await f.engine.whenIdle();
    expect(f.engine.currentRevision()).toBeLessThan(h.engine.currentRevision());
    f.clock.advance(5_000);
    await caughtUp(f.engine, h.engine);
    expect(dump(f.engine)).toEqual(dump(h.engine));
  });

  it("behind compaction ('gone'): loads the snapshot again and ends its watches with ERROR 410", async () => {
    const h = await leaderWithWork();
    const fs = followedStore(h.store);
    const f = follower(fs.store);
    await f.engine.follow();
    const seen: WatchEvent[] = [];
    f.engine.watch("Pod", { tenantId: T }, (e) => seen.push(e));
    fs.mute(true);
    await h.engine.createDeployment(T, webDeployment("web", 2));
    await h.engine.settle();
    await h.engine.setQuota(T, { pods: 9 });
    await h.store.compact(h.clock.now() + 3_600_000, { ms: 0, changes: 0 });
    fs.mute(false);
    await fs.report();
    await caughtUp(f.engine, h.engine);
    expect(seen.at(-1)).toMatchObject({ type: "ERROR", code: 410 });
    expect(f.engine.followStatus()).toMatchObject({ state: "following", loads: 2 });
    expect(dump(f.engine)).toEqual(coldDump(h.store.snapshot()));
    expect(f.logs.some((m) => /fell behind the change log's compaction/.test(m))).toBe(true);
    // And it goes on following from there.
    await h.engine.setQuota(T, { pods: 10 });
    await caughtUp(f.engine, h.engine);
    expect(f.engine.getQuota(T).limits.pods).toBe(10);
  });
});

describe("promotion", () => {
  it("starts from the followed state: catches up, loads nothing, continues the revisions, keeps its watches", async () => {
    const h = await leaderWithWork();
    await h.engine.createDeployment(T, webDeployment("web", 3));
    await h.engine.settle();
    const fs = followedStore(h.store);
    const f = follower(fs.store);
    await f.engine.follow();
    const watched: WatchEvent[] = [];
    f.engine.watch("*", { tenantId: T, resourceVersion: f.engine.currentRevision() }, (e) => watched.push(e));
    // The leader's last commits reach the store but not the follower (killed before the report).
    fs.mute(true);
    await h.engine.scaleDeployment(T, "web", 5);
    await h.engine.settle();
    await h.engine.stop();
    expect(f.engine.currentRevision()).toBeLessThan(h.engine.currentRevision());
    const loads = fs.counts.loads;
    await f.engine.start();
    expect(fs.counts.loads).toBe(loads); // no second loadAll
    expect(f.engine.currentRevision()).toBe(await h.store.currentRevision());
    expect(f.engine.followStatus()).toBeUndefined();
    expect(f.engine.isRunning()).toBe(true);
    expect(dump(f.engine)).toEqual(coldDump(h.store.snapshot()));

    // It leads now: its commits continue the log, conditional on what the old leader wrote.
    const last = f.engine.currentRevision();
    await f.engine.setQuota(T, { pods: 50 });
    expect(f.engine.currentRevision()).toBe(last + 1);
    await f.engine.createDeployment(T, webDeployment("api", 2));
    await f.engine.settle();
    const pods = f.engine.listPods(T, { limit: 100 }).items.filter((p) => p.deletionTimestamp === undefined);
    expect(pods).toHaveLength(7);
    expect(new Set(pods.map((p) => p.id)).size).toBe(7);
    expect(f.engine.getDeployment(T, "web").spec.replicas).toBe(5);

    // The watch opened on the standby saw every revision once, in order, across the promotion.
    const revisions = watched.flatMap((e) => (e.type === "ERROR" || e.type === "BOOKMARK" ? [] : [e.resourceVersion]));
    expect(watched.some((e) => e.type === "ERROR")).toBe(false);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(Math.max(...revisions)).toBe(f.engine.currentRevision());
    const logged = await h.store.changesSince(Math.min(...revisions) - 1, 1_000_000);
    if (logged === "gone") throw new Error("unexpected: the test store was compacted");
    expect(new Set(revisions)).toEqual(new Set(logged.filter((c) => c.object.tenantId === T).map((c) => c.revision)));
    await f.engine.stop();
  });

  it("falls back to a full load when the log no longer reaches the followed revision", async () => {
    const h = await leaderWithWork();
    const fs = followedStore(h.store);
    const f = follower(fs.store);
    await f.engine.follow();
    const seen: WatchEvent[] = [];
    f.engine.watch("Pod", { tenantId: T }, (e) => seen.push(e));
    fs.mute(true);
    await h.engine.createDeployment(T, webDeployment("web", 2));
    await h.engine.settle();
    await h.engine.stop();
    await h.store.compact(h.clock.now() + 3_600_000, { ms: 0, changes: 0 });
    const loads = fs.counts.loads;
    await f.engine.start();
    expect(fs.counts.loads).toBe(loads + 1);
    expect(seen.at(-1)).toMatchObject({ type: "ERROR", code: 410 });
    expect(f.engine.currentRevision()).toBe(await h.store.currentRevision());
    expect(dump(f.engine)).toEqual(coldDump(h.store.snapshot()));
    await f.engine.stop();
  });

  it("a follower stopped before it leads holds no subscription and starts cold", async () => {
    const store = createMemoryStore();
    const fs = followedStore(store);
    const f = follower(fs.store);
    await f.engine.follow();
    await f.engine.stop();
    expect(f.engine.followStatus()).toBeUndefined();
    await f.engine.start();
    expect(fs.counts.loads).toBe(2);
    await f.engine.stop();
  });
});
