import { describe, expect, it } from "vitest";
import type { EngineState } from "../../core/state";
import { node as fixtureNode, pod as fixturePod } from "../../kinds/fixtures.test-kit";
import type { Node, Pod } from "../../kinds/types";
import {
  type FilterPlugin,
  placeOnCandidates,
  pluginsFor,
  resourcesFit,
  type ScorePlugin,
} from "../../scheduler/scheduler-plugins";
import { bandwidthFit, INVALID_QOS_REASON, leastCommittedBandwidth } from "./bandwidth-plugins";
import { QOS_ANNOTATIONS as A } from "./qos-annotations";

const mkNode = (id: string): Node => ({ ...fixtureNode, id, name: id, unschedulable: false });
const mkPod = (id: string, nodeId: string | undefined, annotations: Record<string, string>, phase = "Running"): Pod => {
  const p = fixturePod(id, id, true, { nodeId, annotations });
  return { ...p, status: { ...p.status, phase: phase as Pod["status"]["phase"] } };
};

/** Just what the plugins read: pods by node, and allocation for resourcesFit. */
function stateOf(pods: Pod[]): EngineState {
  return {
    podsOnNode: (id: string) => pods.filter((p) => p.nodeId === id),
    allocatedOn: () => ({ cpuMillis: 0, memoryBytes: 0, pods: 0 }),
  } as unknown as EngineState;
}

const n1 = mkNode("n1");
const n2 = mkNode("n2");
const guaranteed = (g: string) => mkPod("new", undefined, { [A.egressGuarantee]: g });

describe("NodeBandwidthFit filter", () => {
  it("passes a node whose NIC has room for the guarantee and refuses one that has not", () => {
    const state = stateOf([
      mkPod("a", "n1", { [A.egressGuarantee]: "4G" }),
      mkPod("b", "n1", { [A.egressGuarantee]: "4G" }),
    ]);
    expect(bandwidthFit.filter(guaranteed("2G"), n1, state)).toEqual({ ok: true });
    expect(bandwidthFit.filter(guaranteed("2.5G"), n1, state)).toEqual({
      ok: false,
      reasons: ["Insufficient egress bandwidth"],
    });
    expect(bandwidthFit.filter(guaranteed("2.5G"), n2, state)).toEqual({ ok: true });
  });

  it("finished pods no longer hold their guarantee", () => {
    const state = stateOf([
      mkPod("a", "n1", { [A.egressGuarantee]: "4.29G" }, "Succeeded"),
      mkPod("b", "n1", { [A.egressGuarantee]: "4.29G" }),
    ]);
    expect(bandwidthFit.filter(guaranteed("4.29G"), n1, state).ok).toBe(true);
  });

  it("never throws: broken annotations fail with a reason; no guarantee always passes", () => {
    const full = stateOf([
      mkPod("a", "n1", { [A.egressGuarantee]: "4.29G" }),
      mkPod("b", "n1", { [A.egressGuarantee]: "4.29G" }),
      mkPod("c", "n1", { [A.egressGuarantee]: "1.42G" }),
    ]);
    expect(bandwidthFit.filter(mkPod("x", undefined, { [A.egressMax]: "lots" }), n1, full)).toEqual({
      ok: false,
      reasons: [INVALID_QOS_REASON],
    });
    expect(bandwidthFit.filter(mkPod("y", undefined, { [A.egressMax]: "1G" }), n1, full).ok).toBe(true);
  });

  it("plugs into the framework: kube's unschedulable message counts the nodes short of bandwidth", () => {
    const state = stateOf([
      mkPod("a", "n1", { [A.ingressGuarantee]: "4.29G", [A.egressGuarantee]: "4.29G" }),
      mkPod("b", "n2", { [A.egressGuarantee]: "4.29G" }),
      mkPod("c", "n1", { [A.egressGuarantee]: "4.29G" }),
      mkPod("d", "n2", { [A.egressGuarantee]: "4.29G" }),
    ]);
    const pod = mkPod("new", undefined, { [A.egressGuarantee]: "2G" });
    const placed = placeOnCandidates(pod, [n1, n2], state, [resourcesFit, bandwidthFit], [leastCommittedBandwidth]);
    expect(placed).toEqual({ message: "0/2 nodes are available: 2 Insufficient egress bandwidth.", evaluated: 2 });
  });
});

describe("LeastCommittedBandwidth score", () => {
  it("prefers the node with less guaranteed after placing the pod", () => {
    const state = stateOf([mkPod("a", "n1", { [A.egressGuarantee]: "4G" })]);
    const pod = guaranteed("1G");
    const s1 = leastCommittedBandwidth.score(pod, n1, state);
    const s2 = leastCommittedBandwidth.score(pod, n2, state);
    expect(s1).toBeCloseTo(75);
    expect(s2).toBeCloseTo(95);
    expect(placeOnCandidates(pod, [n1, n2], state, [bandwidthFit], [leastCommittedBandwidth])).toMatchObject({
      nodeId: "n2",
    });
  });
  it("has no preference for a pod without a guarantee", () => {
    const state = stateOf([mkPod("a", "n1", { [A.egressGuarantee]: "4G" })]);
    expect(leastCommittedBandwidth.score(mkPod("p", undefined, {}), n1, state)).toBe(100);
  });
});

describe("skipping pods the plugins have nothing to say about", () => {
  it("skips pods without a guarantee, never one with broken annotations", () => {
    expect(bandwidthFit.skip?.(mkPod("p", undefined, {}))).toBe(true);
    expect(bandwidthFit.skip?.(mkPod("m", undefined, { [A.egressMax]: "1G" }))).toBe(true);
    expect(bandwidthFit.skip?.(mkPod("x", undefined, { [A.egressMax]: "lots" }))).toBe(false);
    expect(bandwidthFit.skip?.(guaranteed("1G"))).toBe(false);
    expect(leastCommittedBandwidth.skip?.(mkPod("p", undefined, {}))).toBe(true);
    expect(leastCommittedBandwidth.skip?.(guaranteed("1G"))).toBe(false);
  });
  it("a skipped plugin is not asked at any node", () => {
    const pod = mkPod("p", undefined, {});
    const asked: string[] = [];
    const filter: FilterPlugin = {
      name: "Spy",
      skip: () => true,
      filter: () => {
        asked.push("filter");
        return { ok: true };
      },
    };
    const score: ScorePlugin = {
      name: "Spy",
      weight: 1,
      skip: () => true,
      score: () => {
        asked.push("score");
        return 0;
      },
    };
    expect(pluginsFor(pod, [filter, resourcesFit])).toEqual([resourcesFit]);
    expect(placeOnCandidates(pod, [n1, n2], stateOf([]), [filter], [score])).toMatchObject({ nodeId: "n1" });
    expect(asked).toEqual([]);
  });
});
