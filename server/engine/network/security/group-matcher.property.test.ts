/**
 * The compiled matcher (precedence order, per-protocol lists, port-interval index, integer
 * masks) agrees with a naive evaluator written straight from the semantics in
 * security-group.ts, on random groups and packets.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cidrContains, formatIpv4, maskOf } from "../ipv4";
import { NO_RULE_MATCHED, SAME_GROUP_ALLOWED, SecurityGroupMatcher } from "./group-matcher";
import { parseRemoteAddress, rulesOf, type SecurityGroup, type SecurityGroupRule } from "./security-group";
import type { Direction, FlowProtocol } from "./types";

const GROUP_NAMES = ["a", "b", "c", "d", "e", "f"];

/** Straight from the semantics: every rule of every group, the best by (priority, deny first, group, rule). */
function reference(
  groups: readonly SecurityGroup[],
  direction: Direction,
  protocol: FlowProtocol,
  port: number,
  remote: number,
  remoteGroups: readonly string[] | undefined,
): string {
  let best: { key: number[]; out: string } | undefined;
  for (const [gi, g] of groups.entries())
    for (const [ri, r] of rulesOf(g, direction).entries()) {
      if (r.protocol !== "all" && r.protocol !== protocol) continue;
      const ported = r.portRangeMin !== undefined && protocol !== "icmp";
      if (ported && (port < (r.portRangeMin ?? 0) || port > (r.portRangeMax ?? 0))) continue;
      const remoteOk =
        r.remoteSecurityGroup !== undefined
          ? (remoteGroups?.includes(r.remoteSecurityGroup) ?? false)
          : cidrContains(parseRemoteAddress(r.remoteAddress ?? ""), remote);
      if (!remoteOk) continue;
      const key = [r.priority, r.action === "deny" ? 0 : 1, gi, ri];
      if (best === undefined || lexLess(key, best.key)) best = { key, out: `${r.action} ${g.name}#${ri}` };
    }
  if (best) return best.out;
  if (groups.some((g) => g.allowSameGroupTraffic && remoteGroups?.includes(g.name))) return "same group";
  return "default deny";
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++)
    if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) < (b[i] as number);
  return false;
}

function compiled(m: SecurityGroupMatcher, ...args: Parameters<SecurityGroupMatcher["match"]>): string {
  const [direction] = args;
  const code = m.match(...args);
  if (code === NO_RULE_MATCHED) return "default deny";
  if (code === SAME_GROUP_ALLOWED) return "same group";
  const r = m.ruleAt(direction, code);
  return `${m.allows(direction, code) ? "allow" : "deny"} ${r?.group}#${r?.ruleIndex}`;
}

// Addresses drawn near a few bases so CIDRs and packets meet often.
const BASES = [0x0a000000, 0x0a000100, 0xc0a80000, 0xcb007100];
const address = fc
  .tuple(fc.constantFrom(...BASES), fc.integer({ min: 0, max: 511 }))
  .map(([b, off]) => (b + off) >>> 0);
const portNumber = fc.oneof(
  fc.constantFrom(1, 22, 80, 443, 8080, 65535),
  fc.integer({ min: 1, max: 65535 }),
  fc.integer({ min: 20, max: 120 }),
);

const ruleArb: fc.Arbitrary<SecurityGroupRule> = fc
  .record({
    protocol: fc.constantFrom("tcp", "udp", "icmp", "all") as fc.Arbitrary<SecurityGroupRule["protocol"]>,
    ports: fc.option(fc.tuple(portNumber, fc.integer({ min: 0, max: 3000 })), { nil: undefined }),
    remote: fc.oneof(
      fc.tuple(address, fc.integer({ min: 0, max: 32 })).map(([a, prefix]) => ({
        remoteAddress:
          prefix === 32 && a % 2 === 0 ? formatIpv4(a) : `${formatIpv4((a & maskOf(prefix)) >>> 0)}/${prefix}`,
      })),
      fc.constantFrom(...GROUP_NAMES).map((g) => ({ remoteSecurityGroup: g })),
    ),
    action: fc.constantFrom("allow", "deny") as fc.Arbitrary<"allow" | "deny">,
    priority: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(1, 100, 200)),
  })
  .map(({ protocol, ports, remote, action, priority }) => ({
    protocol,
    ...(ports !== undefined && (protocol === "tcp" || protocol === "udp")
      ? { portRangeMin: ports[0], portRangeMax: Math.min(65535, ports[0] + ports[1]) }
      : {}),
    ...remote,
    action,
    priority,
  }));

