import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pod } from "../kinds/types";
import { cachedPodQos, nicCapacityOf, QOS_ANNOTATIONS as A } from "../network/qos";
import { type Harness, livePods, startHarness, webDeployment } from "../test-kit";

/** A deployment whose pods guarantee `egress` (and optionally `ingress`) bits per second. */
const guaranteed = (name: string, replicas: number, egress: string, ingress?: string) => {
  const d = webDeployment(name, replicas);
  return {
    ...d,
    template: {
      ...d.template,
      annotations: { [A.egressGuarantee]: egress, ...(ingress ? { [A.ingressGuarantee]: ingress } : {}) },
    },
  };
};

/** Two 2c4g nodes: a NIC of 5 Gbit/s per direction each. */
async function twoNodes(seed = 42): Promise<Harness> {
  const h = await startHarness({ seed });
  await h.engine.createNodePool("t", { name: "p", machineType: "2c4g", minSize: 2, maxSize: 2 });
  await h.engine.settle();
  return h;
}

const scheduledCondition = (p: Pod | undefined) => p?.status.conditions.find((c) => c.type === "PodScheduled");

/** Per node and direction, Σ guarantees of the pods holding it, counted from the pods themselves. */
function committedByNode(pods: readonly Pod[]): Map<string, { ingress: number; egress: number }> {
  const out = new Map<string, { ingress: number; egress: number }>();
  for (const p of pods) {
    if (!p.nodeId || p.status.phase === "Succeeded" || p.status.phase === "Failed") continue;
    const { qos } = cachedPodQos(p.annotations);
    const sums = out.get(p.nodeId) ?? { ingress: 0, egress: 0 };
    sums.ingress += qos.ingress.guaranteeBitsPerSecond;
    sums.egress += qos.egress.guaranteeBitsPerSecond;
    out.set(p.nodeId, sums);
  }
  return out;
}

