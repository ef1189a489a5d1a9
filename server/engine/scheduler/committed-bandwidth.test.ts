import { describe, expect, it } from "vitest";
import { EngineState } from "../core/state";
import { node as fixtureNode, pod as fixturePod } from "../kinds/fixtures.test-kit";
import type { Pod } from "../kinds/types";
import { QOS_ANNOTATIONS as A } from "../network/qos";
import { CommittedBandwidth, committedBandwidthOf, guaranteeOf, uncommittedBandwidthOn } from "./committed-bandwidth";

const mkPod = (id: string, nodeId: string | undefined, egress: string, phase: Pod["status"]["phase"] = "Running") => {
  const p = fixturePod(id, id, true, { nodeId, annotations: { [A.egressGuarantee]: egress } });
  return { ...p, status: { ...p.status, phase } };
};

function ledgerOver(pods: Pod[]): { state: EngineState; ledger: CommittedBandwidth } {
  const state = new EngineState();
  for (const p of pods) state.put(p);
  const ledger = new CommittedBandwidth(state);
  ledger.rebuild(state.all("Pod"));
  return { state, ledger };
}

const node = (id: string, tenantId: string) => ({ id, tenantId });

describe("committed bandwidth per node", () => {
  it("sums the guarantees of the pods holding each node; unbound, finished and unguaranteed pods count nothing", () => {
    const a = mkPod("a", "n1", "1G");
    const { ledger } = ledgerOver([
      a,
      mkPod("b", "n1", "500M"),
      mkPod("c", "n2", "2G"),
      mkPod("d", undefined, "3G", "Pending"),
      mkPod("e", "n1", "4G", "Succeeded"),
      mkPod("f", "n1", "0"),
    ]);
    expect(ledger.committedOn(node("n1", a.tenantId))).toEqual({ ingress: 0, egress: 1_500_000_000 });
    expect(ledger.committedOn(node("n2", a.tenantId))).toEqual({ ingress: 0, egress: 2_000_000_000 });
    expect(ledger.committedOn(node("n3", a.tenantId))).toEqual({ ingress: 0, egress: 0 });
  });

  it("counts a pod once however often it is synced, and moves it when it moves", () => {
    const a = mkPod("a", "n1", "1G");
    const { ledger } = ledgerOver([]);
    ledger.sync(a);
    ledger.sync(a);
    expect(ledger.committedOn(node("n1", a.tenantId)).egress).toBe(1_000_000_000);
    ledger.sync({ ...a, nodeId: "n2" });
    expect(ledger.committedOn(node("n1", a.tenantId)).egress).toBe(0);
    expect(ledger.committedOn(node("n2", a.tenantId)).egress).toBe(1_000_000_000);
  });

  it("releases what a deleted or finished pod held once its tenant is reported changed", () => {
    const a = mkPod("a", "n1", "1G");
    const b = mkPod("b", "n1", "2G");
    const { state, ledger } = ledgerOver([a, b]);
    state.remove("Pod", "a");
    state.put({ ...b, status: { ...b.status, phase: "Failed" } });
    // Not told yet: still counted (the safe side: a node looks fuller, never emptier).
    expect(ledger.committedOn(node("n1", a.tenantId)).egress).toBe(3_000_000_000);
    ledger.tenantChanged(a.tenantId);
    expect(ledger.committedOn(node("n1", a.tenantId)).egress).toBe(0);
  });
});

describe("bandwidth for capacity planning", () => {
  it("a node's uncommitted NIC is its NIC less the guarantees it holds", () => {
    const a = mkPod("a", "n1", "1G");
    const state = new EngineState();
    state.put(a);
    committedBandwidthOf(state).rebuild(state.all("Pod"));
    const n = {
      ...fixtureNode,
      id: "n1",
      tenantId: a.tenantId,
      capacity: { ...fixtureNode.capacity, cpuMillis: 2000 },
    };
    expect(uncommittedBandwidthOn(state, n)).toEqual({ ingress: 5e9, egress: 4e9 });
    expect(guaranteeOf(a)).toEqual({ ingress: 0, egress: 1e9 });
  });
});
