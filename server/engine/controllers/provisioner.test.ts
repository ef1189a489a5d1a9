import { describe, expect, it } from "vitest";
import { livePods, startHarness, webDeployment } from "../test-kit";
import type { Pod } from "../kinds/types";

const T = "t";
describe("node provisioner", () => {
  it("grows the pool when pods cannot fit; trimmed image + static IP give a container in < 40 s", async () => {
    const h = await startHarness();
    await h.engine.createNodePool(T, {
      name: "fast",
      machineType: "2c4g",
      minSize: 0,
      maxSize: 5,
      trimmedImage: true,
      staticIp: true,
    });
    await h.engine.settle();
    expect(h.engine.listNodes(T).items).toHaveLength(0);
    const t0 = h.clock.now();
    await h.engine.createDeployment(T, webDeployment("web", 1));
    await h.engine.settle();
    const p = livePods(h.engine, T, "web")[0] as Pod;
    expect(p.status.phase).toBe("Running");
    const took = (p.runningAt ?? 0) - t0;
    expect(took).toBeLessThan(40_000);
    expect(took).toBeGreaterThan(15_000);
    expect(h.engine.listNodes(T).items).toHaveLength(1);
    expect(h.engine.listEvents(T).items.some((e) => e.reason === "TriggeredScaleUp")).toBe(true);
  });

  it("without the fast path, VM boot makes it slower than 40 s", async () => {
    const h = await startHarness();
    await h.engine.createNodePool(T, { name: "slow", machineType: "2c4g", minSize: 0, maxSize: 5 });
    const t0 = h.clock.now();
    await h.engine.createDeployment(T, webDeployment("web", 1));
    await h.engine.settle();
    const p = livePods(h.engine, T, "web")[0] as Pod;
    expect((p.runningAt ?? 0) - t0).toBeGreaterThan(40_000);
  });

  it("adds as many VMs as needed up to maxSize; the rest stay Pending", async () => {
    const h = await startHarness();
    await h.engine.createNodePool(T, { name: "p", machineType: "2c4g", minSize: 0, maxSize: 3 });
    const big = {
      ...webDeployment("big", 5),
      template: {
        spec: { containers: [{ name: "a", image: "nginx", resources: { requests: { cpu: "1500m", memory: "1Gi" } } }] },
      },
    };
    await h.engine.createDeployment(T, big);
    await h.engine.settle();
    expect(h.engine.listNodes(T).items).toHaveLength(3);
    expect(livePods(h.engine, T, "big").filter((p) => p.status.phase === "Running")).toHaveLength(3);
    expect(h.engine.listPods(T, { phase: "Pending" }).items).toHaveLength(2);
  });

  it("a warm standby makes placement immediate and is replenished", async () => {
    const h = await startHarness();
    await h.engine.createNodePool(T, { name: "p", machineType: "2c4g", minSize: 0, maxSize: 5, warmPoolSize: 1 });
    await h.engine.settle();
    expect(h.engine.listNodes(T).items.filter((n) => n.warm && n.phase === "Ready")).toHaveLength(1);
    const t0 = h.clock.now();
    await h.engine.createDeployment(T, webDeployment("web", 1));
    await h.engine.settle();
    const p = livePods(h.engine, T, "web")[0] as Pod;
    expect((p.scheduledAt ?? Infinity) - t0).toBeLessThan(100);
    expect((p.runningAt ?? Infinity) - t0).toBeLessThan(10_000);
    const nodes = h.engine.listNodes(T).items;
    expect(nodes.filter((n) => !n.warm)).toHaveLength(1);
    expect(nodes.filter((n) => n.warm && n.phase === "Ready")).toHaveLength(1);
  });

  it("removes idle nodes above minSize only after the scale-down delay", async () => {
    const h = await startHarness();
    await h.engine.createNodePool(T, { name: "p", machineType: "2c4g", minSize: 1, maxSize: 5 });
    await h.engine.settle();
    const big = {
      ...webDeployment("big", 3),
      template: {
        spec: { containers: [{ name: "a", image: "nginx", resources: { requests: { cpu: "1500m", memory: "1Gi" } } }] },
      },
    };
    await h.engine.createDeployment(T, big);
    await h.engine.settle();
    expect(h.engine.listNodes(T).items).toHaveLength(3);
    await h.engine.deleteDeployment(T, "big");
    await h.engine.runFor(60_000);
    expect(h.engine.listNodes(T).items).toHaveLength(3);
    await h.engine.runFor(500_000);
    expect(h.engine.listNodes(T).items).toHaveLength(3);
    await h.engine.settle();
    expect(h.engine.listNodes(T).items).toHaveLength(1);
    expect(h.engine.listEvents(T).items.filter((e) => e.reason === "ScaleDown")).toHaveLength(2);
  });
});

