/**
 * Scheduler plugins for bandwidth guarantees, in the shape of scheduler/scheduler-plugins.ts.
 * Guarantees: the filter passes a node only when, in both directions, the guarantees of the
 * pods holding it plus this pod's fit its NIC (nicCapacityOf(node.capacity)); it never
 * throws: a pod with broken QoS annotations fails with a reason instead. The score prefers
 * the node with the least guarantee committed after placing the pod (0..100), so guarantees
 * spread and headroom to borrow stays where it is. Pods without a guarantee always pass and
 * score 100 on every node (no preference from bandwidth), so both plugins `skip` them and a
 * placement does not ask per node (kube's PreFilter/PreScore Skip). The scheduler builds them over its
 * incremental sums (bandwidthFitWith / leastCommittedBandwidthWith and scheduler/committed-bandwidth.ts);
 * `bandwidthFit` and `leastCommittedBandwidth` walk the node's pods instead, for callers without them.
 */
import type { EngineState } from "../../core/state";
import { holdsNode } from "../../kinds/pod-status";
import type { Node } from "../../kinds/types";
import type { FilterPlugin, FilterStatus, ScorePlugin } from "../../scheduler/scheduler-plugins";
import {
  type CommittedGuarantees,
  committedGuarantees,
  guaranteeShortfalls,
  insufficientReason,
} from "./guarantee-admission";
import { nicCapacityOf } from "./nic-capacity";
import { cachedPodQos, type PodQos } from "./qos-annotations";

const OK: FilterStatus = { ok: true };
export const INVALID_QOS_REASON = "Pod's bandwidth annotations are invalid";

/** Guarantees of the pods holding `node`, counted as allocatedOn counts requests. */
export function committedOnNode(node: Node, state: EngineState): CommittedGuarantees {
  return committedGuarantees(state.podsOnNode(node.id).filter(holdsNode));
}

const hasGuarantee = (qos: PodQos): boolean =>
  qos.ingress.guaranteeBitsPerSecond > 0 || qos.egress.guaranteeBitsPerSecond > 0;

/** Where a plugin reads the guarantees already committed on a node (the scheduler keeps them incrementally). */
export type CommittedOn = (node: Node, state: EngineState) => CommittedGuarantees;

/** The filter, reading commitments from `committedOn`. */
export function bandwidthFitWith(committedOn: CommittedOn): FilterPlugin {
  return {
    name: "NodeBandwidthFit",
    skip: (pod) => {
      const { qos, problems } = cachedPodQos(pod.annotations);
      return problems.length === 0 && !hasGuarantee(qos);
    },
    filter: (pod, node, state) => {
      const { qos, problems } = cachedPodQos(pod.annotations);
      if (problems.length > 0) return { ok: false, reasons: [INVALID_QOS_REASON] };
      if (!hasGuarantee(qos)) return OK;
      const short = guaranteeShortfalls(qos, nicCapacityOf(node.capacity), committedOn(node, state));
      return short.length === 0 ? OK : { ok: false, reasons: short.map((s) => insufficientReason(s.direction)) };
    },
  };
}

/** The score, reading commitments from `committedOn`. */
export function leastCommittedBandwidthWith(committedOn: CommittedOn): ScorePlugin {
  return {
    name: "LeastCommittedBandwidth",
    weight: 1,
    skip: (pod) => !hasGuarantee(cachedPodQos(pod.annotations).qos),
    score: (pod, node, state) => {
      const { qos } = cachedPodQos(pod.annotations);
      if (!hasGuarantee(qos)) return 100;
      const nic = nicCapacityOf(node.capacity);
      const committed = committedOn(node, state);
      const ingress = (committed.ingress + qos.ingress.guaranteeBitsPerSecond) / nic.bitsPerSecond;
      const egress = (committed.egress + qos.egress.guaranteeBitsPerSecond) / nic.bitsPerSecond;
      return Math.max(0, Math.min(100, (1 - (ingress + egress) / 2) * 100));
    },
  };
}

/** The plugins over a walk of the node's pods (committedOnNode): for callers without the scheduler's sums. */
export const bandwidthFit: FilterPlugin = bandwidthFitWith(committedOnNode);
export const leastCommittedBandwidth: ScorePlugin = leastCommittedBandwidthWith(committedOnNode);
