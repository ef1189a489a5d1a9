import { describe, expect, it } from "vitest";
import { startHarness, webDeployment } from "../test-kit";

const T = "tenant-a";
const STALE = {
  code: "CONFLICT",
  message: expect.stringContaining(
    "the object has been modified; please apply your changes to the latest version and try again",
  ),
};

async function world() {
  const h = await startHarness();
  await h.engine.createNodePool(T, { name: "pool", machineType: "8c16g", minSize: 1, maxSize: 2 });
  await h.engine.settle();
  await h.engine.createDeployment(T, webDeployment("web", 2));
  await h.engine.settle();
  return h;
}

describe("resourceVersion preconditions", () => {
  it("a stale resourceVersion is refused with CONFLICT on every deployment write, and nothing changes", async () => {
    const h = await world();
    const seen = h.engine.getDeployment(T, "web");
    await h.engine.scaleDeployment(T, "web", 3, { resourceVersion: seen.resourceVersion }); // current: accepted
    await h.engine.settle();
    const before = JSON.stringify(h.store.snapshot());
    const commits = h.store.commits;
    const stale = { resourceVersion: seen.resourceVersion };
    const t = webDeployment("web", 1, "nginx:2").template;
    await expect(h.engine.updateDeployment(T, "web", { template: t }, stale)).rejects.toMatchObject(STALE);
    await expect(h.engine.scaleDeployment(T, "web", 5, stale)).rejects.toMatchObject({
      ...STALE,
      message: expect.stringMatching(/^Operation cannot be fulfilled on deployments\.apps "web": /),
    });
    await expect(h.engine.pauseDeployment(T, "web", stale)).rejects.toMatchObject(STALE);
    await expect(h.engine.resumeDeployment(T, "web", stale)).rejects.toMatchObject(STALE);
    await expect(h.engine.restartDeployment(T, "web", stale)).rejects.toMatchObject(STALE);
    await expect(h.engine.rollbackDeployment(T, "web", undefined, stale)).rejects.toMatchObject(STALE);
    await expect(h.engine.deleteDeployment(T, "web", stale)).rejects.toMatchObject(STALE);
    expect(h.store.commits).toBe(commits);
    expect(JSON.stringify(h.store.snapshot())).toBe(before);
  });

  it("pods, node pools, nodes, namespaces and quotas take the precondition too", async () => {
    const h = await world();
    await h.engine.createNamespace(T, { name: "extra" });
    const q = await h.engine.setResourceQuota(T, { hard: { pods: 10 } });
    const pod = h.engine.listPods(T).items[0];
    const node = h.engine.listNodes(T).items[0];
    const pool = h.engine.listNodePools(T).items[0];
    const ns = h.engine.getNamespace(T, "extra");
    const before = JSON.stringify(h.store.snapshot());
    const stale = (rv: number | undefined) => ({ resourceVersion: (rv ?? 0) - 1 });
    await expect(h.engine.deletePod(T, pod?.name ?? "", stale(pod?.resourceVersion))).rejects.toMatchObject(STALE);
    await expect(h.engine.cordonNode(T, node?.name ?? "", stale(node?.resourceVersion))).rejects.toMatchObject(STALE);
    await expect(h.engine.drainNode(T, node?.name ?? "", stale(node?.resourceVersion))).rejects.toMatchObject(STALE);
    await expect(
      h.engine.updateNodePool(T, "pool", { maxSize: 3 }, stale(pool?.resourceVersion)),
    ).rejects.toMatchObject(STALE);
    await expect(h.engine.deleteNodePool(T, "pool", stale(pool?.resourceVersion))).rejects.toMatchObject(STALE);
    await expect(h.engine.deleteNamespace(T, "extra", stale(ns.resourceVersion))).rejects.toMatchObject(STALE);
    await expect(
      h.engine.setResourceQuota(T, { hard: { pods: 1 }, resourceVersion: q.resourceVersion - 1 }),
    ).rejects.toMatchObject(STALE);
    expect(JSON.stringify(h.store.snapshot())).toBe(before);
    // With the current version each goes through.
    await h.engine.cordonNode(T, node?.name ?? "", { resourceVersion: node?.resourceVersion });
    await h.engine.deleteNamespace(T, "extra", { resourceVersion: ns.resourceVersion });
    expect(h.engine.getNode(T, node?.name ?? "").unschedulable).toBe(true);
  });

  it("every write stamps the object with its commit's revision", async () => {
    const h = await world();
    const a = await h.engine.scaleDeployment(T, "web", 3);
    const b = await h.engine.scaleDeployment(T, "web", 4);
    expect(b.resourceVersion).toBeGreaterThan(a.resourceVersion);
    expect(h.engine.getDeployment(T, "web").resourceVersion).toBeGreaterThanOrEqual(b.resourceVersion);
  });
});
