/**
 * Scheduler plugins for bandwidth guarantees, in the shape of scheduler/scheduler-plugins.ts.
 * Guarantees: the filter passes a node only when, in both directions, the guarantees of the
 * pods holding it plus this pod's fit its NIC (nicCapacityOf(node.capacity)); it never
 * throws: a pod with broken QoS annotations fails with a reason instead. The score prefers
 * the node with the least guarantee committed after placing the pod (0..100), so guarantees
 * spread and headroom to borrow stays where it is. Pods without a guarantee always pass and
 * score 100 on every node (no preference from bandwidth).
 */
import type { EngineState } from "../../core/state";
import { holdsNode } from "../../kinds/pod-status";
import type { Node, Pod } from "../../kinds/types";
import type { FilterPlugin, FilterStatus, ScorePlugin } from "../../scheduler/scheduler-plugins";
import { committedGuarantees, guaranteeShortfalls, insufficientReason } from "./guarantee-admission";
import { nicCapacityOf } from "./nic-capacity";
import { cachedPodQos } from "./qos-annotations";

const OK: FilterStatus = { ok: true };
export const INVALID_QOS_REASON = "Pod's bandwidth annotations are invalid";

/** Guarantees of the pods holding `node`, counted as allocatedOn counts requests. */
export function committedOnNode(node: Node, state: EngineState) {
  return committedGuarantees(state.podsOnNode(node.id).filter(holdsNode));
}

const hasGuarantee = (pod: Pod): boolean => {
  const { qos } = cachedPodQos(pod.annotations);
  return qos.ingress.guaranteeBitsPerSecond > 0 || qos.egress.guaranteeBitsPerSecond > 0;
};

export const bandwidthFit: FilterPlugin = {
  name: "NodeBandwidthFit",
  filter: (pod, node, state) => {
    const { qos, problems } = cachedPodQos(pod.annotations);
    if (problems.length > 0) return { ok: false, reasons: [INVALID_QOS_REASON] };
    if (!hasGuarantee(pod)) return OK;
    const short = guaranteeShortfalls(qos, nicCapacityOf(node.capacity), committedOnNode(node, state));
    return short.length === 0 ? OK : { ok: false, reasons: short.map((s) => insufficientReason(s.direction)) };
  },
};

export const leastCommittedBandwidth: ScorePlugin = {
  name: "LeastCommittedBandwidth",
  weight: 1,
  score: (pod, node, state) => {
    if (!hasGuarantee(pod)) return 100;
    const { qos } = cachedPodQos(pod.annotations);
    const nic = nicCapacityOf(node.capacity);
    const committed = committedOnNode(node, state);
    const ingress = (committed.ingress + qos.ingress.guaranteeBitsPerSecond) / nic.bitsPerSecond;
    const egress = (committed.egress + qos.egress.guaranteeBitsPerSecond) / nic.bitsPerSecond;
    return Math.max(0, Math.min(100, (1 - (ingress + egress) / 2) * 100));
  },
};
