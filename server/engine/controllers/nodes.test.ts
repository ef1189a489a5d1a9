import { describe, expect, it } from "vitest";
import { availablePods, livePods, startHarness, webDeployment } from "../test-kit";
import type { Pod } from "../kinds/types";

const T = "t";
async function setup(replicas = 6, nodes = 3) {
  const h = await startHarness();
  await h.engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: nodes, maxSize: nodes });
  await h.engine.settle();
  await h.engine.createDeployment(T, webDeployment("web", replicas));
  await h.engine.settle();
  return h;
}

describe("nodes", () => {
  it("drain cordons, evicts gracefully, pods are recreated elsewhere; progress is readable", async () => {
    const h = await setup();
    const node = h.engine.listNodes(T).items[0];
    const id = node?.id ?? "";
    expect(h.engine.getNode(T, id).podsRemaining).toBe(2);
    expect(await h.engine.drainNode(T, id)).toEqual({ evicted: 2 });
    let n = h.engine.getNode(T, id);
    expect(n).toMatchObject({ unschedulable: true, draining: true, podsRemaining: 2 });
    await h.engine.runFor(5_000);
    expect(livePods(h.engine, T, "web").filter((p) => p.nodeId === id)).toHaveLength(0);
    expect(availablePods(h.engine, T, "web")).toHaveLength(6);
    await h.engine.settle();
    n = h.engine.getNode(T, id);
    expect(n).toMatchObject({ unschedulable: true, draining: false, podsRemaining: 0 });
    expect(h.engine.listEvents(T, { objectName: n.name }).items.map((e) => e.reason)).toEqual(
      expect.arrayContaining(["Draining", "Drained"]),
    );
    await h.engine.uncordonNode(T, id);
    await h.engine.scaleDeployment(T, "web", 9);
    await h.engine.settle();
    expect(livePods(h.engine, T, "web").filter((p) => p.nodeId === id).length).toBeGreaterThan(0);
  });

  it("moves a pod make-before-break", async () => {
    const h = await setup(2);
    const pod = livePods(h.engine, T, "web")[0] as Pod;
    const target = h.engine.listNodes(T).items.find((n) => n.podsRemaining === 0);
    const copy = await h.engine.movePod(T, pod.name, target?.name ?? "");
    expect(copy.nodeId).toBe(target?.id);
    await h.engine.whenIdle();
    expect(h.engine.getPod(T, pod.id).deletionTimestamp).toBeUndefined(); // old one serves until the copy is up
    await h.engine.settle();
    const pods = livePods(h.engine, T, "web");
    expect(pods).toHaveLength(2);
    expect(pods.some((p) => p.id === copy.id && p.status.phase === "Running")).toBe(true);
    expect(() => h.engine.getPod(T, pod.id)).toThrow(/not found/);
    await expect(h.engine.movePod(T, copy.name, target?.id ?? "")).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(h.engine.movePod("other", copy.name, target?.id ?? "")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await h.engine.cordonNode(T, pods.find((p) => p.id !== copy.id)?.nodeId ?? "");
    const other = pods.find((p) => p.id !== copy.id)?.nodeId ?? "";
    await expect(h.engine.movePod(T, copy.name, other)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("node(s) were unschedulable"),
    });
  });

  it("a failed node goes NotReady after 50 s; its pods are evicted after 300 s and recreated; it recovers", async () => {
    const h = await setup(6);
    const victim = h.engine.listNodes(T).items[0];
    const id = victim?.id ?? "";
    const onVictim = livePods(h.engine, T, "web")
      .filter((p) => p.nodeId === id)
      .map((p) => p.id);
    expect(onVictim).toHaveLength(2);
    const t0 = h.clock.now();
    await h.engine.injectNodeFailure(id);
    await h.engine.runFor(45_000);
    expect(h.engine.getNode(T, id).phase).toBe("Ready");
    await h.engine.runFor(15_000);
    expect(h.engine.getNode(T, id).phase).toBe("NotReady");
    expect(availablePods(h.engine, T, "web")).toHaveLength(4);
    await h.engine.runFor(250_000); // t0 + 310 s: not yet evicted
    expect(livePods(h.engine, T, "web").filter((p) => p.nodeId === id)).toHaveLength(2);
    await h.engine.settle();
    expect(h.clock.now() - t0).toBeGreaterThanOrEqual(350_000);
    const pods = livePods(h.engine, T, "web");
    expect(pods).toHaveLength(6);
    expect(pods.every((p) => p.nodeId !== id && p.status.phase === "Running")).toBe(true);
    expect(onVictim.every((pid) => !pods.some((p) => p.id === pid))).toBe(true);
    expect(h.engine.listEvents(T, { type: "Warning" }).items.map((e) => e.reason)).toEqual(
      expect.arrayContaining(["NodeNotReady", "NodeLost"]),
    );
    await h.engine.recoverNode(id);
    await h.engine.settle();
    expect(h.engine.getNode(T, id).phase).toBe("Ready");
    expect(h.engine.stats().nodesByPhase.NotReady).toBe(0);
  });

  it("evicted pods wait Pending with a clear reason when no healthy node has room", async () => {
    const h = await setup(2, 1);
    const id = h.engine.listNodes(T).items[0]?.id ?? "";
    await h.engine.injectNodeFailure(id);
    await h.engine.settle();
    const pending = h.engine.listPods(T, { phase: "Pending" }).items.filter((p) => p.deletionTimestamp === undefined);
    expect(pending).toHaveLength(2);
    expect(pending[0]?.status.conditions[0]?.message).toBe("0/1 nodes are available: 1 node(s) were not ready.");
    await h.engine.recoverNode(id);
    await h.engine.settle();
    expect(availablePods(h.engine, T, "web")).toHaveLength(2);
  });
});
