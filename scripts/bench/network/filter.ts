/**
 * Scenario `filter`: how fast the security filters decide.
 * - decisions_per_s_{1,60,1000}: full flow decisions (decideFlow: anti-spoofing, route,
 *   blocklist, egress groups, NetworkPolicy, ingress groups) between pods whose groups hold 1,
 *   60 and 1,000 rules per direction (1,000 = 5 groups × 200 rules, the most AWS's
 *   rules × groups ≤ 1,000 allows); rules are random ports, ranges, CIDRs and group references
 *   ending in a catch-all, so most flows scan deep before they are decided. Beside each, the
 *   compiled matcher alone and, as a same-run baseline, a naive scan of the same rules.
 * - check_p99_ms: the connectivity check (look the pods up, decide with a full trace, render
 *   the answer) over a tenant of 1,000 pods, 20 groups and 5 NetworkPolicies; cold = the first
 *   check after a rule edit (the tenant's group sets and policies compiled again). Target ≤ 50 ms.
 *   regroup_1000_pods_ms: a group change's other cost, resolving the 1,000 pods' groups again.
 * --quick: fewer flows, shorter timing windows, 300 checks.
 */
import { performance } from "node:perf_hooks";
import { log, percentile, round } from "../lib";
import { createRng, type Rng } from "@/server/engine/queue/rng";
import { cidrContains, formatIpv4, parseIpv4 } from "@/server/engine/network/ipv4";
import {
  decideFlow,
  type Flow,
  MemorySecurityState,
  type NetworkPolicy,
  parseRemoteAddress,
  type PortIdentity,
  rulesOf,
  type SecurityGroup,
  type SecurityGroupRule,
  SecurityGroupMatcher,
  type TraceStep,
  withSecurityGroupDefaults,
} from "@/server/engine/network/security";
import type { Direction, FlowProtocol } from "@/server/engine/network/security/types";

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)] as T;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));

function randomRule(rng: Rng, groupNames: readonly string[]): SecurityGroupRule {
  const protocol = pick(rng, ["tcp", "tcp", "udp", "icmp"] as const);
  const from = int(rng, 1, 64000);
  const ports = protocol === "icmp" ? {} : { portRangeMin: from, portRangeMax: from + pick(rng, [0, 0, 10, 1000]) };
  const remote =
    rng.next() < 0.2
      ? { remoteSecurityGroup: pick(rng, groupNames) }
      : { remoteAddress: `10.${int(rng, 0, 3)}.${int(rng, 0, 255)}.0/24` };
  return { protocol, ...ports, ...remote, action: rng.next() < 0.3 ? "deny" : "allow", priority: int(rng, 1, 199) };
}

const CATCH_ALL: SecurityGroupRule = { protocol: "all", remoteAddress: "0.0.0.0/0", action: "allow", priority: 200 };

function groupsWithRules(rng: Rng, total: number, prefix: string): SecurityGroup[] {
  const count = total >= 1000 ? 5 : 1;
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const per = Math.floor(total / count);
  return names.map((name, i) =>
    withSecurityGroupDefaults({
      name,
      podSelector: { matchLabels: { role: prefix } },
      ingressRules: [
        ...Array.from({ length: per - (i === 0 ? 1 : 0) }, () => randomRule(rng, names)),
        ...(i === 0 ? [CATCH_ALL] : []),
      ],
      egressRules: [
        ...Array.from({ length: per - (i === 0 ? 1 : 0) }, () => randomRule(rng, names)),
        ...(i === 0 ? [CATCH_ALL] : []),
      ],
    }),
  );
}

/**
 * The same-run baseline: the rules pre-parsed (integer masks) but kept as written, every rule
 * of every group scanned for the best by precedence, as a linear ACL evaluation does.
 */
function naiveMatcher(groups: readonly SecurityGroup[], d: Direction) {
  const rules = groups.flatMap((g) =>
    rulesOf(g, d).map((r) => {
      const cidr = r.remoteAddress === undefined ? undefined : parseRemoteAddress(r.remoteAddress);
      return { r, cidr, key: r.priority * 2 + (r.action === "deny" ? 0 : 1) };
    }),
  );
  return (p: FlowProtocol, port: number, remote: number, remoteGroups: readonly string[]) => {
    let best = -1;
    let bestKey = Number.POSITIVE_INFINITY;
    for (let i = 0; i < rules.length; i++) {
      const { r, cidr, key } = rules[i] as (typeof rules)[number];
      if (key >= bestKey || (r.protocol !== "all" && r.protocol !== p)) continue;
      if (r.portRangeMin !== undefined && (port < r.portRangeMin || port > (r.portRangeMax ?? 0))) continue;
      const ok = cidr === undefined ? remoteGroups.includes(r.remoteSecurityGroup ?? "") : cidrContains(cidr, remote);
      if (ok) {
        bestKey = key;
        best = i;
      }
    }
    return best;
  };
}

