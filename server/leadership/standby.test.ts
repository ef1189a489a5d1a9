/**
 * A standby that serves reads: the engine following the database store (db/engine-store.ts, on
 * PGlite and, with TEST_DATABASE_URL, on a PostgreSQL server through LISTEN/NOTIFY), the standby
 * guard's read/command split, and services that stand by on a lease held elsewhere, answer
 * reads with the leader's data, refuse commands, and lead from what they followed.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { EngineLease, LeaseStatus } from "@/db/lease";
import { createDatabaseEngineStore } from "@/db/engine-store";
import {
  createEngine,
  createMemoryStore,
  createRng,
  createVirtualClock,
  type EngineObject,
  type EngineStore,
  isEngineError,
  OBJECT_KINDS,
  type Orchestrator,
  type WatchEvent,
} from "../engine";
import { webDeployment } from "../engine/test-kit";
import { createServices } from "../services";
import { openTestDatabase } from "../testing/database";
import { serverUrl } from "../testing/server-database";
import { guardStandby, ORCHESTRATOR_ACCESS } from "./standby-guard";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const T = "t";
const config = { baseURL: "http://localhost:3000", secret: "test-secret-test-secret-test-secret-32" };

async function database() {
  const handle = await openTestDatabase();
  cleanups.push(() => handle.close());
  return handle;
}

/** A store whose reports the test can hold back (the follower then lags, as after a lost report). */
function mutable(store: Required<EngineStore>) {
  let muted = false;
  const counts = { loads: 0 };
  const wrapped: Required<EngineStore> = {
    ...store,
    loadAll: () => {
      counts.loads++;
      return store.loadAll();
    },
    subscribe: (onRevision) => store.subscribe((r) => void (muted || onRevision(r))),
  };
  const mute = (on: boolean) => {
    muted = on;
  };
  return { store: wrapped, counts, mute };
}

function engineOn(store: EngineStore, seed: number) {
  const engine = createEngine({ store, clock: createVirtualClock(Date.UTC(2026, 0, 1)), rng: createRng(seed) });
  cleanups.push(() => engine.stop());
  return engine;
}

const byId = (a: EngineObject, b: EngineObject) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const dump = (e: Pick<Orchestrator, "eachObject">, kinds = OBJECT_KINDS) =>
  Object.fromEntries(kinds.map((k) => [k, [...e.eachObject(k)].sort(byId)]));
const keys = (es: WatchEvent[]) =>
  es.flatMap((e) =>
    e.type === "ERROR" || e.type === "BOOKMARK" ? [] : [`${e.resourceVersion}:${e.type}:${e.object.id}`],
  );
/** Without events: the database's log keeps them as a counted series (each once, at its latest count). */
const KINDS_BUT_EVENTS = OBJECT_KINDS.filter((k) => k !== "Event");

describe(`the follower on the database store (${serverUrl ? "PostgreSQL server" : "PGlite"})`, () => {
  /** The leader's store and the follower's: on a server two (LISTEN/NOTIFY between them), on PGlite one (in-process reports). */
  async function pair() {
    const handle = await database();
    const leaderStore = createDatabaseEngineStore(handle.db);
    const followed = mutable(serverUrl ? createDatabaseEngineStore(handle.db) : leaderStore);
    const leader = engineOn(leaderStore, 1);
    await leader.start();
    await leader.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 2, maxSize: 2 });
    await leader.settle();
    const follower = engineOn(followed.store, 2);
    return { leader, follower, followed, leaderStore };
  }
  const caughtUp = (f: Orchestrator, leader: Orchestrator) =>
    expect.poll(() => f.currentRevision(), { timeout: 10_000 }).toBe(leader.currentRevision());

  it("follows creates, updates and deletes in order, and a watch on it sees the leader's commits", async () => {
    const { leader, follower } = await pair();
    await follower.follow();
    expect(follower.followStatus()).toMatchObject({ state: "following", nodes: 2 });
    const onLeader: WatchEvent[] = [];
    const onFollower: WatchEvent[] = [];
    const from = leader.currentRevision();
    leader.watch("Pod", { tenantId: T, resourceVersion: from }, (e) => onLeader.push(e));
    follower.watch("Pod", { tenantId: T, resourceVersion: from }, (e) => onFollower.push(e));
    await leader.createDeployment(T, webDeployment("web", 3));
    await leader.settle();
    await leader.scaleDeployment(T, "web", 1);
    await leader.settle();
    await leader.setQuota(T, { pods: 8 });
    await caughtUp(follower, leader);
    expect(dump(follower, KINDS_BUT_EVENTS)).toEqual(dump(leader, KINDS_BUT_EVENTS));
    expect(follower.getQuota(T).limits.pods).toBe(8);
    expect(keys(onFollower).length).toBeGreaterThan(5);
    // The same changes at the same revisions, in revision order (within one commit the log orders by key).
    expect([...keys(onFollower)].sort()).toEqual([...keys(onLeader)].sort());
    const revisions = keys(onFollower).map((k) => Number(k.split(":")[0]));
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    await leader.deleteDeployment(T, "web");
    await leader.settle();
    await caughtUp(follower, leader);
    expect(follower.listDeployments(T).items).toEqual([]);
    expect(dump(follower, KINDS_BUT_EVENTS)).toEqual(dump(leader, KINDS_BUT_EVENTS));
  });

  it("resumes after a gap, reloads when gone, and is promoted from the followed revision, nothing lost or doubled", async () => {
    const { leader, follower, followed, leaderStore } = await pair();
    await follower.follow();
    // A gap: commits it is not told of, read all at once on the next report.
    followed.mute(true);
    await leader.createDeployment(T, webDeployment("web", 2));
    await leader.settle();
    followed.mute(false);
    await leader.setQuota(T, { pods: 5 });
    await caughtUp(follower, leader);
    expect(dump(follower, KINDS_BUT_EVENTS)).toEqual(dump(leader, KINDS_BUT_EVENTS));

    // Gone: the log was compacted past it; it loads the snapshot again.
    followed.mute(true);
    await leader.scaleDeployment(T, "web", 3);
    await leader.settle();
    await leaderStore.compact(Date.UTC(2030, 0, 1), { ms: 0, changes: 0 });
    followed.mute(false);
    await leader.setQuota(T, { pods: 6 });
    await caughtUp(follower, leader);
    expect(follower.followStatus()).toMatchObject({ state: "following", loads: 2 });
    expect(dump(follower, KINDS_BUT_EVENTS)).toEqual(dump(leader, KINDS_BUT_EVENTS));

    // The leader's last commits, then it dies before the follower hears of them.
    followed.mute(true);
    await leader.scaleDeployment(T, "web", 4);
    await leader.settle();
    await leader.stop();
    const loads = followed.counts.loads;
    await follower.start();
    expect(followed.counts.loads).toBe(loads);
    expect(follower.currentRevision()).toBe(await leaderStore.currentRevision());
    await follower.setQuota(T, { pods: 30 });
    await follower.createDeployment(T, webDeployment("api", 1));
    await follower.settle();
    const pods = (await leaderStore.loadAll()).Pod.filter((p) => p.deletionTimestamp === undefined);
    expect(pods).toHaveLength(5);
    expect(follower.listPods(T, { limit: 100 }).items.filter((p) => p.deletionTimestamp === undefined)).toHaveLength(5);
    expect(follower.getDeployment(T, "web").spec.replicas).toBe(4);
  });
});

