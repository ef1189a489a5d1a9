/**
 * Promotion against a cold start at scale, on the in-memory store: how long a standby's start()
 * takes from the state it followed, beside an engine that loads everything. Logged, not asserted
 * on time (the machine is shared); asserted: the promotion loads nothing and holds what a cold
 * start holds. 3,000 pods by default; FOLLOWER_SCALE_PODS=30000 for the figure in the README.
 */
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { createEngine } from "../api/engine";
import { createVirtualClock } from "../queue/clock";
import { createRng } from "../queue/rng";
import { createSimulatedRuntime } from "../runtime/simulated-runtime";
import { createMemoryStore, type EngineStore } from "../store/store";
import { webDeployment } from "../test-kit";

const PODS = Number(process.env.FOLLOWER_SCALE_PODS ?? "3000");
const PER_TENANT = 300; // three deployments of 100 on ten 8c16g nodes, as bench:failover
const TENANTS = Math.max(1, Math.round(PODS / PER_TENANT));
const CONFIG = { podEvents: false, settleQuantumMs: 100 };

function counted(store: EngineStore) {
  const counts = { loads: 0 };
  return {
    counts,
    store: {
      ...store,
      loadAll: () => {
        counts.loads++;
        return store.loadAll();
      },
    } as EngineStore,
  };
}

const newEngine = (store: EngineStore, seed: number) =>
  createEngine({
    store,
    clock: createVirtualClock(Date.UTC(2026, 0, 1)),
    rng: createRng(seed),
    runtime: createSimulatedRuntime(),
    config: CONFIG,
    log: () => undefined,
  });

describe(`promotion at ${TENANTS * PER_TENANT} pods`, () => {
  it("is much cheaper than a cold start, and loads nothing", async () => {
    const store = createMemoryStore();
    const leader = newEngine(store, 1);
    await leader.start();
    const tenants = Array.from({ length: TENANTS }, (_, i) => `t${i}`);
    for (const t of tenants)
      await leader.createNodePool(t, { name: "p", machineType: "8c16g", minSize: 10, maxSize: 10 });
    await leader.settle();
    for (let d = 0; d < 3; d++)
      for (const t of tenants) await leader.createDeployment(t, webDeployment(`web-${d}`, 100));
    await leader.settle();
    const pods = leader.stats().pods;
    expect(pods).toBe(TENANTS * PER_TENANT);

    const f = counted(store);
    const follower = newEngine(f.store, 2);
    let t0 = performance.now();
    await follower.follow();
    const followMs = performance.now() - t0;
    // Work the follower follows, then the leader's end.
    for (const t of tenants.slice(0, 10)) await leader.scaleDeployment(t, "web-0", 90);
    await leader.settle();
    await expect.poll(() => follower.currentRevision()).toBe(leader.currentRevision());
    await leader.stop();

    t0 = performance.now();
    expect(await follower.start()).toBe("followed");
    const promoteMs = performance.now() - t0;
    expect(f.counts.loads).toBe(1);
    const promoted = follower.stats();

    const cold = newEngine(store, 3);
    t0 = performance.now();
    expect(await cold.start()).toBe("loaded");
    const coldMs = performance.now() - t0;
    expect(promoted.pods).toBe(cold.stats().pods);
    expect(promoted.nodes).toBe(cold.stats().nodes);
    console.log(
      `[follower-scale] ${promoted.pods} pods, ${promoted.nodes} nodes: follow (snapshot + catch-up) ${followMs.toFixed(0)} ms; ` +
        `promotion ${promoteMs.toFixed(0)} ms; cold start ${coldMs.toFixed(0)} ms`,
    );
    await follower.stop();
    await cold.stop();
  }, 600_000);
});
