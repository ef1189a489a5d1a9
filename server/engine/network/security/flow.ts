/**
 * A flow as the decision sees it, and the decision's answer. A flow starts at a pod's port
 * (with the source addresses its frames claim; absent = the port's own) or on the internet,
 * and goes to a pod (chosen by the caller; from a pod, reached by its private address; from the
 * internet, by its public IP) or to an address: of the tenant's network, or a public one (a
 * public IP bound to a pod, or any internet host). Services are resolved to an
 * endpoint pod by the caller (the forwarding table) before deciding.
 */
import type { Ipv4 } from "../ipv4";
import type { DropReason } from "./drop-reason";
import type { AdmittingRule } from "./group-matcher";
import type { FlowProtocol, PortIdentity } from "./types";

export type FlowSource =
  | { readonly kind: "port"; readonly port: PortIdentity; readonly claimedMac?: string; readonly claimedIp?: Ipv4 }
  | { readonly kind: "internet"; readonly ip: Ipv4 };

export type FlowDestination =
  | { readonly kind: "port"; readonly port: PortIdentity }
  | { readonly kind: "address"; readonly ip: Ipv4 };

export interface Flow {
  readonly source: FlowSource;
  readonly destination: FlowDestination;
  readonly protocol: FlowProtocol;
  /** Destination port (1..65535); ignored for icmp. */
  readonly port: number;
}

/** private: inside the tenant's network; public: across the public network (to or from the internet). */
export type FlowPath = "private" | "public";

export type FlowDecision =
  | { readonly verdict: "delivered"; readonly path: FlowPath }
  | { readonly verdict: "dropped"; readonly reason: DropReason; readonly message: string };

/**
 * What decideFlow writes, when given one, about the security group rules a flow passed: per
 * direction the rule of the source pod's groups (egress) and of the destination pod's
 * (ingress) that admitted it. A direction stays undefined when its groups stage was not
 * reached (an earlier filter dropped the flow), dropped it, or did not apply (that end is no
 * pod, or a pod without groups). On a drop past the egress groups (egress policy, blackhole,
 * ingress) `egress` still names the rule the flow left through. An out-parameter, reused by
 * the caller, so that the delivered path stays allocation-free.
 */
export interface AdmittedBy {
  egress: AdmittingRule | undefined;
  ingress: AdmittingRule | undefined;
}

/** The filters in the order a flow meets them (decideFlow's evaluation order). */
export const CHECK_STAGES = [
  "anti-spoofing",
  "route",
  "blocklist",
  "egress-groups",
  "egress-policy",
  "ddos",
  "ingress-policy",
  "ingress-groups",
] as const;
export type CheckStage = (typeof CHECK_STAGES)[number];

/** One filter's outcome, for a connectivity check's explanation. */
export interface TraceStep {
  readonly stage: CheckStage;
  readonly outcome: "passed" | "dropped" | "not-applicable";
  readonly detail: string;
}
