/**
 * The vocabulary every security module shares: protocols, directions, and the identity of a
 * pod's port as the filters see it (its tenant, addresses, labels and security groups).
 * Plain data; the lead's network state produces PortIdentity values from pods and IPAM.
 */
import type { ContainerPort } from "../../kinds/types";
import type { Labels } from "../../kinds/label-selector";
import type { Cidr, Ipv4 } from "../ipv4";

/** What a flow carries. "all" exists only in rules (it matches every one of these). */
export type FlowProtocol = "tcp" | "udp" | "icmp";
export type Direction = "ingress" | "egress";

/**
 * An extra source address a port may send from (OpenStack's allowed-address-pairs): a virtual
 * IP that moves between pods, say. `mac` absent means the port's own MAC.
 */
export interface AllowedAddressPair {
  readonly cidr: Cidr;
  readonly mac?: string;
}

/**
 * A pod's private port, as IPAM and group attachment made it. Contract: `mac` is canonical
 * (lowercase, colon-separated: `canonicalMac`); `groups` are the names resolved for the pod by
 * `resolvePodSecurityGroups`, in that function's order; `containerPorts` resolve NetworkPolicy's
 * named ports. `publicIp` is the public address bound to the pod, if one is.
 */
export interface PortIdentity {
  readonly tenantId: string;
  readonly namespace: string;
  readonly podName: string;
  readonly labels: Labels;
  readonly ip: Ipv4;
  readonly mac: string;
  readonly groups: readonly string[];
  readonly containerPorts?: readonly ContainerPort[];
  readonly allowedAddressPairs?: readonly AllowedAddressPair[];
  readonly publicIp?: Ipv4;
}

/** A validation failure at one field, worded as Kubernetes words them (`Invalid value: …`). */
export interface FieldProblem {
  /** Path on the wire shape, e.g. `spec.ingressRules[3].portRangeMin`. */
  readonly field: string;
  readonly message: string;
}
