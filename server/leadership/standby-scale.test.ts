/**
 * A standby's promotion against a cold start on the database store, at scale: opt-in
 * (STANDBY_SCALE_PODS=30000, with TEST_DATABASE_URL for a PostgreSQL server), since seeding takes
 * a while. Logged, not asserted on time (the machine is shared); asserted: the promotion loads
 * nothing and ends with what a cold start loads.
 */
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { createDatabaseEngineStore } from "@/db/engine-store";
import { createEngine, createRng, createSimulatedRuntime, createVirtualClock, type EngineStore } from "../engine";
import { webDeployment } from "../engine/test-kit";
import { openTestDatabase } from "../testing/database";
import { serverUrl } from "../testing/server-database";

const PODS = Number(process.env.STANDBY_SCALE_PODS ?? "0");
const PER_TENANT = 300; // three deployments of 100 on ten 8c16g nodes, as bench:failover

const newEngine = (store: EngineStore, seed: number) =>
  createEngine({
    store,
    clock: createVirtualClock(Date.now()),
    rng: createRng(seed),
    runtime: createSimulatedRuntime(),
    config: { podEvents: false, settleQuantumMs: 100 },
    log: () => undefined,
  });

describe.skipIf(PODS === 0)(`promotion on the database store (${serverUrl ? "PostgreSQL" : "PGlite"})`, () => {
  it("is much cheaper than a cold start, and loads nothing", async () => {
    const handle = await openTestDatabase();
    try {
      const store = createDatabaseEngineStore(handle.db);
      const leader = newEngine(store, 1);
      await leader.start();
      const tenants = Array.from({ length: Math.max(1, Math.round(PODS / PER_TENANT)) }, (_, i) => `t${i}`);
      const each = async (fn: (t: string) => Promise<unknown>) => {
        for (let i = 0; i < tenants.length; i += 50) await Promise.all(tenants.slice(i, i + 50).map(fn));
      };
      let t0 = performance.now();
      await each((t) => leader.createNodePool(t, { name: "p", machineType: "8c16g", minSize: 10, maxSize: 10 }));
      await leader.settle();
      for (let d = 0; d < 3; d++) await each((t) => leader.createDeployment(t, webDeployment(`web-${d}`, 100)));
      await leader.settle();
      const seedMs = performance.now() - t0;

      let loads = 0;
      const followed: EngineStore = {
        ...(serverUrl ? createDatabaseEngineStore(handle.db) : store),
        loadAll: () => {
          loads++;
          return store.loadAll();
        },
      };
      const follower = newEngine(followed, 2);
      t0 = performance.now();
      await follower.follow();
      const followMs = performance.now() - t0;
      for (const t of tenants.slice(0, 10)) await leader.scaleDeployment(t, "web-0", 90);
      await leader.settle();
      await leader.stop();

      t0 = performance.now();
      expect(await follower.start()).toBe("followed");
      const promoteMs = performance.now() - t0;
      expect(loads).toBe(1);
      const promoted = follower.stats();
      await follower.stop();

      const cold = newEngine(store, 3);
      t0 = performance.now();
      expect(await cold.start()).toBe("loaded");
      const coldMs = performance.now() - t0;
      expect(promoted.pods).toBe(cold.stats().pods);
      await cold.stop();
      console.log(
        `[standby-scale] ${promoted.pods} pods, ${promoted.nodes} nodes (seeded in ${(seedMs / 1000).toFixed(0)} s): ` +
          `follow ${followMs.toFixed(0)} ms; promotion ${promoteMs.toFixed(0)} ms; cold start ${coldMs.toFixed(0)} ms`,
      );
    } finally {
      await handle.close();
    }
  }, 1_800_000);
});
