import { describe, expect, it } from "vitest";
import { QOS_ANNOTATIONS as A } from "../network/qos";
import { livePods, startHarness, webDeployment } from "../test-kit";

const guaranteed = (name: string, replicas: number, egress: string) => {
  const d = webDeployment(name, replicas);
  return { ...d, template: { ...d.template, annotations: { [A.egressGuarantee]: egress } } };
};

describe("moving a pod with a guarantee", () => {
  it("holds the guarantee on the target node from the move on", async () => {
    const h = await startHarness();
    await h.engine.createNodePool("t", { name: "p", machineType: "2c4g", minSize: 2, maxSize: 2 });
    await h.engine.settle();
    await h.engine.createDeployment("t", guaranteed("a", 1, "3G"));
    await h.engine.settle();
    const a = livePods(h.engine, "t", "a")[0];
    const target = h.engine.listNodes("t").items.find((n) => n.id !== a?.nodeId);
    await h.engine.movePod("t", a?.name ?? "", target?.name ?? "");
    await h.engine.createDeployment("t", guaranteed("c", 1, "3G"));
    await h.engine.runFor(1);
    // While both copies of a hold their nodes, c fits on neither.
    const c = livePods(h.engine, "t", "c")[0];
    const copies = livePods(h.engine, "t", "a").map((p) => p.nodeId);
    if (c?.nodeId) expect(copies).not.toContain(c.nodeId);
    await h.engine.settle();
    const pods = h.engine
      .listPods("t", { limit: 100 })
      .items.filter((p) => p.nodeId && p.status.phase !== "Failed" && p.status.phase !== "Succeeded");
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.nodeId as string, (perNode.get(p.nodeId as string) ?? 0) + 3);
    for (const g of perNode.values()) expect(g).toBeLessThanOrEqual(5);
    expect(livePods(h.engine, "t", "c")[0]?.nodeId).toBeDefined();
  });
});
