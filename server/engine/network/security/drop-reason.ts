/**
 * Why a flow was dropped, as data (one code per filter, with what a person needs to fix it)
 * and as a sentence. The codes are also the keys of the model's drop counters and the
 * console's "drops by reason" chart.
 */
import { describeRule, type SecurityGroupRule } from "./security-group";
import type { Direction, FlowProtocol } from "./types";

export const DROP_CODES = [
  "spoofed-source-mac",
  "spoofed-source-ip",
  "no-route",
  "port-blocked",
  "egress-denied",
  "ingress-denied",
  "network-policy",
  "blackholed",
] as const;
export type DropCode = (typeof DROP_CODES)[number];

/**
 * - different-tenant: the destination pod is another tenant's (tenant networks never meet);
 * - no-port-at-address: an address of the tenant's network that no pod holds;
 * - outside-vpc: a private or reserved address outside the tenant's network;
 * - no-internet-egress: the source pod has no public IP and its network no outbound NAT;
 * - no-public-target: from the internet, an address bound to no pod (or a pod without a public IP);
 * - no-ready-endpoints: a Service's address, but the service has no ready endpoint to forward to
 *   (kube-proxy rejects the connection).
 */
export type NoRouteCause =
  | "different-tenant"
  | "no-port-at-address"
  | "outside-vpc"
  | "no-internet-egress"
  | "no-public-target"
  | "no-ready-endpoints";

/** Addresses are dotted quads; `pod` is "namespace/name". */
export type DropReason =
  | {
      readonly code: "spoofed-source-mac";
      readonly pod: string;
      readonly assignedMac: string;
      readonly claimedMac: string;
    }
  | {
      readonly code: "spoofed-source-ip";
      readonly pod: string;
      readonly assignedIp: string;
      readonly claimedIp: string;
    }
  | {
      readonly code: "no-route";
      readonly cause: NoRouteCause;
      readonly address: string;
      readonly pod?: string;
      /** no-ready-endpoints: the service, "namespace/name". */
      readonly service?: string;
    }
  | {
      readonly code: "port-blocked";
      readonly entryId: string;
      readonly protocol: FlowProtocol;
      readonly port: number;
      readonly reason: string;
    }
  | {
      readonly code: "egress-denied" | "ingress-denied";
      readonly pod: string;
      /** The pod's groups, in precedence order. */
      readonly groups: readonly string[];
      /** The deciding deny rule; absent when no rule allowed the flow (the default deny). */
      readonly group?: string;
      /** Index in the group's ingressRules / egressRules. */
      readonly ruleIndex?: number;
      readonly rule?: SecurityGroupRule;
      readonly protocol: FlowProtocol;
      readonly port: number;
      /** The other end: destination on egress, source on ingress. */
      readonly remote: string;
    }
  | {
      readonly code: "network-policy";
      readonly direction: Direction;
      readonly pod: string;
      /** The policies isolating the pod in that direction, none of which allows the flow. */
      readonly policies: readonly string[];
      readonly protocol: FlowProtocol;
      readonly port: number;
      readonly remote: string;
    }
  | {
      readonly code: "blackholed";
      readonly address: string;
      /** destination: traffic to it is dropped; source: replies to it would be, so nothing connects. */
      readonly side: "destination" | "source";
      /** ms since the epoch. */
      readonly until: number;
    };

const what = (protocol: FlowProtocol, port: number) => (protocol === "icmp" ? "icmp" : `${protocol} ${port}`);

/** The sentence for a reason (English; a console renders the data in the reader's language). */
export function describeDrop(r: DropReason): string {
  switch (r.code) {
    case "spoofed-source-mac":
      return `dropped at pod ${r.pod}'s port: source MAC ${r.claimedMac} is not the port's assigned MAC ${r.assignedMac} (L2 anti-spoofing)`;
    case "spoofed-source-ip":
      return `dropped at pod ${r.pod}'s port: source IP ${r.claimedIp} is not the port's assigned IP ${r.assignedIp} (L3 anti-spoofing)`;
    case "no-route":
      switch (r.cause) {
        case "different-tenant":
          return `no route: ${r.address} is in another tenant's network, and tenant networks are isolated`;
        case "no-port-at-address":
          return `no route: no pod holds ${r.address} in this tenant's network`;
        case "outside-vpc":
          return `no route: ${r.address} is a private or reserved address outside this tenant's network`;
        case "no-internet-egress":
          return `no route to ${r.address}: pod ${r.pod ?? "?"} has no public IP and its network has no outbound NAT`;
        case "no-public-target":
          return `no route: public address ${r.address} is not bound to any pod`;
        case "no-ready-endpoints":
          return `no route: service ${r.service ?? "?"} (${r.address}) has no ready endpoint to forward to`;
      }
      return "no route";
    case "port-blocked":
      return `dropped by the operator's blocklist entry ${r.entryId} (${what(r.protocol, r.port)} is banned for every tenant: ${r.reason})`;
    case "egress-denied":
    case "ingress-denied": {
      const direction = r.code === "egress-denied" ? "egress" : "ingress";
      if (r.rule !== undefined && r.group !== undefined)
        return `dropped by ${direction} rule ${r.ruleIndex} of group ${r.group} (${describeRule(r.rule, direction)})`;
      const toFrom = direction === "egress" ? "to" : "from";
      return `dropped: no ${direction} rule of pod ${r.pod}'s security groups (${r.groups.join(", ")}) allows ${what(r.protocol, r.port)} ${toFrom} ${r.remote}`;
    }
    case "network-policy": {
      const toFrom = r.direction === "egress" ? "to" : "from";
      return `dropped by NetworkPolicy: pod ${r.pod} is isolated for ${r.direction} by ${r.policies.join(", ")}, and none allows ${what(r.protocol, r.port)} ${toFrom} ${r.remote}`;
    }
    case "blackholed":
      return r.side === "destination"
        ? `dropped: public IP ${r.address} is black-holed by DDoS protection until ${new Date(r.until).toISOString()}`
        : `dropped: the source's public IP ${r.address} is black-holed by DDoS protection until ${new Date(r.until).toISOString()}, so no reply can reach it`;
  }
}
