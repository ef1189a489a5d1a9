/**
 * Kubernetes NetworkPolicy (networking.k8s.io/v1), field for field as upstream declares it,
 * and its one default: `policyTypes` not given is ["Ingress"], plus "Egress" when the policy
 * has egress rules (kube-apiserver's defaulting, so `egress: []` alone does not isolate egress).
 */
import type { LabelSelector } from "../../kinds/label-selector";

export type PolicyType = "Ingress" | "Egress";
export type NetworkPolicyProtocol = "TCP" | "UDP" | "SCTP";

export interface NetworkPolicyPort {
  /** Default TCP. */
  readonly protocol?: NetworkPolicyProtocol;
  /** A number, or the name of a container port of the destination pod; absent = every port. */
  readonly port?: number | string;
  /** With a numeric `port`: the range port..endPort. */
  readonly endPort?: number;
}

export interface IPBlock {
  readonly cidr: string;
  /** Blocks inside `cidr` that are not matched. */
  readonly except?: readonly string[];
}

/** Either ipBlock, or podSelector and/or namespaceSelector. */
export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IPBlock;
}

export interface NetworkPolicyIngressRule {
  /** Absent or empty: every source. */
  readonly from?: readonly NetworkPolicyPeer[];
  /** Absent or empty: every port. */
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicySpec {
  /** The pods of the policy's namespace it applies to; `{}` = all of them. */
  readonly podSelector: LabelSelector;
  readonly policyTypes?: readonly PolicyType[];
  readonly ingress?: readonly NetworkPolicyIngressRule[];
  readonly egress?: readonly NetworkPolicyEgressRule[];
}

export interface NetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly spec: NetworkPolicySpec;
}

/** The policy types in force, with Kubernetes' default when none are given. */
export function effectivePolicyTypes(spec: NetworkPolicySpec): readonly PolicyType[] {
  if (spec.policyTypes !== undefined && spec.policyTypes.length > 0) return spec.policyTypes;
  return (spec.egress?.length ?? 0) > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}
