import { describe, expect, it } from "vitest";
import { livePods, startHarness, webDeployment, type Harness } from "../test-kit";

const T = "t";

/** Stop the engine, start a new one from what the store committed, and settle it. */
async function crashAndRestart(h: Harness, seed: number): Promise<Harness> {
  await h.engine.stop();
  const next = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now(), seed });
  await next.engine.settle(4 * 3_600_000);
  return next;
}

function expectConverged(h: Harness, replicas: number, image: string) {
  const pods = livePods(h.engine, T, "web");
  expect(pods).toHaveLength(replicas);
  expect(new Set(pods.map((p) => p.name)).size).toBe(replicas);
  expect(pods.every((p) => p.status.phase === "Running" && p.spec.containers[0]?.image === image)).toBe(true);
  const revs = h.engine.listRevisions(T, "web");
  expect(revs.filter((r) => r.replicas > 0)).toHaveLength(1);
  expect(h.engine.getDeployment(T, "web").status).toMatchObject({
    replicas,
    updatedReplicas: replicas,
    availableReplicas: replicas,
  });
  // the store agrees with the cache: nothing lost, nothing extra
  const stored = h.store.snapshot().Pod.filter((p) => p.deletionTimestamp === undefined);
  expect(stored.map((p) => p.id).sort()).toEqual(pods.map((p) => p.id).sort());
}

describe("crash safety", () => {
  it.each([0, 1, 2, 3, 5, 8, 13, 21, 34])(
    "stopped %i steps into a rollout, a new engine from the store finishes it exactly",
    async (steps) => {
      const h = await startHarness({ seed: steps + 1 });
      await h.engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 3, maxSize: 3 });
      await h.engine.settle();
      await h.engine.createDeployment(T, webDeployment("web", 6));
      await h.engine.settle();
      await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 6, "nginx:1.28").template });
      // walk `steps` timer steps into the rollout, then crash
      for (let i = 0; i < steps; i++) {
        const next = h.clock.nextTimerAt();
        if (next === undefined) break;
        h.clock.advanceTo(next);
        await h.engine.whenIdle();
      }
      const next = await crashAndRestart(h, 100 + steps);
      expectConverged(next, 6, "nginx:1.28");
    },
  );

  it("a crash with staged-but-uncommitted work loses only that work, and the controllers redo it", async () => {
    const h = await startHarness();
    await h.engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 2, maxSize: 2 });
    await h.engine.settle();
    await h.engine.createDeployment(T, webDeployment("web", 4));
    h.engine.internals.ctx.state.put({ ...h.engine.getDeployment(T, "web"), name: "ghost", id: "ghost" }); // staged, never committed
    await h.engine.stop();
    const next = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now() });
    await next.engine.settle();
    expect(next.engine.listDeployments(T).items.map((d) => d.name)).toEqual(["web"]);
    expectConverged(next, 4, "nginx:1.27");
  });

  it("a failed commit rejects the command with nothing changed; background failures reload and converge", async () => {
    const logged: string[] = [];
    const h = await startHarness({ log: (m) => logged.push(m) });
    await h.engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 2, maxSize: 2 });
    await h.engine.settle();
    await h.engine.createDeployment(T, webDeployment("web", 3));
    await h.engine.settle();
    h.store.failNextCommits(1);
    await expect(h.engine.scaleDeployment(T, "web", 5)).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(h.engine.getDeployment(T, "web").spec.replicas).toBe(3);
    await h.engine.scaleDeployment(T, "web", 5);
    h.store.failNextCommits(2); // the controllers' next passes fail
    await h.engine.settle();
    expect(h.engine.internals.counters.commitFailures).toBeGreaterThanOrEqual(2);
    expect(logged.some((m) => m.includes("store commit failed"))).toBe(true);
    expectConverged(h, 5, "nginx:1.27");
  });

  it("restarts adopt running containers instead of restarting them", async () => {
    const h = await startHarness();
    await h.engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 1, maxSize: 1 });
    await h.engine.settle();
    await h.engine.createDeployment(T, webDeployment("web", 2));
    await h.engine.settle();
    const before = livePods(h.engine, T, "web").map((p) => [p.id, p.runningAt]);
    const next = await crashAndRestart(h, 9);
    expect(livePods(next.engine, T, "web").map((p) => [p.id, p.runningAt])).toEqual(before);
  });
});

describe("atomic commands", () => {
  it("a command that fails after staging leaves cache and store exactly as before", async () => {
    const h = await startHarness();
    await h.engine.setQuota(T, { cpu: "1" });
    await h.engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 1, maxSize: 1 });
    await h.engine.settle();
    await h.engine.createDeployment(T, webDeployment("web", 2));
    await h.engine.settle();
    await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 2, "nginx:1.28").template });
    await h.engine.settle();
    await h.engine.scaleDeployment(T, "web", 3);
    await h.engine.settle();
    const before = JSON.stringify(h.store.snapshot());
    const cacheBefore = JSON.stringify(h.engine.getDeployment(T, "web"));
    // rollback would need (3 + 1 surge) x 250m = 1 cpu... make it fail by lowering the quota first
    await h.engine.setQuota(T, { cpu: "800m" });
    const snap = JSON.stringify(h.store.snapshot());
    await expect(h.engine.rollbackDeployment(T, "web", 1)).rejects.toMatchObject({ code: "QUOTA_EXCEEDED" });
    expect(JSON.stringify(h.store.snapshot())).toBe(snap);
    expect(JSON.stringify(h.engine.getDeployment(T, "web"))).toBe(cacheBefore);
    expect(h.engine.listEvents(T).items.some((e) => e.reason === "DeploymentRollback")).toBe(false);
    expect(before).not.toBe(snap);
  });
});
