/**
 * A pod's security groups compiled for per-packet decisions (semantics: security-group.ts).
 * Per direction, every rule of every group is put in one precedence order (priority, deny
 * before allow, group order, rule order) and split per protocol into RuleLists (a rule of
 * protocol "all" is in each). `match()` returns a code, never allocating: a rule's slot
 * (≥ 0; `ruleAt` says which group and rule index and whether it allows), NO_RULE_MATCHED or
 * SAME_GROUP_ALLOWED; `admittingRule` names the rule an allowing code stands for, from objects
 * made at compile time (what the traffic model counts rule hits under). Compile once per
 * distinct group set (GroupMatcherCache) and again when one of the groups changes; group
 * membership is read per packet from the remote's groups, so pods coming and going never
 * recompile anything.
 */
import { MAX_PORT, MIN_PORT } from "./limits";
import { RuleList, type ListRule } from "./rule-list";
import { parseRemoteAddress, type SecurityGroup, type SecurityGroupRule, rulesOf } from "./security-group";
import { maskOf } from "../ipv4";
import type { Direction, FlowProtocol } from "./types";

export const NO_RULE_MATCHED = -1;
export const SAME_GROUP_ALLOWED = -2;

/** The rule behind a slot. `ruleIndex` is its index in the group's ingressRules / egressRules. */
export interface MatchedRule {
  readonly group: string;
  readonly direction: Direction;
  readonly ruleIndex: number;
  readonly rule: SecurityGroupRule;
}

/**
 * The rule that let a flow through one direction of a pod's groups: the group and the rule's
 * index in its ingressRules / egressRules, or `"same-group"` for the group's
 * allowSameGroupTraffic (a setting the tenant chose, ranked after every rule, so its traffic
 * is the group's as much as a rule's). AWS's default allow-all egress rule is a rule the group
 * holds (withSecurityGroupDefaults), so it is named by its index like any other. There is none
 * when groups do not filter the pod (it has none): nothing of the tenant's admitted the flow.
 */
export interface AdmittingRule {
  readonly group: string;
  readonly rule: number | "same-group";
}

interface DirectionTable {
  readonly rules: readonly MatchedRule[];
  readonly allows: Uint8Array;
  /** Per slot, the allowing rule's name (undefined for a deny). */
  readonly admitting: readonly (AdmittingRule | undefined)[];
  /** Per group in `sameGroup`, its same-group rule's name. */
  readonly sameGroupAdmitting: readonly AdmittingRule[];
  readonly tcp: RuleList;
  readonly udp: RuleList;
  readonly icmp: RuleList;
  readonly sameGroup: readonly string[];
}

const rank = (r: SecurityGroupRule) => r.priority * 2 + (r.action === "deny" ? 0 : 1);

export class SecurityGroupMatcher {
  /** The groups, in the order given (ties between groups go to the earlier). */
  readonly groupNames: readonly string[];
  private readonly remoteNames: readonly string[];
  private readonly ingress: DirectionTable;
  private readonly egress: DirectionTable;

  /** `groups`: valid groups in resolution order (resolvePodSecurityGroups). */
  constructor(groups: readonly SecurityGroup[]) {
    this.groupNames = groups.map((g) => g.name);
    const remoteIndex = new Map<string, number>();
    const remoteOf = (name: string) => {
      const known = remoteIndex.get(name);
      if (known !== undefined) return known;
      remoteIndex.set(name, remoteIndex.size);
      return remoteIndex.size - 1;
    };
    this.ingress = compileDirection(groups, "ingress", remoteOf);
    this.egress = compileDirection(groups, "egress", remoteOf);
    this.remoteNames = [...remoteIndex.keys()];
  }

  /** True when the pod has groups at all (a pod without groups is not filtered by them). */
  get filters(): boolean {
    return this.groupNames.length > 0;
  }

  /**
   * The decision code for a packet in `direction` with `protocol` to `port` (0 for icmp),
   * whose remote end is `remoteIp` (the destination on egress, the source on ingress), a
   * member of `remoteGroups` when it is a pod of the tenant reached by its private address.
   */
  match(
    direction: Direction,
    protocol: FlowProtocol,
    port: number,
    remoteIp: number,
    remoteGroups: readonly string[] | undefined,
  ): number {
    const t = direction === "ingress" ? this.ingress : this.egress;
    const list = protocol === "tcp" ? t.tcp : protocol === "udp" ? t.udp : t.icmp;
    const slot = list.first(port, remoteIp, remoteGroups, this.remoteNames);
    if (slot >= 0) return slot;
    if (remoteGroups !== undefined)
      for (const g of t.sameGroup) if (remoteGroups.includes(g)) return SAME_GROUP_ALLOWED;
    return NO_RULE_MATCHED;
  }