/** Runs `fn` over `count` items for at least `ms`; returns calls per second. */
function rate(ms: number, count: number, fn: (i: number) => void): number {
  const warm = performance.now();
  while (performance.now() - warm < Math.max(ms / 2, 200)) for (let i = 0; i < count; i++) fn(i); // let the JIT settle
  let calls = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < count; i++) fn(i);
    calls += count;
    t = performance.now();
  }
  return (calls * 1000) / (t - t0);
}

function decisionRates(total: number, quick: boolean) {
  const rng = createRng(total);
  const s = new MemorySecurityState({ rulesPerGroup: 200, groupsPerPod: 5, rulesPerPod: 1000 });
  s.addTenant("t", "10.0.0.0/14", "198.51.100.1");
  s.setNamespace("t", "default");
  const groups = groupsWithRules(rng, total, "app");
  s.setGroups("t", groups);
  const pods: PortIdentity[] = [];
  for (let i = 0; i < 200; i++)
    pods.push(
      s.addPod("t", {
        namespace: "default",
        podName: `p-${i}`,
        labels: { role: "app" },
        ip: formatIpv4(parseIpv4("10.0.0.0") + i * 97 + 1),
        mac: `0a:58:00:00:${(i >> 8).toString(16).padStart(2, "0")}:${(i & 255).toString(16).padStart(2, "0")}`,
      }),
    );
  const flows: Flow[] = Array.from({ length: quick ? 1024 : 4096 }, () => {
    const protocol = pick(rng, ["tcp", "tcp", "udp", "icmp"] as const);
    return {
      source: { kind: "port", port: pick(rng, pods) },
      destination: { kind: "port", port: pick(rng, pods) },
      protocol,
      port: int(rng, 1, 65535),
    };
  });
  const ms = quick ? 150 : 1000;
  let delivered = 0;
  for (const f of flows) if (decideFlow(f, s, s, 0).verdict === "delivered") delivered++;
  const decisions = rate(ms, flows.length, (i) => decideFlow(flows[i] as Flow, s, s, 0));
  const matcher = new SecurityGroupMatcher(groups);
  const packets = flows.map((f) => ({
    p: f.protocol,
    port: f.protocol === "icmp" ? 0 : f.port,
    ip: (f.destination as { port: PortIdentity }).port.ip,
    g: (f.destination as { port: PortIdentity }).port.groups,
  }));
  const matches = rate(ms, packets.length, (i) => {
    const k = packets[i] as (typeof packets)[number];
    matcher.match("egress", k.p, k.port, k.ip, k.g);
  });
  const naiveMatch = naiveMatcher(groups, "egress");
  const naive = rate(ms, packets.length, (i) => {
    const k = packets[i] as (typeof packets)[number];
    naiveMatch(k.p, k.port, k.ip, k.g);
  });
  log(
    `filter: ${total} rules: ${Math.round(decisions)} decisions/s, ${Math.round(matches)} matches/s (naive ${Math.round(naive)}/s), delivered ${delivered}/${flows.length}`,
  );
  return { decisions, matches, naive, deliveredShare: delivered / flows.length };
}