describe("node pools", () => {
  it("validates pool changes; a pool is deleted only once its pods have moved to another pool", async () => {
    const h = await startHarness();
    await expect(
      h.engine.createNodePool(T, { name: "p", machineType: "2c4g", minSize: 3, maxSize: 2 }),
    ).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("minSize 3 is larger than maxSize 2"),
    });
    await expect(
      h.engine.createNodePool(T, { name: "p", machineType: "16c32g" as never, maxSize: 2 }),
    ).rejects.toMatchObject({ code: "INVALID" });
    await h.engine.createNodePool(T, { name: "a", machineType: "4c8g", minSize: 1, maxSize: 1 });
    await h.engine.createNodePool(T, { name: "b", machineType: "4c8g", minSize: 1, maxSize: 1 });
    await expect(h.engine.createNodePool(T, { name: "a", machineType: "4c8g", maxSize: 1 })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(h.engine.updateNodePool(T, "a", { machineType: "8c16g" })).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("cannot be changed"),
    });
    await h.engine.settle();
    await h.engine.createDeployment(T, webDeployment("web", 4));
    await h.engine.settle();
    const nodeA = h.engine.listNodes(T, { pool: "a" }).items[0]?.id;
    expect(livePods(h.engine, T, "web").filter((p) => p.nodeId === nodeA).length).toBeGreaterThan(0);
    await expect(h.engine.deleteNodePool(T, "a")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("drain its nodes first"),
    });
    expect(h.engine.listNodePools(T).items.map((p) => p.name)).toEqual(["a", "b"]);
    await h.engine.updateNodePool(T, "a", { minSize: 0, maxSize: 0 });
    await h.engine.drainNode(T, nodeA!);
    await h.engine.settle();
    await h.engine.deleteNodePool(T, "a");
    await h.engine.settle();
    expect(h.engine.listNodePools(T).items.map((p) => p.name)).toEqual(["b"]);
    const pods = livePods(h.engine, T, "web");
    expect(pods).toHaveLength(4);
    expect(pods.every((p) => p.status.phase === "Running" && p.nodeId !== nodeA)).toBe(true);
    await h.engine.updateNodePool(T, "b", { maxSize: 3, minSize: 2, labels: { tier: "web" } });
    await h.engine.settle();
    const nodes = h.engine.listNodes(T).items;
    expect(nodes).toHaveLength(2);
    expect(nodes.every((n) => n.labels.tier === "web")).toBe(true);
  });

  it("operator stats show capacity, queues per priority and scheduler counters", async () => {
    const h = await startHarness();
    await h.engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 2, maxSize: 2 });
    await h.engine.settle();
    await h.engine.createDeployment(T, webDeployment("web", 3));
    await h.engine.settle();
    const s = h.engine.stats();
    expect(s.capacity).toEqual({ cpuMillis: 8000, memoryBytes: 16 * 2 ** 30, pods: 220 });
    expect(s.allocated).toMatchObject({ cpuMillis: 750, pods: 3 });
    expect(s.nodesByPhase.Ready).toBe(2);
    expect(s.podsAvailable).toBe(3);
    expect(Object.keys(s.queues).sort()).toEqual([
      "deployment",
      "endpoints",
      "gc",
      "node",
      "provisioner",
      "publicips",
      "replicaset",
    ]);
    expect(s.queues.deployment).toMatchObject({ add: 0, update: 0, delete: 0, syncAll: 0, total: 0 });
    expect(s.scheduler).toMatchObject({ algorithm: "tenant", scheduled: 3 });
    expect(s.engine.commits).toBeGreaterThan(0);
  });
});
