import { describe, expect, it } from "vitest";
import { livePods, startHarness, webDeployment } from "../test-kit";

const T = "tenant-a";

describe("a pool's maximum and the node quota", () => {
  it("refuses a pool whose maximum is above the tenant's nodes quota, on create and on update", async () => {
    const h = await startHarness();
    await h.engine.setQuota(T, { nodes: 3 });
    await expect(h.engine.createNodePool(T, { name: "big", machineType: "2c4g", maxSize: 4 })).rejects.toMatchObject({
      code: "INVALID",
      message: "nodePool.maxSize: 4 is above the tenant's nodes quota (3); use 3 or less",
    });
    expect(h.engine.listNodePools(T).items).toHaveLength(0);
    await h.engine.createNodePool(T, { name: "p", machineType: "2c4g", maxSize: 3 });
    await expect(h.engine.updateNodePool(T, "p", { maxSize: 5 })).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("nodes quota (3)"),
    });
    expect(h.engine.listNodePools(T).items[0]?.maxSize).toBe(3);
  });

  it("lets an operator lower the quota below a pool's maximum; the pool is held to it only when its maximum is set again", async () => {
    const h = await startHarness();
    await h.engine.createNodePool(T, { name: "p", machineType: "2c4g", maxSize: 5 });
    await h.engine.setQuota(T, { nodes: 2 });
    await h.engine.updateNodePool(T, "p", { labels: { tier: "web" } });
    await expect(h.engine.updateNodePool(T, "p", { minSize: 1, maxSize: 5 })).rejects.toMatchObject({
      code: "INVALID",
    });
    await h.engine.updateNodePool(T, "p", { minSize: 1, maxSize: 2 });
    expect(h.engine.listNodePools(T).items[0]).toMatchObject({ minSize: 1, maxSize: 2 });
  });

  it("is not limited without a nodes quota", async () => {
    const h = await startHarness();
    await h.engine.createNodePool(T, { name: "p", machineType: "2c4g", maxSize: 1000 });
    expect(h.engine.listNodePools(T).items[0]?.maxSize).toBe(1000);
  });
});

describe("operator capacity by tenant", () => {
  it("counts as used only the pods bound to the tenant's nodes; Pending pods are counted apart", async () => {
    const h = await startHarness();
    await h.engine.setQuota(T, { nodes: 1 });
    await h.engine.createNodePool(T, { name: "small", machineType: "2c4g", minSize: 1, maxSize: 1 });
    await h.engine.settle();
    // 3 x 800m on one 2-core node: two are placed, the third waits for room that never comes.
    const spec = webDeployment("batch", 3);
    spec.template.spec.containers[0]!.resources = { requests: { cpu: "800m", memory: "512Mi" } };
    await h.engine.createDeployment(T, spec);
    await h.engine.settle();
    expect(livePods(h.engine, T).filter((p) => p.status.phase === "Pending")).toHaveLength(1);

    const usage = h.engine.usageByTenant().find((u) => u.tenantId === T);
    expect(usage).toMatchObject({
      nodes: 1,
      used: { cpuMillis: 1600, memoryBytes: 1024 * 2 ** 20, pods: 2 },
      pending: 1,
    });
    expect(usage!.used.cpuMillis).toBeLessThanOrEqual(usage!.capacity.cpuMillis);
    // Quota admission still counts the Pending pod: it is claimed, it just takes no room.
    expect(h.engine.getQuota(T).used.pods).toBe(3);
  });
});
