import { describe, expect, it } from "vitest";
import { numFeasibleNodesToFind } from "./global-scheduler";
import { livePods, startHarness, webDeployment } from "../test-kit";
import type { Pod } from "../kinds/types";

const withCpu = (name: string, replicas: number, cpu: string) => {
  const d = webDeployment(name, replicas);
  return {
    ...d,
    template: {
      labels: { app: name },
      spec: { containers: [{ name: "app", image: "nginx:1.27", resources: { requests: { cpu, memory: "128Mi" } } }] },
    },
  };
};

async function twoTenants(scheduler: "tenant" | "global") {
  const h = await startHarness({ config: { scheduler } });
  await h.engine.createNodePool("a", { name: "p", machineType: "2c4g", minSize: 2, maxSize: 2 });
  await h.engine.createNodePool("b", { name: "p", machineType: "8c16g", minSize: 3, maxSize: 3 });
  await h.engine.settle();
  await h.engine.createDeployment("a", withCpu("web", 6, "500m"));
  await h.engine.createDeployment("b", withCpu("web", 9, "500m"));
  await h.engine.settle();
  return h;
}

describe("scheduler", () => {
  it.each(["tenant", "global"] as const)("%s: places a tenant's pods only on its own nodes", async (algo) => {
    const h = await twoTenants(algo);
    const aNodes = new Set(h.engine.listNodes("a").items.map((n) => n.id));
    const bNodes = new Set(h.engine.listNodes("b").items.map((n) => n.id));
    const aPods = livePods(h.engine, "a", "web");
    const bPods = livePods(h.engine, "b", "web");
    expect(aPods.every((p) => aNodes.has(p.nodeId ?? ""))).toBe(true);
    expect(bPods.every((p) => bNodes.has(p.nodeId ?? ""))).toBe(true);
    // tenant a has 2 x 2 cpu = 8 pods of 500m max; 6 fit; spread 3/3
    expect(aPods.filter((p) => p.nodeId).length).toBe(6);
    const perNode = [...aNodes].map((id) => aPods.filter((p) => p.nodeId === id).length);
    expect(perNode).toEqual([3, 3]);
    expect(h.engine.stats().scheduler.algorithm).toBe(algo);
  });

  it("a tenant without room waits Pending with the kube reason; other tenants are unaffected", async () => {
    const h = await twoTenants("tenant");
    await h.engine.scaleDeployment("a", "web", 10); // 8 fit
    await h.engine.createDeployment("c", withCpu("lonely", 1, "100m")); // tenant c has no nodes
    await h.engine.settle();
    const pending = h.engine.listPods("a", { phase: "Pending" }).items;
    expect(pending).toHaveLength(2);
    const cond = pending[0]?.status.conditions.find((c) => c.type === "PodScheduled");
    expect(cond).toMatchObject({
      status: "False",
      reason: "Unschedulable",
      message: "0/2 nodes are available: 2 Insufficient cpu.",
    });
    const c = h.engine.listPods("c").items[0];
    expect(c?.nodeId).toBeUndefined();
    expect(c?.status.conditions[0]?.message).toMatch(/^0\/0 nodes are available/);
    expect(
      h.engine
        .listEvents("a", { type: "Warning" })
        .items.some((e) => e.reason === "FailedScheduling" && e.message.includes("Insufficient cpu")),
    ).toBe(true);
    expect(livePods(h.engine, "b", "web").every((p) => p.status.phase === "Running")).toBe(true);
  });

  it("builds the message from every filter: insufficient cpu and not ready", async () => {
    const h = await startHarness();
    await h.engine.createNodePool("t", { name: "p", machineType: "2c4g", minSize: 3, maxSize: 3 });
    await h.engine.settle();
    await h.engine.createDeployment("t", withCpu("filler", 2, "1500m"));
    await h.engine.settle();
    const used = new Set(livePods(h.engine, "t", "filler").map((p) => p.nodeId));
    expect(used.size).toBe(2); // spread
    const idle = h.engine.listNodes("t").items.find((n) => !used.has(n.id));
    await h.engine.injectNodeFailure(idle?.id ?? "");
    await h.engine.settle();
    expect(h.engine.getNode("t", idle?.id ?? "").phase).toBe("NotReady");
    await h.engine.createDeployment("t", withCpu("big", 1, "1"));
    await h.engine.settle();
    const p = h.engine.listPods("t", { deployment: "big" }).items[0];
    expect(p?.status.conditions.find((c) => c.type === "PodScheduled")?.message).toBe(
      "0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were not ready.",
    );
    await h.engine.cordonNode("t", [...used][0] ?? "");
    await h.engine.scaleDeployment("t", "big", 2);
    await h.engine.settle();
    const msgs = h.engine.listPods("t", { deployment: "big" }).items.map((x) => x.status.conditions[0]?.message);
    expect(msgs).toContain(
      "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) were not ready, 1 node(s) were unschedulable.",
    );
  });

  it("prefers fuller nodes for unrelated pods (bin packing) but spreads replicas", async () => {
    const h = await startHarness();
    await h.engine.createNodePool("t", { name: "p", machineType: "4c8g", minSize: 3, maxSize: 3 });
    await h.engine.settle();
    await h.engine.createDeployment("t", withCpu("one", 1, "2"));
    await h.engine.settle();
    const first = livePods(h.engine, "t", "one")[0]?.nodeId;
    await h.engine.createDeployment("t", withCpu("two", 1, "500m"));
    await h.engine.settle();
    expect(livePods(h.engine, "t", "two")[0]?.nodeId).toBe(first);
    await h.engine.createDeployment("t", withCpu("three", 3, "100m"));
    await h.engine.settle();
    expect(new Set(livePods(h.engine, "t", "three").map((p) => p.nodeId)).size).toBe(3);
  });

  it("global baseline samples an adaptive share of nodes like kube-scheduler", () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(150)).toBe(100);
    expect(numFeasibleNodesToFind(1000)).toBe(420);
    expect(numFeasibleNodesToFind(5000)).toBe(500);
    expect(numFeasibleNodesToFind(100_000)).toBe(5000);
  });
  it("places a pod in the pass that creates it: its first committed version is bound, or Unschedulable with the reason", async () => {
    const h = await startHarness();
    const firstCommitted = new Map<string, Pod>();
    const commit = h.store.commit.bind(h.store);
    h.store.commit = async (batch) => {
      await commit(batch);
      for (const op of batch.ops)
        if (op.op === "upsert" && op.object.kind === "Pod" && !firstCommitted.has(op.object.id))
          firstCommitted.set(op.object.id, op.object);
    };
    await h.engine.createNodePool("t", { name: "p", machineType: "2c4g", minSize: 1, maxSize: 1 });
    await h.engine.settle();
    await h.engine.createDeployment("t", withCpu("web", 5, "500m")); // 2 cpu: 4 fit
    await h.engine.settle();
    const pods = livePods(h.engine, "t", "web");
    expect(pods).toHaveLength(5);
    const first = pods.map((p) => firstCommitted.get(p.id));
    expect(first.filter((p) => p?.nodeId !== undefined)).toHaveLength(4);
    const waiting = first.filter((p) => p?.nodeId === undefined);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.status.conditions.find((c) => c.type === "PodScheduled")).toMatchObject({
      status: "False",
      reason: "Unschedulable",
    });
  });
});
