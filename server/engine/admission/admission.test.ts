/**
 * Growth admission: a frozen tenant cannot raise its steady-state claims by any command
 * (create, scale, update, node pools), can always shrink or roll out pods that request no
 * more (an image fix, a rollback, a restart, surge and all), and other tenants are unaffected.
 */
import { describe, expect, it } from "vitest";
import { livePods, startHarness, webDeployment } from "../test-kit";

const T = "t";
const freeze = { message: "growth frozen for this test" };
const frozenError = { code: "GROWTH_FROZEN", message: freeze.message };

async function setup() {
  const h = await startHarness();
  for (const t of [T, "other"])
    await h.engine.createNodePool(t, { name: "p", machineType: "8c16g", minSize: 1, maxSize: 2 });
  await h.engine.createDeployment(T, webDeployment("web", 2));
  await h.engine.settle();
  await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 2, "nginx:1.28").template }); // revision 2
  await h.engine.settle();
  h.engine.setGrowthFrozen(T, freeze);
  return h;
}

describe("growth admission", () => {
  it("refuses every command that adds capacity, and changes nothing", async () => {
    const h = await setup();
    const before = JSON.stringify(h.engine.getDeployment(T, "web"));
    await expect(h.engine.createDeployment(T, webDeployment("api", 1))).rejects.toMatchObject(frozenError);
    await expect(h.engine.scaleDeployment(T, "web", 3)).rejects.toMatchObject(frozenError);
    await expect(h.engine.updateDeployment(T, "web", { replicas: 3 })).rejects.toMatchObject(frozenError);
    // A template change raising the requests, on as many replicas.
    const hungrier = {
      labels: { app: "web" },
      spec: {
        containers: [{ name: "app", image: "nginx:1.29", resources: { requests: { cpu: "1", memory: "256Mi" } } }],
      },
    };
    await expect(h.engine.updateDeployment(T, "web", { template: hungrier })).rejects.toMatchObject(frozenError);
    // Bigger requests on fewer replicas is still more cpu.
    const bigger = {
      spec: {
        containers: [{ name: "app", image: "nginx:1.28", resources: { requests: { cpu: "1", memory: "256Mi" } } }],
      },
    };
    await expect(
      h.engine.updateDeployment(T, "web", {
        replicas: 1,
        template: bigger,
        strategy: { type: "RollingUpdate", maxSurge: 0, maxUnavailable: 1 },
      }),
    ).rejects.toMatchObject(frozenError);
    await expect(
      h.engine.createNodePool(T, { name: "q", machineType: "2c4g", minSize: 0, maxSize: 1 }),
    ).rejects.toMatchObject(frozenError);
    await expect(h.engine.updateNodePool(T, "p", { maxSize: 3 })).rejects.toMatchObject(frozenError);
    await expect(h.engine.updateNodePool(T, "p", { warmPoolSize: 1 })).rejects.toMatchObject(frozenError);
    expect(JSON.stringify(h.engine.getDeployment(T, "web"))).toBe(before);
    expect(h.engine.listRevisions(T, "web")).toHaveLength(2);
    expect(h.engine.listNodePools(T).items).toHaveLength(1);
    await h.engine.settle();
    expect(livePods(h.engine, T, "web")).toHaveLength(2);
  });

  it("admits rollouts whose pods request no more: an image fix, a rollback, a restart, surge and all", async () => {
    const h = await setup();
    // The image fix surges (maxSurge 25% of 2 = 1 pod) but claims no more once it is done.
    await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 2, "nginx:1.29").template });
    await h.engine.settle();
    await h.engine.rollbackDeployment(T, "web");
    await h.engine.settle();
    await h.engine.restartDeployment(T, "web");
    await h.engine.settle();
    expect(h.engine.listRevisions(T, "web").length).toBeGreaterThan(2);
    expect(livePods(h.engine, T, "web")).toHaveLength(2);
    await expect(h.engine.scaleDeployment(T, "web", 3)).rejects.toMatchObject(frozenError);
  });

  it("admits what keeps or lowers the claims, and other tenants grow freely", async () => {
    const h = await setup();
    await h.engine.pauseDeployment(T, "web");
    await h.engine.resumeDeployment(T, "web");
    await h.engine.updateDeployment(T, "web", { progressDeadlineSeconds: 300 });
    // Without surge a restart or a rollback replaces pods one by one: no growth.
    await h.engine.updateDeployment(T, "web", { strategy: { type: "RollingUpdate", maxSurge: 0, maxUnavailable: 1 } });
    await h.engine.restartDeployment(T, "web");
    await h.engine.settle();
    await h.engine.scaleDeployment(T, "web", 1);
    await h.engine.updateNodePool(T, "p", { maxSize: 1 });
    await h.engine.createDeployment("other", webDeployment("api", 3));
    await h.engine.deleteDeployment(T, "web");
    await h.engine.settle();
    expect(livePods(h.engine, "other", "api")).toHaveLength(3);

    h.engine.setGrowthFrozen(T, undefined);
    await h.engine.createDeployment(T, webDeployment("web", 2));
    expect(h.engine.growthFreeze(T)).toBeUndefined();
  });
});