  /** Whether a code from `match` lets the packet through. */
  allows(direction: Direction, code: number): boolean {
    if (code === SAME_GROUP_ALLOWED) return true;
    if (code < 0) return false;
    return (direction === "ingress" ? this.ingress : this.egress).allows[code] === 1;
  }

  /**
   * The rule an allowing code from `match` stands for (undefined for a denying one). For
   * SAME_GROUP_ALLOWED: the first of the pod's groups allowing same-group traffic that the
   * remote shares, the one `match` found. Allocates nothing.
   */
  admittingRule(
    direction: Direction,
    code: number,
    remoteGroups: readonly string[] | undefined,
  ): AdmittingRule | undefined {
    const t = direction === "ingress" ? this.ingress : this.egress;
    if (code >= 0) return t.admitting[code];
    if (code === SAME_GROUP_ALLOWED && remoteGroups !== undefined)
      for (let i = 0; i < t.sameGroup.length; i++)
        if (remoteGroups.includes(t.sameGroup[i] as string)) return t.sameGroupAdmitting[i];
    return undefined;
  }

  /** The rule behind a slot from `match` (undefined for the negative codes). */
  ruleAt(direction: Direction, code: number): MatchedRule | undefined {
    return code < 0 ? undefined : (direction === "ingress" ? this.ingress : this.egress).rules[code];
  }

  /** Rules per direction (for limits and benchmarks). */
  ruleCount(direction: Direction): number {
    return (direction === "ingress" ? this.ingress : this.egress).rules.length;
  }
}

function compileDirection(
  groups: readonly SecurityGroup[],
  direction: Direction,
  remoteOf: (name: string) => number,
): DirectionTable {
  const ordered: { m: MatchedRule; rank: number; g: number }[] = [];
  groups.forEach((group, g) => {
    rulesOf(group, direction).forEach((rule, ruleIndex) => {
      ordered.push({ m: { group: group.name, direction, ruleIndex, rule }, rank: rank(rule), g });
    });
  });
  // Array.prototype.sort is stable: equal rank and group keep rule order.
  ordered.sort((a, b) => a.rank - b.rank || a.g - b.g);
  const rules = ordered.map((o) => o.m);
  const perProtocol: Record<FlowProtocol, ListRule[]> = { tcp: [], udp: [], icmp: [] };
  rules.forEach(({ rule }, slot) => {
    const remote =
      rule.remoteSecurityGroup !== undefined
        ? { base: 0, mask: 0, remoteGroup: remoteOf(rule.remoteSecurityGroup) }
        : (() => {
            const cidr = parseRemoteAddress(rule.remoteAddress ?? "0.0.0.0/0");
            return { base: cidr.base, mask: maskOf(cidr.prefix), remoteGroup: -1 };
          })();
    const ported = rule.portRangeMin !== undefined && (rule.protocol === "tcp" || rule.protocol === "udp");
    const listRule: ListRule = {
      slot,
      ...remote,
      portFrom: ported ? (rule.portRangeMin ?? MIN_PORT) : 0,
      portTo: ported ? (rule.portRangeMax ?? MAX_PORT) : MAX_PORT,
    };
    if (rule.protocol === "all") for (const p of ["tcp", "udp", "icmp"] as const) perProtocol[p].push(listRule);
    else perProtocol[rule.protocol].push(listRule);
  });
  const sameGroup = groups.filter((g) => g.allowSameGroupTraffic).map((g) => g.name);
  return {
    rules,
    allows: Uint8Array.from(rules, (m) => (m.rule.action === "allow" ? 1 : 0)),
    admitting: rules.map((m) =>
      m.rule.action === "allow" ? Object.freeze({ group: m.group, rule: m.ruleIndex }) : undefined,
    ),
    sameGroupAdmitting: sameGroup.map((group) => Object.freeze({ group, rule: "same-group" as const })),
    tcp: new RuleList(perProtocol.tcp),
    udp: new RuleList(perProtocol.udp),
    icmp: new RuleList(perProtocol.icmp),
    sameGroup,
  };
}