describe("the standby guard's split", () => {
  it("classifies every member of the engine (but its internals) as a read, a leader's call or anyone's", () => {
    const engine = createEngine({ store: createMemoryStore(), clock: createVirtualClock() });
    const members = Object.keys(engine).filter((k) => k !== "internals");
    expect(members.filter((k) => !(k in ORCHESTRATOR_ACCESS))).toEqual([]);
    expect(Object.keys(ORCHESTRATOR_ACCESS).filter((k) => !members.includes(k))).toEqual([]);
  });

  it("lets reads through only while the standby follows; commands and leader-only reads never", () => {
    let serving = false;
    const calls: string[] = [];
    const fake = new Proxy({} as Record<string, () => string>, {
      get: (_t, p) =>
        typeof p === "string"
          ? () => {
              calls.push(p);
              return p;
            }
          : undefined,
    });
    const engine = guardStandby(fake, { isLeader: () => false, servesReads: () => serving });
    const refused = (name: string) => {
      try {
        engine[name]?.();
        return false;
      } catch (e) {
        return isEngineError(e) && e.code === "UNAVAILABLE" && /^standby: /.test(e.message);
      }
    };
    expect(refused("listPods")).toBe(true);
    expect(refused("isRunning")).toBe(false);
    serving = true;
    for (const [name, access] of Object.entries(ORCHESTRATOR_ACCESS))
      expect([name, refused(name)]).toEqual([name, access === "leader"]);
    expect(refused("internals")).toBe(true); // not on the port: a leader's
    expect(calls).toContain("watch");
    expect(calls).not.toContain("setQuota");
  });
});

/** A lease held by another process until the test grants it. */
function heldLease() {
  let status: LeaseStatus = { role: "standby", holder: "me" };
  let grant: () => void = () => undefined;
  const lease: EngineLease = {
    holder: "me",
    tryAcquire: async () => false,
    acquire: () =>
      new Promise<void>((resolve) => {
        grant = () => {
          status = { role: "leader", holder: "me", epoch: 2 };
          resolve();
        };
      }),
    fence: async () => undefined,
    status: () => status,
    onLost: () => undefined,
    release: async () => undefined,
  };
  return { lease, grant: () => grant() };
}

describe("services standing by", () => {
  it("answer reads with the leader's data, refuse commands, report what they follow, and lead from it", async () => {
    const handle = await database();
    const clock = () => createVirtualClock(Date.UTC(2026, 0, 1));
    const leader = createServices(handle, config, { clock: clock() });
    await leader.start();
    await leader.engine.setQuota(T, { pods: 4 });
    await leader.engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 1, maxSize: 1 });
    await leader.engine.settle();

    const held = heldLease();
    const standby = createServices(handle, config, { clock: clock(), lease: held.lease });
    cleanups.push(() => standby.stop());
    await standby.start();
    expect(standby.role().role).toBe("standby");
    expect(standby.engineHealth()).toMatchObject({
      status: "standby",
      nodes: 1,
      follower: { state: "following", lag: 0, revision: leader.engine.currentRevision() },
    });
    expect(standby.engine.getQuota(T).limits.pods).toBe(4);
    expect(standby.engine.listNodes(T).items).toHaveLength(1);
    await expect(async () => standby.engine.setQuota(T, { pods: 1 })).rejects.toThrow(/^standby: /);
    expect(() => standby.engine.getPodLogs(T, "any")).toThrow(/^standby: /);

    // The leader's last write, then it ends; the standby reads it when it takes over (PGlite:
    // a second store in this process is not told of the first one's commits, so only then).
    await leader.engine.setQuota(T, { pods: 7 });
    await leader.stop();
    held.grant();
    await standby.whenLeader();
    expect(standby.engineHealth()).toMatchObject({ status: "running", role: "leader", nodes: 1 });
    expect(standby.engineHealth().follower).toBeUndefined();
    expect(standby.engine.getQuota(T).limits.pods).toBe(7);
    await standby.engine.setQuota(T, { pods: 9 });
    expect(standby.engine.getQuota(T).limits.pods).toBe(9);
  });
});
