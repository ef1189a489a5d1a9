import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../ipv4";
import { NO_RULE_MATCHED, SAME_GROUP_ALLOWED, SecurityGroupMatcher } from "./group-matcher";
import { GroupMatcherCache } from "./group-matcher-cache";
import type { SecurityGroup } from "./security-group";
import { group, rule } from "./security.test-kit";
import type { Direction, FlowProtocol } from "./types";

const ip = parseIpv4;
const ANY = ip("198.51.100.20");

/** The verdict and deciding rule, as "allow web#0" / "deny web#2" / "default deny" / "same group". */
function decide(
  m: SecurityGroupMatcher,
  direction: Direction,
  protocol: FlowProtocol,
  port: number,
  remote = ANY,
  remoteGroups?: readonly string[],
): string {
  const code = m.match(direction, protocol, port, remote, remoteGroups);
  if (code === NO_RULE_MATCHED) return "default deny";
  if (code === SAME_GROUP_ALLOWED) return "same group";
  const r = m.ruleAt(direction, code);
  return `${m.allows(direction, code) ? "allow" : "deny"} ${r?.group}#${r?.ruleIndex}`;
}

const ingressOnly = (rules: SecurityGroup["ingressRules"], extra: Partial<SecurityGroup> = {}) =>
  new SecurityGroupMatcher([group("web", { ingressRules: rules, egressRules: [], ...extra })]);

describe("security group matcher: rule types", () => {
  it("matches tcp and udp port ranges inclusively, and a rule without ports on every port", () => {
    const m = ingressOnly([
      rule({ protocol: "tcp", portRangeMin: 80, portRangeMax: 90 }),
      rule({ protocol: "udp", portRangeMin: 53, portRangeMax: 53 }),
    ]);
    expect(decide(m, "ingress", "tcp", 80)).toBe("allow web#0");
    expect(decide(m, "ingress", "tcp", 90)).toBe("allow web#0");
    expect(decide(m, "ingress", "tcp", 91)).toBe("default deny");
    expect(decide(m, "ingress", "tcp", 79)).toBe("default deny");
    expect(decide(m, "ingress", "udp", 53)).toBe("allow web#1");
    expect(decide(m, "ingress", "udp", 80)).toBe("default deny");
    expect(decide(m, "ingress", "tcp", 53)).toBe("default deny");
    expect(decide(ingressOnly([rule({ protocol: "udp" })]), "ingress", "udp", 65535)).toBe("allow web#0");
  });

  it("matches icmp only by icmp and all rules, and all rules every protocol", () => {
    const m = ingressOnly([rule({ protocol: "icmp", remoteAddress: "10.0.0.0/8" })]);
    expect(decide(m, "ingress", "icmp", 0, ip("10.1.2.3"))).toBe("allow web#0");
    expect(decide(m, "ingress", "tcp", 1, ip("10.1.2.3"))).toBe("default deny");
    const all = ingressOnly([rule({ protocol: "all", action: "deny", remoteAddress: "10.0.0.0/8" })]);
    for (const p of ["tcp", "udp", "icmp"] as const)
      expect(decide(all, "ingress", p, 443, ip("10.9.9.9"))).toBe("deny web#0");
  });

  it("matches remote CIDRs by prefix, a bare address as /32, and 0.0.0.0/0 everything", () => {
    const m = ingressOnly([
      rule({ remoteAddress: "10.0.0.7", portRangeMin: 1, portRangeMax: 1 }),
      rule({ remoteAddress: "10.0.1.0/24", portRangeMin: 2, portRangeMax: 2 }),
      rule({ remoteAddress: "0.0.0.0/0", portRangeMin: 3, portRangeMax: 3 }),
    ]);
    expect(decide(m, "ingress", "tcp", 1, ip("10.0.0.7"))).toBe("allow web#0");
    expect(decide(m, "ingress", "tcp", 1, ip("10.0.0.8"))).toBe("default deny");
    expect(decide(m, "ingress", "tcp", 2, ip("10.0.1.255"))).toBe("allow web#1");
    expect(decide(m, "ingress", "tcp", 2, ip("10.0.2.0"))).toBe("default deny");
    expect(decide(m, "ingress", "tcp", 3, ip("255.255.255.255"))).toBe("allow web#2");
  });

  it("matches a remote group by the remote's membership, not by address", () => {
    const m = ingressOnly([rule({ remoteAddress: undefined, remoteSecurityGroup: "db" })]);
    expect(decide(m, "ingress", "tcp", 5432, ip("10.0.0.5"), ["cache", "db"])).toBe("allow web#0");
    expect(decide(m, "ingress", "tcp", 5432, ip("10.0.0.5"), ["cache"])).toBe("default deny");
    expect(decide(m, "ingress", "tcp", 5432, ip("10.0.0.5"), undefined)).toBe("default deny");
  });

  it("keeps directions apart", () => {
    const m = new SecurityGroupMatcher([
      group("web", { ingressRules: [rule({ portRangeMin: 22, portRangeMax: 22 })], egressRules: [] }),
    ]);
    expect(decide(m, "ingress", "tcp", 22)).toBe("allow web#0");
    expect(decide(m, "egress", "tcp", 22)).toBe("default deny");
    const defaulted = new SecurityGroupMatcher([group("web")]);
    expect(decide(defaulted, "egress", "udp", 9999)).toBe("allow web#0");
    expect(decide(defaulted, "ingress", "udp", 9999)).toBe("default deny");
  });
});

