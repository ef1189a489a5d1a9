/**
 * Security groups: the data a tenant writes, its defaults, and how a rule reads in a message.
 *
 * Semantics (Kube-OVN's, which adds deny and priority to AWS's allow-only groups):
 * - A rule matches a packet by protocol ("all" matches tcp, udp and icmp), destination port
 *   range (tcp/udp only; absent = every port) and remote: a CIDR (a bare address is a /32), or
 *   another group of the tenant, meaning the private addresses of that group's members.
 * - All rules of all of a pod's groups for one direction are ordered together: lower priority
 *   number first; at equal priority a deny comes before an allow (when rules of equal standing
 *   disagree, the safe answer is to drop); then group order, then rule order. The first
 *   matching rule decides.
 * - `allowSameGroupTraffic`: traffic between members of the group is allowed by an implicit
 *   rule ranked after every explicit rule (Kube-OVN puts that ACL just above its default drop),
 *   so an explicit deny still wins.
 * - Nothing matched: denied, in both directions (Kube-OVN's deny-all port group). AWS's
 *   "outbound allowed by default" is a rule, not a fallback: a group written without
 *   `egressRules` gets AWS's default allow-all egress rule (`withSecurityGroupDefaults`); one
 *   written with `egressRules: []` denies all egress, as removing that rule does on AWS.
 * - A pod with no group at all is not filtered by groups (NetworkPolicy, the operator
 *   blocklist and anti-spoofing still apply); a namespace default group is how a tenant makes
 *   every pod filtered.
 */
import type { LabelSelector } from "../../kinds/label-selector";
import { type Cidr, parseCidr, parseIpv4 } from "../ipv4";
import type { Direction, FlowProtocol } from "./types";

export type RuleProtocol = FlowProtocol | "all";
export type RuleAction = "allow" | "deny";

/** One rule. Exactly one of `remoteAddress` and `remoteSecurityGroup` is given. */
export interface SecurityGroupRule {
  readonly protocol: RuleProtocol;
  /** tcp/udp only, inclusive, 1..65535; both or neither (neither = every port). */
  readonly portRangeMin?: number;
  readonly portRangeMax?: number;
  /** A CIDR ("10.0.0.0/16") or a single address ("10.0.0.7" = /32). */
  readonly remoteAddress?: string;
  /** The name of a security group of the same tenant. */
  readonly remoteSecurityGroup?: string;
  readonly action: RuleAction;
  /** 1..200, lower wins. */
  readonly priority: number;
  readonly description?: string;
}

/**
 * A tenant's security group (names unique per tenant). Attachment: `podSelector` selects pods
 * (in `namespaces` only, when given; else in every namespace of the tenant);
 * `defaultForNamespaces` makes it the default of those namespaces, applied to a pod that no
 * selector group selects (resolvePodSecurityGroups).
 */
export interface SecurityGroup {
  readonly name: string;
  readonly ingressRules: readonly SecurityGroupRule[];
  readonly egressRules: readonly SecurityGroupRule[];
  readonly allowSameGroupTraffic: boolean;
  readonly podSelector?: LabelSelector;
  readonly namespaces?: readonly string[];
  readonly defaultForNamespaces?: readonly string[];
}

/** A group as written, before defaults. */
export type SecurityGroupInput = Omit<SecurityGroup, "egressRules" | "ingressRules" | "allowSameGroupTraffic"> & {
  readonly ingressRules?: readonly SecurityGroupRule[];
  readonly egressRules?: readonly SecurityGroupRule[];
  readonly allowSameGroupTraffic?: boolean;
};

/** AWS's default outbound rule: everything to everywhere. Priority 200 so any explicit rule ranks first. */
export const DEFAULT_EGRESS_RULE: SecurityGroupRule = Object.freeze({
  protocol: "all",
  remoteAddress: "0.0.0.0/0",
  action: "allow",
  priority: 200,
  description: "default: allow all outbound",
});

/** Defaults as AWS applies them at creation: no egress rules written = the default egress rule. */
export function withSecurityGroupDefaults(input: SecurityGroupInput): SecurityGroup {
  return {
    ...input,
    ingressRules: input.ingressRules ?? [],
    egressRules: input.egressRules ?? [DEFAULT_EGRESS_RULE],
    allowSameGroupTraffic: input.allowSameGroupTraffic ?? false,
  };
}

/** The rules of one direction. */
export function rulesOf(group: SecurityGroup, direction: Direction): readonly SecurityGroupRule[] {
  return direction === "ingress" ? group.ingressRules : group.egressRules;
}

/** Parses a rule's remoteAddress: a CIDR, or a bare address as its /32. Throws AddressError. */
export function parseRemoteAddress(text: string): Cidr {
  return text.includes("/") ? parseCidr(text) : { base: parseIpv4(text), prefix: 32, size: 1 };
}

/** How a rule reads in a message: `deny tcp 22 from 0.0.0.0/0`, `allow all to group db`. */
export function describeRule(rule: SecurityGroupRule, direction: Direction): string {
  const ports =
    rule.portRangeMin === undefined
      ? ""
      : rule.portRangeMin === rule.portRangeMax
        ? ` ${rule.portRangeMin}`
        : ` ${rule.portRangeMin}-${rule.portRangeMax}`;
  const remote =
    rule.remoteSecurityGroup !== undefined ? `group ${rule.remoteSecurityGroup}` : (rule.remoteAddress ?? "?");
  return `${rule.action} ${rule.protocol}${ports} ${direction === "ingress" ? "from" : "to"} ${remote}`;
}
