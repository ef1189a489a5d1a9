import { describe, expect, it } from "vitest";
import { QOS_ANNOTATIONS as A } from "../network/qos";
import { livePods, startHarness, webDeployment } from "../test-kit";

const guaranteed = (name: string, replicas: number, egress: string) => {
  const d = webDeployment(name, replicas);
  return { ...d, template: { ...d.template, annotations: { [A.egressGuarantee]: egress } } };
};

describe("scale-up for bandwidth", () => {
  it("adds a node when the pending pod's guarantee fits no NIC, though its cpu would fit", async () => {
    const h = await startHarness();
    await h.engine.createNodePool("t", { name: "p", machineType: "2c4g", minSize: 1, maxSize: 3 });
    await h.engine.settle();
    await h.engine.createDeployment("t", guaranteed("a", 1, "4G"));
    await h.engine.settle();
    await h.engine.createDeployment("t", guaranteed("b", 1, "4G"));
    await h.engine.settle();
    expect(h.engine.listNodes("t").items).toHaveLength(2);
    const a = livePods(h.engine, "t", "a")[0]?.nodeId;
    const b = livePods(h.engine, "t", "b")[0]?.nodeId;
    expect(b).toBeDefined();
    expect(b).not.toBe(a);
  });
});