const groupsArb = fc.uniqueArray(fc.constantFrom(...GROUP_NAMES), { minLength: 1, maxLength: 5 }).chain((names) =>
  fc.tuple(
    ...names.map((name) =>
      fc.record({
        name: fc.constant(name),
        ingressRules: fc.array(ruleArb, { maxLength: 40 }),
        egressRules: fc.array(ruleArb, { maxLength: 12 }),
        allowSameGroupTraffic: fc.boolean(),
      }),
    ),
  ),
);

const packetArb = fc.record({
  direction: fc.constantFrom("ingress", "egress") as fc.Arbitrary<Direction>,
  protocol: fc.constantFrom("tcp", "udp", "icmp") as fc.Arbitrary<FlowProtocol>,
  port: portNumber,
  remote: address,
  remoteGroups: fc.option(fc.subarray(GROUP_NAMES), { nil: undefined }),
});

describe("compiled security group matcher", () => {
  it("agrees with the naive evaluator on random rule sets and packets", () => {
    fc.assert(
      fc.property(groupsArb, fc.array(packetArb, { minLength: 1, maxLength: 30 }), (groups, packets) => {
        const m = new SecurityGroupMatcher(groups);
        for (const p of packets) {
          const port = p.protocol === "icmp" ? 0 : p.port;
          expect(compiled(m, p.direction, p.protocol, port, p.remote, p.remoteGroups)).toBe(
            reference(groups, p.direction, p.protocol, port, p.remote, p.remoteGroups),
          );
        }
      }),
      { seed: 1414, numRuns: 400 },
    );
  });

  it("names the admitting rule of every allowing code, and none for a denying one", () => {
    fc.assert(
      fc.property(groupsArb, fc.array(packetArb, { minLength: 1, maxLength: 30 }), (groups, packets) => {
        const m = new SecurityGroupMatcher(groups);
        for (const p of packets) {
          const port = p.protocol === "icmp" ? 0 : p.port;
          const code = m.match(p.direction, p.protocol, port, p.remote, p.remoteGroups);
          const by = m.admittingRule(p.direction, code, p.remoteGroups);
          if (!m.allows(p.direction, code)) expect(by).toBeUndefined();
          else if (code === SAME_GROUP_ALLOWED) {
            // The first of the pod's groups (in their order) allowing same-group traffic that the remote shares.
            const first = groups.find((g) => g.allowSameGroupTraffic && p.remoteGroups?.includes(g.name));
            expect(by).toEqual({ group: first?.name, rule: "same-group" });
          } else {
            const r = m.ruleAt(p.direction, code);
            expect(by).toEqual({ group: r?.group, rule: r?.ruleIndex });
            expect(r?.rule.action).toBe("allow");
          }
        }
      }),
      { seed: 2026, numRuns: 200 },
    );
  });

  it("agrees on one large group whose nested ranges defeat the port index", () => {
    // Wide, nested ranges: the index would be quadratic, so the list is scanned whole.
    const wide = fc
      .tuple(ruleArb, fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 60000, max: 65535 }))
      .map(([r, from, to]) => (r.portRangeMin === undefined ? r : { ...r, portRangeMin: from, portRangeMax: to }));
    fc.assert(
      fc.property(
        fc.array(wide, { minLength: 150, maxLength: 200 }),
        fc.array(packetArb, { maxLength: 50 }),
        (rules, packets) => {
          const groups = [{ name: "a", ingressRules: rules, egressRules: rules, allowSameGroupTraffic: false }];
          const m = new SecurityGroupMatcher(groups);
          for (const p of packets) {
            const port = p.protocol === "icmp" ? 0 : p.port;
            expect(compiled(m, p.direction, p.protocol, port, p.remote, p.remoteGroups)).toBe(
              reference(groups, p.direction, p.protocol, port, p.remote, p.remoteGroups),
            );
          }
        },
      ),
      { seed: 7, numRuns: 15 },
    );
  });
});