describe("scheduling bandwidth guarantees", () => {
  it("puts two pods whose guarantees together exceed one NIC on different nodes", async () => {
    const h = await twoNodes();
    await h.engine.createDeployment("t", guaranteed("a", 1, "3G"));
    await h.engine.createDeployment("t", guaranteed("b", 1, "3G"));
    await h.engine.settle();
    const nodes = [...livePods(h.engine, "t", "a"), ...livePods(h.engine, "t", "b")].map((p) => p.nodeId);
    expect(nodes.every((n) => n !== undefined)).toBe(true);
    expect(new Set(nodes).size).toBe(2);
  });

  it("spreads guarantees even where bin packing alone would stack the pods", async () => {
    const h = await twoNodes();
    // Two replicas of 2G each fit one 5G NIC; the least committed node still wins.
    await h.engine.createDeployment("t", guaranteed("a", 1, "2G"));
    await h.engine.settle();
    await h.engine.createDeployment("t", guaranteed("b", 1, "2G"));
    await h.engine.settle();
    const a = livePods(h.engine, "t", "a")[0]?.nodeId;
    const b = livePods(h.engine, "t", "b")[0]?.nodeId;
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a).not.toBe(b);
  });

  it("keeps a pod that fits nowhere Pending with kube's reason, and places it once a guarantee is freed", async () => {
    const h = await twoNodes();
    await h.engine.createDeployment("t", guaranteed("a", 1, "3G"));
    await h.engine.createDeployment("t", guaranteed("b", 1, "3G"));
    await h.engine.settle();
    await h.engine.createDeployment("t", guaranteed("c", 1, "3G"));
    await h.engine.settle();
    const waiting = livePods(h.engine, "t", "c")[0];
    expect(waiting?.nodeId).toBeUndefined();
    expect(waiting?.status.phase).toBe("Pending");
    const message = "0/2 nodes are available: 2 Insufficient egress bandwidth.";
    expect(scheduledCondition(waiting)).toMatchObject({ status: "False", reason: "Unschedulable", message });
    const failed = h.engine
      .listEvents("t", { type: "Warning" })
      .items.filter((e) => e.reason === "FailedScheduling" && e.message === message);
    expect(failed.length).toBeGreaterThan(0);

    const freed = livePods(h.engine, "t", "a")[0]?.nodeId;
    await h.engine.deleteDeployment("t", "a");
    await h.engine.settle();
    const placed = livePods(h.engine, "t", "c")[0];
    expect(placed?.nodeId).toBe(freed);
    expect(scheduledCondition(placed)?.status).toBe("True");
  });

  it("counts both directions: an ingress guarantee that does not fit is named as ingress", async () => {
    const h = await twoNodes();
    await h.engine.createDeployment("t", guaranteed("a", 2, "1M", "4G"));
    await h.engine.settle();
    await h.engine.createDeployment("t", guaranteed("b", 1, "1M", "2G"));
    await h.engine.settle();
    expect(scheduledCondition(livePods(h.engine, "t", "b")[0])?.message).toBe(
      "0/2 nodes are available: 2 Insufficient ingress bandwidth.",
    );
  });

  it("rebuilds the committed sums on restart: a full node stays full", async () => {
    const h = await twoNodes();
    await h.engine.createDeployment("t", guaranteed("a", 2, "4G"));
    await h.engine.settle();
    await h.engine.stop();
    const again = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now() });
    await again.engine.settle();
    await again.engine.createDeployment("t", guaranteed("b", 1, "2G"));
    await again.engine.settle();
    expect(scheduledCondition(livePods(again.engine, "t", "b")[0])?.message).toBe(
      "0/2 nodes are available: 2 Insufficient egress bandwidth.",
    );
    expect(livePods(again.engine, "t", "a").every((p) => p.nodeId !== undefined)).toBe(true);
  });

  it("leaves pods without annotations as they were: placed by cpu alone", async () => {
    const h = await twoNodes();
    await h.engine.createDeployment("t", guaranteed("a", 2, "4.29G"));
    await h.engine.createDeployment("t", webDeployment("plain", 4));
    await h.engine.settle();
    expect(livePods(h.engine, "t", "plain").every((p) => p.nodeId !== undefined)).toBe(true);
  });

  it("never commits more guarantee than a NIC holds, over random mixes of deployments, scales and deletes", async () => {
    const nic = nicCapacityOf({ cpuMillis: 2000 }).bitsPerSecond;
    const step = fc.oneof(
      fc.record({
        op: fc.constant("create" as const),
        replicas: fc.integer({ min: 1, max: 4 }),
        egressMbit: fc.integer({ min: 0, max: 4290 }),
        ingressMbit: fc.integer({ min: 0, max: 4290 }),
      }),
      fc.record({ op: fc.constant("scale" as const), which: fc.nat(), replicas: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ op: fc.constant("delete" as const), which: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), fc.integer(), async (steps, seed) => {
        const h = await twoNodes(seed);
        const names: string[] = [];
        for (const [i, s] of steps.entries()) {
          if (s.op === "create") {
            const name = `d${i}`;
            const ingress = s.ingressMbit > 0 ? `${s.ingressMbit}M` : undefined;
            await h.engine.createDeployment("t", guaranteed(name, s.replicas, `${s.egressMbit}M`, ingress));
            names.push(name);
          } else if (names.length > 0) {
            const name = names[s.which % names.length] as string;
            if (s.op === "scale") await h.engine.scaleDeployment("t", name, s.replicas);
            else {
              await h.engine.deleteDeployment("t", name);
              names.splice(names.indexOf(name), 1);
            }
          }
          await h.engine.settle();
          const pods = h.engine.listPods("t", { limit: 1000 }).items;
          for (const sums of committedByNode(pods).values()) {
            expect(sums.egress).toBeLessThanOrEqual(nic);
            expect(sums.ingress).toBeLessThanOrEqual(nic);
          }
        }
        await h.engine.stop();
      }),
      { numRuns: 25 },
    );
  });
});