function checkTenant(rng: Rng) {
  const s = new MemorySecurityState();
  s.addTenant("t", "10.0.0.0/16", "198.51.100.1");
  const namespaces = ["prod", "stage", "dev", "data", "edge"];
  for (const ns of namespaces) s.setNamespace("t", ns, { env: ns });
  const apps = Array.from({ length: 15 }, (_, i) => `app-${i}`);
  const tiers = ["front", "mid", "back", "batch", "ops"];
  const names = [...apps.map((a) => `${a}-sg`), ...tiers.map((t) => `${t}-sg`)];
  const groups: SecurityGroup[] = [
    ...apps.map((a) =>
      withSecurityGroupDefaults({
        name: `${a}-sg`,
        podSelector: { matchLabels: { app: a } },
        ingressRules: Array.from({ length: 40 }, () => randomRule(rng, names)),
        allowSameGroupTraffic: true,
      }),
    ),
    ...tiers.map((t) =>
      withSecurityGroupDefaults({
        name: `${t}-sg`,
        podSelector: { matchLabels: { tier: t } },
        ingressRules: [...Array.from({ length: 20 }, () => randomRule(rng, names)), CATCH_ALL],
        egressRules: Array.from({ length: 20 }, () => randomRule(rng, names)).concat([CATCH_ALL]),
      }),
    ),
  ];
  s.setGroups("t", groups);
  const policies: NetworkPolicy[] = [
    { name: "prod-deny", namespace: "prod", spec: { podSelector: {}, policyTypes: ["Ingress"] } },
    {
      name: "prod-from-edge",
      namespace: "prod",
      spec: {
        podSelector: { matchLabels: { tier: "front" } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: "edge" } } }] }],
      },
    },
    {
      name: "data-db",
      namespace: "data",
      spec: {
        podSelector: { matchExpressions: [{ key: "tier", operator: "In", values: ["back", "mid"] }] },
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { tier: "mid" } }, namespaceSelector: {} }],
            ports: [{ port: "svc" }, { port: 5432, endPort: 5440 }],
          },
        ],
      },
    },
    {
      name: "dev-egress",
      namespace: "dev",
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.128.0/17"] } }] }],
      },
    },
    {
      name: "stage-web",
      namespace: "stage",
      spec: { podSelector: { matchLabels: { app: "app-1" } }, ingress: [{ ports: [{ port: 80 }, { port: 443 }] }] },
    },
  ];
  s.setNetworkPolicies("t", policies);
  const byName = new Map<string, PortIdentity>();
  for (let i = 0; i < 1000; i++) {
    const ns = pick(rng, namespaces);
    const podName = `pod-${i}`;
    byName.set(
      `${ns}/${podName}`,
      s.addPod("t", {
        namespace: ns,
        podName,
        labels: { app: pick(rng, apps), tier: pick(rng, tiers) },
        ip: formatIpv4(parseIpv4("10.0.0.10") + i),
        mac: `0a:58:00:00:${(i >> 8).toString(16).padStart(2, "0")}:${(i & 255).toString(16).padStart(2, "0")}`,
        containerPorts: [{ name: "svc", containerPort: 8080, protocol: "TCP" }],
      }),
    );
  }
  return { s, byName: [...byName.keys()], lookup: byName, groups, policies };
}

function checkLatencies(quick: boolean, cold: boolean): { sorted: number[]; regroupMs: number } {
  const rng = createRng(99);
  const { s, byName, lookup, groups } = checkTenant(rng);
  const r0 = performance.now();
  s.setGroups("t", groups);
  const regroupMs = performance.now() - r0;
  const n = quick ? 300 : 3000;
  const out: number[] = [];
  for (let i = 0; i < n + 20; i++) {
    const from = pick(rng, byName);
    const to = pick(rng, byName);
    const protocol = pick(rng, ["tcp", "udp", "icmp"] as const);
    const port = pick(rng, [22, 80, 443, 5432, 8080, int(rng, 1, 65535)]);
    const t0 = performance.now();
    if (cold) s.recompileTables("t");
    const src = lookup.get(from) as PortIdentity;
    const dst = lookup.get(to) as PortIdentity;
    const trace: TraceStep[] = [];
    const d = decideFlow(
      { source: { kind: "port", port: src }, destination: { kind: "port", port: dst }, protocol, port },
      s,
      s,
      Date.now(),
      trace,
    );
    JSON.stringify({ from, to, protocol, port, decision: d, trace });
    if (i >= 20) out.push(performance.now() - t0);
  }
  return { sorted: out.sort((a, b) => a - b), regroupMs };
}

export async function run(opts: { quick: boolean }): Promise<Record<string, unknown>[]> {
  const { quick } = opts;
  const line: Record<string, unknown> = { scenario: "filter", quick };
  for (const total of [1, 60, 1000]) {
    const r = decisionRates(total, quick);
    line[`decisions_per_s_${total}`] = Math.round(r.decisions);
    line[`matcher_per_s_${total}`] = Math.round(r.matches);
    line[`naive_matcher_per_s_${total}`] = Math.round(r.naive);
    line[`delivered_share_${total}`] = round(r.deliveredShare, 3);
  }
  const { sorted: warm, regroupMs } = checkLatencies(quick, false);
  const { sorted: cold } = checkLatencies(quick, true);
  line.check_pods = 1000;
  line.check_groups = 20;
  line.check_network_policies = 5;
  line.check_p50_ms = round(percentile(warm, 50), 4);
  line.check_p99_ms = round(percentile(warm, 99), 4);
  line.check_cold_p99_ms = round(percentile(cold, 99), 4);
  line.regroup_1000_pods_ms = round(regroupMs, 3);
  line.check_target_met = (percentile(warm, 99) ?? Number.POSITIVE_INFINITY) <= 50;
  log(`filter: check p50 ${line.check_p50_ms} ms, p99 ${line.check_p99_ms} ms, cold p99 ${line.check_cold_p99_ms} ms`);
  return [line];
}