describe("security group matcher: precedence", () => {
  it("lets the lower priority number win whatever the rule order", () => {
    const m = ingressOnly([
      rule({ priority: 50 }),
      rule({ priority: 10, action: "deny", portRangeMin: 22, portRangeMax: 22 }),
    ]);
    expect(decide(m, "ingress", "tcp", 22)).toBe("deny web#1");
    expect(decide(m, "ingress", "tcp", 23)).toBe("allow web#0");
  });

  it("puts deny before allow at equal priority, then rule order", () => {
    const m = ingressOnly([
      rule({ priority: 10, portRangeMin: 1, portRangeMax: 100 }),
      rule({ priority: 10, action: "deny", portRangeMin: 50, portRangeMax: 60 }),
      rule({ priority: 10, portRangeMin: 50, portRangeMax: 50, remoteAddress: "10.0.0.0/8" }),
    ]);
    expect(decide(m, "ingress", "tcp", 55)).toBe("deny web#1");
    expect(decide(m, "ingress", "tcp", 50, ip("10.0.0.1"))).toBe("deny web#1");
    expect(decide(m, "ingress", "tcp", 40)).toBe("allow web#0");
  });

  it("orders all groups' rules together, ties going to the earlier group", () => {
    const a = group("a", { ingressRules: [rule({ priority: 20 })] });
    const b = group("b", {
      ingressRules: [rule({ priority: 5, action: "deny", portRangeMin: 22, portRangeMax: 22 }), rule({ priority: 20 })],
    });
    const m = new SecurityGroupMatcher([a, b]);
    expect(decide(m, "ingress", "tcp", 22)).toBe("deny b#0");
    expect(decide(m, "ingress", "tcp", 80)).toBe("allow a#0");
    expect(decide(new SecurityGroupMatcher([b, a]), "ingress", "tcp", 80)).toBe("allow b#1");
  });

  it("allows same-group traffic only after every explicit rule", () => {
    const m = ingressOnly([rule({ action: "deny", portRangeMin: 22, portRangeMax: 22 })], {
      allowSameGroupTraffic: true,
    });
    expect(decide(m, "ingress", "tcp", 80, ip("10.0.0.9"), ["web"])).toBe("same group");
    expect(m.allows("ingress", SAME_GROUP_ALLOWED)).toBe(true);
    expect(decide(m, "ingress", "tcp", 22, ip("10.0.0.9"), ["web"])).toBe("deny web#0");
    expect(decide(m, "ingress", "tcp", 80, ip("10.0.0.9"), ["other"])).toBe("default deny");
    expect(decide(ingressOnly([]), "ingress", "tcp", 80, ip("10.0.0.9"), ["web"])).toBe("default deny");
  });

  it("gives the same answers through the port index as by a scan (more than 8 rules)", () => {
    const rules = Array.from({ length: 40 }, (_, i) =>
      rule({
        priority: 100 - i,
        portRangeMin: 1000 + i * 10,
        portRangeMax: 1000 + i * 10 + 15,
        action: i % 3 === 0 ? "deny" : "allow",
      }),
    );
    rules.push(rule({ protocol: "all", priority: 200, action: "deny" }));
    const m = ingressOnly(rules);
    expect(decide(m, "ingress", "tcp", 999)).toBe("deny web#40");
    // 1400 lies only in rule 39's range (1390..1405); 1012 in rules 0 and 1, and 1's priority number is lower.
    expect(decide(m, "ingress", "tcp", 1400)).toBe("deny web#39");
    expect(decide(m, "ingress", "tcp", 1012)).toBe("allow web#1");
    expect(decide(m, "ingress", "tcp", 1005)).toBe("deny web#0");
    expect(decide(m, "ingress", "udp", 1005)).toBe("deny web#40");
    expect(m.ruleCount("ingress")).toBe(41);
  });
});

describe("group matcher cache", () => {
  const groups = new Map<string, SecurityGroup>([["web", group("web", { ingressRules: [rule()] })]]);
  it("shares one matcher per group set, recompiles after invalidation, and fails closed on a missing group", () => {
    const cache = new GroupMatcherCache((t) => (t === "acme" ? groups : undefined));
    const names = ["web"];
    const first = cache.matcherFor("acme", names);
    expect(cache.matcherFor("acme", names)).toBe(first);
    expect(cache.matcherFor("acme", ["web"])).toBe(first);
    expect(cache.matcherFor("acme", []).filters).toBe(false);
    groups.set("web", group("web", { ingressRules: [] }));
    cache.invalidateTenant("acme");
    const second = cache.matcherFor("acme", names);
    expect(second).not.toBe(first);
    expect(decide(second, "ingress", "tcp", 80)).toBe("default deny");
    const ghost = cache.matcherFor("acme", ["deleted"]);
    expect(ghost.filters).toBe(true);
    expect(decide(ghost, "egress", "tcp", 80)).toBe("default deny");
  });
});
