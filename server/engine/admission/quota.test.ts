import { describe, expect, it } from "vitest";
import { livePods, startHarness, webDeployment } from "../test-kit";

const T = "t";
async function setup() {
  const h = await startHarness();
  await h.engine.createNodePool(T, { name: "p", machineType: "8c16g", minSize: 2, maxSize: 2 });
  await h.engine.setQuota(T, { cpu: "2", memory: "8Gi", pods: 20 });
  await h.engine.settle();
  return h;
}

describe("quotas", () => {
  it("admits within the quota and refuses a scale beyond it with the kube message, changing nothing", async () => {
    const h = await setup();
    await h.engine.createDeployment(T, webDeployment("web", 4)); // 4 x 250m (+1 surge while rolling out)
    await h.engine.settle();
    await h.engine.scaleDeployment(T, "web", 8); // 2 cpu exactly
    await h.engine.settle();
    await expect(h.engine.scaleDeployment(T, "web", 9)).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      message: "exceeded quota: tenant-quota, requested: cpu=250m, used: cpu=2, limited: cpu=2",
    });
    expect(h.engine.getDeployment(T, "web").spec.replicas).toBe(8);
    await h.engine.settle();
    expect(livePods(h.engine, T, "web")).toHaveLength(8);
  });

  it("counts the surge a rollout needs", async () => {
    const h = await setup();
    await h.engine.createDeployment(T, webDeployment("web", 7));
    await h.engine.settle();
    // 7 + 2 surge = 9 x 250m = 2.25 cpu > 2
    await expect(
      h.engine.updateDeployment(T, "web", { template: webDeployment("web", 7, "nginx:1.28").template }),
    ).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      message: "exceeded quota: tenant-quota, requested: cpu=500m, used: cpu=1750m, limited: cpu=2",
    });
    expect(h.engine.listRevisions(T, "web")).toHaveLength(1);
  });

  it("checks pods and memory, listing every exceeded resource", async () => {
    const h = await setup();
    await h.engine.setQuota(T, { pods: 3, memory: "512Mi" });
    await expect(h.engine.createDeployment(T, webDeployment("web", 4))).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      message:
        "exceeded quota: tenant-quota, requested: memory=1Gi,pods=4, used: memory=0,pods=0, limited: memory=512Mi,pods=3",
    });
    expect(h.engine.listDeployments(T).items).toHaveLength(0);
  });

  it("never lets actual usage exceed a lowered quota: pod creation fails with FailedCreate, then recovers", async () => {
    const h = await setup();
    await h.engine.createDeployment(T, webDeployment("web", 4));
    await h.engine.settle();
    await h.engine.setQuota(T, { pods: 3 });
    await h.engine.deletePod(T, livePods(h.engine, T, "web")[0]?.name ?? "");
    await h.engine.runFor(120_000);
    expect(livePods(h.engine, T, "web")).toHaveLength(3);
    const ev = h.engine.listEvents(T, { objectKind: "ReplicaSet" }).items.find((e) => e.reason === "FailedCreate");
    expect(ev?.message).toMatch(
      /is forbidden: exceeded quota: tenant-quota, requested: pods=1, used: pods=3, limited: pods=3/,
    );
    expect(ev?.type).toBe("Warning");
    await h.engine.setQuota(T, { pods: 10 });
    await h.engine.runFor(2_000_000);
    expect(livePods(h.engine, T, "web")).toHaveLength(4);
    expect(h.engine.getQuota(T).used.pods).toBe(4);
  });

  it("limits nodes: pool minSize and provisioner growth", async () => {
    const h = await startHarness();
    await h.engine.setQuota(T, { nodes: 2 });
    await expect(
      h.engine.createNodePool(T, { name: "p", machineType: "2c4g", minSize: 3, maxSize: 5 }),
    ).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      message: "exceeded quota: tenant-quota, requested: nodes=3, used: nodes=0, limited: nodes=2",
    });
    await h.engine.createNodePool(T, { name: "p", machineType: "2c4g", minSize: 1, maxSize: 2 });
    await h.engine.createDeployment(T, {
      ...webDeployment("big", 4),
      template: {
        spec: { containers: [{ name: "a", image: "nginx", resources: { requests: { cpu: "1500m", memory: "1Gi" } } }] },
      },
    });
    await h.engine.settle();
    expect(h.engine.listNodes(T).items).toHaveLength(2);
    expect(h.engine.listPods(T, { phase: "Pending" }).items).toHaveLength(2);
    expect(
      h.engine.listEvents(T).items.some((e) => e.reason === "NotTriggerScaleUp" && e.message.includes("nodes quota")),
    ).toBe(true);
  });
});
