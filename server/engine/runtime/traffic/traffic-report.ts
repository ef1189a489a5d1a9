/**
 * What the traffic model reports per pod for one interval, as rates (multiply by the interval
 * for volumes): achieved receive (ingress) and transmit (egress) traffic, the pod's QoS as the
 * shaper applied it, and drops by reason. Reasons are the flow decision's codes (which filter:
 * anti-spoofing, route, blocklist, groups, policy, blackhole) and the shaper's (pps-cap,
 * rate-limit, congestion, host-pps); a security group rule's deny also names the group and the
 * rule's index in that direction's list. Rule hits are the other side of the groups: per
 * direction, what each rule that admitted the pod's flows let through.
 */
import type { DropReason as QosDropReason } from "../../network/qos/nic-share";
import type { Direction } from "../../network/qos/qos-annotations";
import type { DropCode } from "../../network/security/drop-reason";

export type TrafficDropReason = DropCode | QosDropReason;

export interface TrafficDrop {
  readonly direction: Direction;
  readonly reason: TrafficDropReason;
  /** For egress-denied / ingress-denied by an explicit rule: its group and index. */
  readonly group?: string;
  readonly rule?: number;
  packetsPerSecond: number;
  bytesPerSecond: number;
}

/**
 * What one security group rule admitted for the pod in one direction, as it got through: on
 * egress what left the pod's NIC after its shaping (flows the destination's filters drop
 * later included: the pod sent them), on ingress what its NIC received after its shaping. So
 * a direction's hits sum to at most the pod's achieved packets and bytes in it (all of them
 * when every flow passed an explicit rule). `rule` is the index in the group's
 * ingressRules / egressRules, or "same-group" (allowSameGroupTraffic).
 */
export interface RuleHit {
  readonly direction: Direction;
  readonly group: string;
  readonly rule: number | "same-group";
  packetsPerSecond: number;
  bytesPerSecond: number;
}

export interface DirectionRates {
  /** Offered by the flows (transmit) or arriving at the pod's NIC (receive), before the shaper. */
  offeredBitsPerSecond: number;
  bitsPerSecond: number;
  packetsPerSecond: number;
  droppedPacketsPerSecond: number;
}

export interface DirectionQosView {
  readonly guaranteeBitsPerSecond: number;
  /** The effective maximum: the annotation's, or the node's NIC. */
  readonly maxBitsPerSecond: number;
  readonly packetRateCap: number | null;
}

/** One container's share of its pod's traffic (transmit: its own flows; receive: the first container's). */
export interface ContainerTraffic {
  readonly name: string;
  rxBytesPerSecond: number;
  txBytesPerSecond: number;
  rxPacketsPerSecond: number;
  txPacketsPerSecond: number;
  rxDropsPerSecond: number;
  txDropsPerSecond: number;
}

export interface PodTrafficReport {
  readonly rx: DirectionRates;
  readonly tx: DirectionRates;
  readonly qos: { readonly ingress: DirectionQosView; readonly egress: DirectionQosView };
  readonly drops: TrafficDrop[];
  /** Per direction and admitting rule; empty for a pod without groups. */
  readonly ruleHits: RuleHit[];
  /** In the pod's container order. */
  readonly containers: readonly ContainerTraffic[];
}

export const emptyRates = (): DirectionRates => ({
  offeredBitsPerSecond: 0,
  bitsPerSecond: 0,
  packetsPerSecond: 0,
  droppedPacketsPerSecond: 0,
});

export const emptyContainerTraffic = (name: string): ContainerTraffic => ({
  name,
  rxBytesPerSecond: 0,
  txBytesPerSecond: 0,
  rxPacketsPerSecond: 0,
  txPacketsPerSecond: 0,
  rxDropsPerSecond: 0,
  txDropsPerSecond: 0,
});

/** The named container's traffic in a report (undefined: none). */
export const containerTraffic = (report: PodTrafficReport | undefined, name: string) =>
  report?.containers.find((c) => c.name === name);

/**
 * One PublicIP's traffic for one interval (rates per second), as the model decided and shaped it:
 * what reached its holder across the public network and what its holder sent out from it, what was
 * offered to it from outside (what DDoS protection measures) and what its blackhole dropped.
 */
export interface PublicIpTrafficReport {
  /** The PublicIP object. */
  tenantId: string;
  namespace: string;
  name: string;
  address: string;
  /** Achieved, this interval. */
  rxBitsPerSecond: number;
  txBitsPerSecond: number;
  rxPacketsPerSecond: number;
  txPacketsPerSecond: number;
  /** Offered to it from outside (what DDoS protection measures). */
  offeredRxPacketsPerSecond: number;
  offeredRxBitsPerSecond: number;
  /** Dropped this interval because black-holed, packets/s. */
  blackholedPacketsPerSecond: number;
  blackholed: boolean;
}
