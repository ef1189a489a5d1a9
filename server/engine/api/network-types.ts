/**
 * The shapes of the tenant network reads (NetworkQueries in orchestrator.ts): the tenant's
 * network as the console draws it, and the connectivity check's question and answer. Plain
 * data; addresses are dotted quads as text.
 */
import type { DropReason } from "../network/security/drop-reason";
import type { FlowPath, TraceStep } from "../network/security/flow";

/** One subnet of the tenant's VPC, with its address usage now. */
export interface TenantSubnetView {
  name: string;
  cidr: string;
  gateway: string;
  /** Pods of every namespace no subnet names take their addresses here (exactly one subnet). */
  default: boolean;
  /** The namespaces whose new pods take their addresses here (the default's: every one no other subnet names). */
  namespaces: string[];
  /** The namespaces the Subnet's spec.namespaces names (what an edit changes). */
  assignedNamespaces: string[];
  excludeIps: string[];
  /** The Subnet object's, for an edit's precondition (0: not an object yet). */
  resourceVersion: number;
  /** Usable addresses (the plan's, after its reserved and excluded ones). */
  total: number;
  /** Held by a live pod. */
  used: number;
  /** Released and waiting out their hold before reuse. */
  held: number;
  free: number;
}

export interface TenantNetworkView {
  /** The tenant's Vpc object (the configured default until it has one). */
  vpc: { name: string; cidr: string };
  subnets: TenantSubnetView[];
  /** The tenant's ClusterIP range. */
  serviceCidr: string;
  /** Services resolve as `<svc>.<namespace>.<dnsSuffix>` (`svc.cluster.local`). */
  dnsSuffix: string;
}

export type ConnectivityProtocol = "tcp" | "udp" | "icmp";

/** A pod of the tenant (`namespace` absent: the tenant's default namespace). */
export interface PodEndpointRef {
  pod: string;
  namespace?: string;
}

/**
 * The source pod; `sourceIp` / `sourceMac`: the addresses its packets claim, when not its own
 * (to check anti-spoofing: a forged source is dropped at the pod's port).
 */
export interface SourcePodRef extends PodEndpointRef {
  sourceIp?: string;
  sourceMac?: string;
}

/** A source on the internet (the connectivity check from outside to a public address); default 192.0.2.1. */
export interface InternetSourceRef {
  internet: true;
  address?: string;
}

export interface ConnectivityCheckInput {
  from: SourcePodRef | InternetSourceRef;
  /** A pod, a Service (resolved through the forwarding table to one endpoint), or an address. */
  to: PodEndpointRef | { service: string; namespace?: string } | { address: string };
  protocol: ConnectivityProtocol;
  /** Destination port, 1..65535; required for tcp and udp, ignored for icmp. */
  port?: number;
}

export interface ConnectivityCheckResult {
  verdict: "delivered" | "dropped";
  path?: FlowPath;
  reason?: DropReason;
  message?: string;
  /** Every filter in the order the packet met it (network/security/flow.ts CHECK_STAGES). */
  trace: TraceStep[];
  /** From the internet: `internet` true, `pod` and `namespace` empty. */
  source: { pod: string; namespace: string; ip: string; internet?: true };
  destination: { ip: string; pod?: string; namespace?: string; service?: string };
}
