/** The flow decision end to end over the in-memory network: every reason, the evaluation order, the public path. */
import { beforeEach, describe, expect, it } from "vitest";
import { parseCidr, parseIpv4 } from "../ipv4";
import { decideFlow } from "./decide-flow";
import { DdosProtection } from "./ddos";
import type { AdmittedBy, Flow, FlowDecision, TraceStep } from "./flow";
import { MemorySecurityState } from "./memory-security-state";
import { group, rule } from "./security.test-kit";
import type { FlowProtocol, PortIdentity } from "./types";

const DAY = Date.parse("2026-12-03T00:00:00Z");
let s: MemorySecurityState;
let web: PortIdentity;
let db: PortIdentity;
let db2: PortIdentity;
let dev: PortIdentity;
let globex: PortIdentity;

const ip = parseIpv4;
const toPort = (from: PortIdentity, to: PortIdentity, protocol: FlowProtocol = "tcp", port = 80): Flow => ({
  source: { kind: "port", port: from },
  destination: { kind: "port", port: to },
  protocol,
  port,
});
const toAddress = (from: PortIdentity, address: string, protocol: FlowProtocol = "tcp", port = 80): Flow => ({
  source: { kind: "port", port: from },
  destination: { kind: "address", ip: ip(address) },
  protocol,
  port,
});
const fromInternet = (source: string, address: string, port = 80): Flow => ({
  source: { kind: "internet", ip: ip(source) },
  destination: { kind: "address", ip: ip(address) },
  protocol: "tcp",
  port,
});
const decide = (flow: Flow, trace?: TraceStep[]) => decideFlow(flow, s, s, DAY, trace);
const message = (d: FlowDecision) => (d.verdict === "dropped" ? d.message : d.verdict);
const code = (d: FlowDecision) => (d.verdict === "dropped" ? d.reason.code : d.verdict);
const fresh = (p: PortIdentity) => s.port(p.tenantId, `10.0.${(p.ip >>> 8) & 255}.${p.ip & 255}`);

beforeEach(() => {
  s = new MemorySecurityState(undefined, new DdosProtection());
  s.addTenant("acme", "10.0.0.0/16", "198.51.100.1");
  s.addTenant("globex", "10.0.0.0/16");
  s.setNamespace("acme", "prod", { env: "prod" });
  s.setNamespace("acme", "dev", { env: "dev" });
  s.setGroups("acme", [
    group("web-sg", {
      podSelector: { matchLabels: { app: "web" } },
      ingressRules: [
        rule({ portRangeMin: 80, portRangeMax: 80 }),
        rule({ action: "deny", priority: 10, portRangeMin: 22, portRangeMax: 22 }),
        rule({ portRangeMin: 8080, portRangeMax: 8080, remoteAddress: "198.51.100.1" }),
        rule({ protocol: "icmp", remoteAddress: "10.0.0.0/16" }),
      ],
    }),
    group("db-sg", {
      podSelector: { matchLabels: { app: "db" } },
      ingressRules: [
        rule({ portRangeMin: 5432, portRangeMax: 5432, remoteAddress: undefined, remoteSecurityGroup: "web-sg" }),
      ],
      egressRules: [],
      allowSameGroupTraffic: true,
    }),
  ]);
  web = s.addPod("acme", {
    namespace: "prod",
    podName: "web-1",
    labels: { app: "web" },
    ip: "10.0.0.5",
    mac: "0a:58:0a:00:00:05",
    publicIp: "203.0.113.10",
  });
  db = s.addPod("acme", {
    namespace: "prod",
    podName: "db-1",
    labels: { app: "db" },
    ip: "10.0.0.6",
    mac: "0a:58:0a:00:00:06",
    containerPorts: [{ name: "postgres", containerPort: 5432, protocol: "TCP" }],
  });
  db2 = s.addPod("acme", {
    namespace: "prod",
    podName: "db-2",
    labels: { app: "db" },
    ip: "10.0.0.7",
    mac: "0a:58:0a:00:00:07",
  });
  dev = s.addPod("acme", {
    namespace: "dev",
    podName: "tool",
    labels: { app: "tool" },
    ip: "10.0.1.5",
    mac: "0a:58:0a:00:01:05",
  });
  globex = s.addPod("globex", { namespace: "default", podName: "g-1", ip: "10.0.0.5", mac: "0a:58:0a:00:00:05" });
});

describe("flow decision: delivered", () => {
  it("delivers a flow every filter allows, explaining each stage in order", () => {
    const trace: TraceStep[] = [];
    expect(decide(toPort(web, db, "tcp", 5432), trace)).toEqual({ verdict: "delivered", path: "private" });
    expect(trace.map((t) => `${t.stage}:${t.outcome}`)).toEqual([
      "anti-spoofing:passed",
      "route:passed",
      "blocklist:passed",
      "egress-groups:passed",
      "egress-policy:passed",
      "ddos:not-applicable",
      "ingress-policy:passed",
      "ingress-groups:passed",
    ]);
    expect(trace[3]?.detail).toBe("allowed by egress rule 0 of group web-sg (allow all to 0.0.0.0/0)");
    expect(trace[7]?.detail).toBe("allowed by ingress rule 0 of group db-sg (allow tcp 5432 from group web-sg)");
    expect(trace[4]?.detail).toContain("is not isolated for egress");
  });

  it("allows same-group traffic both ways when the group says so", () => {
    const trace: TraceStep[] = [];
    expect(code(decide(toPort(db2, db, "tcp", 9999), trace))).toBe("delivered");
    expect(trace[3]?.detail).toBe("allowed: both pods are in group db-sg, which allows same-group traffic");
  });

  it("leaves a pod without groups unfiltered by groups, and ignores the port for icmp", () => {
    expect(code(decide(toPort(web, dev, "udp", 5353)))).toBe("delivered");
    expect(code(decide(toPort(dev, web, "icmp", 12345)))).toBe("delivered");
  });
});

describe("flow decision: the rules that admitted it", () => {
  const admitted: AdmittedBy = { egress: undefined, ingress: undefined };
  const admit = (flow: Flow) => {
    const d = decideFlow(flow, s, s, DAY, undefined, admitted);
    return { verdict: code(d), egress: admitted.egress, ingress: admitted.ingress };
  };

  it("names the egress rule of the source's groups and the ingress rule of the destination's", () => {
    // web-sg has no egress rules written: AWS's default allow-all egress rule, its rule 0.
    expect(admit(toPort(web, db, "tcp", 5432))).toEqual({
      verdict: "delivered",
      egress: { group: "web-sg", rule: 0 },
      ingress: { group: "db-sg", rule: 0 },
    });
    // web-sg's ingress rules in precedence order put the deny (rule 1) first: the index is the rule's, not the slot's.
    expect(admit(toPort(dev, web, "tcp", 80)).ingress).toEqual({ group: "web-sg", rule: 0 });
    expect(admit(toAddress(dev, "203.0.113.10", "tcp", 8080)).ingress).toEqual({ group: "web-sg", rule: 2 });
    // The decision itself is unchanged: the same frozen answer as without the out-parameter.
    expect(decideFlow(toPort(web, db, "tcp", 5432), s, s, DAY, undefined, admitted)).toBe(
      decide(toPort(web, db, "tcp", 5432)),
    );
  });

  it("names a group's same-group rule, and nothing for a pod without groups", () => {
    expect(admit(toPort(db2, db, "tcp", 9999))).toEqual({
      verdict: "delivered",
      egress: { group: "db-sg", rule: "same-group" },
      ingress: { group: "db-sg", rule: "same-group" },
    });
    expect(admit(toPort(web, dev, "udp", 5353))).toEqual({
      verdict: "delivered",
      egress: { group: "web-sg", rule: 0 },
      ingress: undefined,
    });
    expect(admit(toPort(dev, web, "icmp"))).toEqual({
      verdict: "delivered",
      egress: undefined,
      ingress: { group: "web-sg", rule: 3 },
    });
  });

  it("keeps the egress rule a flow left through when the destination drops it, and clears what a drop did not reach", () => {
    expect(admit(toPort(web, db, "tcp", 6379))).toEqual({
      verdict: "ingress-denied",
      egress: { group: "web-sg", rule: 0 },
      ingress: undefined,
    });
    admit(toPort(web, db, "tcp", 5432));
    expect(
      admit({ ...toPort(web, db, "tcp", 5432), source: { kind: "port", port: web, claimedIp: ip("10.0.0.9") } }),
    ).toEqual({ verdict: "spoofed-source-ip", egress: undefined, ingress: undefined });
    expect(admit(toPort(db, web, "tcp", 80))).toEqual({
      verdict: "egress-denied",
      egress: undefined,
      ingress: undefined,
    });
  });
});

describe("flow decision: every reason, with its message", () => {
  it("spoofed-source-mac and spoofed-source-ip", () => {
    const mac = decide({
      ...toPort(web, db, "tcp", 5432),
      source: { kind: "port", port: web, claimedMac: "0a:58:0a:00:00:99" },
    });
    expect(mac).toMatchObject({
      verdict: "dropped",
      reason: { code: "spoofed-source-mac", pod: "prod/web-1", claimedMac: "0a:58:0a:00:00:99" },
    });
    expect(message(mac)).toBe(
      "dropped at pod prod/web-1's port: source MAC 0a:58:0a:00:00:99 is not the port's assigned MAC 0a:58:0a:00:00:05 (L2 anti-spoofing)",
    );
    const ipSpoof = decide({
      ...toPort(web, db, "tcp", 5432),
      source: { kind: "port", port: web, claimedIp: ip("10.0.0.7") },
    });
    expect(message(ipSpoof)).toBe(
      "dropped at pod prod/web-1's port: source IP 10.0.0.7 is not the port's assigned IP 10.0.0.5 (L3 anti-spoofing)",
    );
  });

  it("no-route: another tenant, no pod at the address, a private address outside the VPC", () => {
    const other = decide(toPort(web, globex));
    expect(other).toMatchObject({ reason: { code: "no-route", cause: "different-tenant" } });
    expect(message(other)).toBe("no route: 10.0.0.5 is in another tenant's network, and tenant networks are isolated");
    // The overlapping address 10.0.0.5 resolves inside the source's own tenant only.
    expect(decideFlow(toAddress(dev, "10.0.0.5"), s, s, DAY)).toEqual({ verdict: "delivered", path: "private" });
    expect(message(decide(toAddress(web, "10.0.9.9")))).toBe(
      "no route: no pod holds 10.0.9.9 in this tenant's network",
    );
    expect(message(decide(toAddress(web, "192.168.1.1")))).toBe(
      "no route: 192.168.1.1 is a private or reserved address outside this tenant's network",
    );
  });

  it("no-route: no way to the internet, or nothing behind a public address", () => {
    expect(message(decide(toAddress(globex, "203.0.113.200")))).toBe(
      "no route to 203.0.113.200: pod default/g-1 has no public IP and its network has no outbound NAT",
    );
    expect(message(decide(fromInternet("198.51.100.7", "203.0.113.99")))).toBe(
      "no route: public address 203.0.113.99 is not bound to any pod",
    );
  });

  it("port-blocked by the operator, before any tenant rule that would allow it", () => {
    s.setGroups("acme", [
      group("web-sg", {
        podSelector: { matchLabels: { app: "web" } },
        egressRules: [rule({ priority: 1, portRangeMin: 25, portRangeMax: 25 })],
      }),
    ]);
    s.setBlocklist([
      {
        id: "smtp-out",
        protocol: "tcp",
        portRangeMin: 25,
        portRangeMax: 25,
        scope: "public",
        reason: "outbound SMTP is banned against spam",
      },
      { id: "netbios", protocol: "udp", portRangeMin: 137, portRangeMax: 139, reason: "NetBIOS worms" },
    ]);
    const w = fresh(web);
    const smtp = decide(toAddress(w, "203.0.113.200", "tcp", 25));
    expect(smtp).toMatchObject({ reason: { code: "port-blocked", entryId: "smtp-out", port: 25 } });
    expect(message(smtp)).toBe(
      "dropped by the operator's blocklist entry smtp-out (tcp 25 is banned for every tenant: outbound SMTP is banned against spam)",
    );
    expect(code(decide(toPort(w, dev, "tcp", 25)))).toBe("delivered");
    expect(code(decide(toPort(dev, db, "udp", 137)))).toBe("port-blocked");
  });

  it("egress-denied and ingress-denied, by a rule or by no rule", () => {
    const byRule = decide(toPort(dev, web, "tcp", 22));
    expect(byRule).toMatchObject({
      reason: { code: "ingress-denied", group: "web-sg", ruleIndex: 1, groups: ["web-sg"] },
    });
    expect(message(byRule)).toBe("dropped by ingress rule 1 of group web-sg (deny tcp 22 from 0.0.0.0/0)");
    expect(message(decide(toPort(dev, db, "tcp", 5432)))).toBe(
      "dropped: no ingress rule of pod prod/db-1's security groups (db-sg) allows tcp 5432 from 10.0.1.5",
    );
    const egress = decide(toPort(db, web, "tcp", 80));
    expect(egress).toMatchObject({ reason: { code: "egress-denied", groups: ["db-sg"] } });
    expect(message(egress)).toBe(
      "dropped: no egress rule of pod prod/db-1's security groups (db-sg) allows tcp 80 to 10.0.0.5",
    );
  });

  it("network-policy on egress and on ingress, naming the policies", () => {
    s.setNetworkPolicies("acme", [
      { name: "default-deny", namespace: "prod", spec: { podSelector: {}, policyTypes: ["Ingress"] } },
      {
        name: "db-from-web",
        namespace: "prod",
        spec: {
          podSelector: { matchLabels: { app: "db" } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }], ports: [{ port: "postgres" }] }],
        },
      },
      { name: "dev-no-egress", namespace: "dev", spec: { podSelector: {}, policyTypes: ["Egress"] } },
    ]);
    const trace: TraceStep[] = [];
    expect(code(decide(toPort(web, db, "tcp", 5432), trace))).toBe("delivered");
    expect(trace[6]?.detail).toBe("allowed by NetworkPolicy db-from-web");
    const ingress = decide(toPort(db2, db, "tcp", 5432));
    expect(ingress).toMatchObject({
      reason: { code: "network-policy", direction: "ingress", policies: ["db-from-web", "default-deny"] },
    });
    expect(message(ingress)).toBe(
      "dropped by NetworkPolicy: pod prod/db-1 is isolated for ingress by db-from-web, default-deny, and none allows tcp 5432 from 10.0.0.7",
    );
    expect(message(decide(toPort(dev, web, "tcp", 80)))).toBe(
      "dropped by NetworkPolicy: pod dev/tool is isolated for egress by dev-no-egress, and none allows tcp 80 to 10.0.0.5",
    );
  });

  it("blackholed: traffic to a black-holed public IP, and from a pod whose public IP is", () => {
    const until = DAY + 30 * 60_000;
    for (let t = 1; t <= 10; t++)
      s.ddos.observe(
        web.publicIp as number,
        { packetsPerSecond: 1e6, bitsPerSecond: 1e10, intervalMs: 1000 },
        DAY - 10_000 + t * 1000,
      );
    const inbound = decide(fromInternet("198.51.100.7", "203.0.113.10", 22));
    expect(inbound).toMatchObject({
      reason: { code: "blackholed", address: "203.0.113.10", side: "destination", until },
    });
    expect(message(inbound)).toBe(
      "dropped: public IP 203.0.113.10 is black-holed by DDoS protection until 2026-12-03T00:30:00.000Z",
    );
    expect(decide(toAddress(web, "8.8.8.8", "udp", 53))).toMatchObject({
      reason: { code: "blackholed", side: "source" },
    });
    expect(code(decide(toPort(dev, web)))).toBe("delivered");
    s.ddos.clear(web.publicIp as number, DAY);
    expect(code(decide(fromInternet("198.51.100.7", "203.0.113.10")))).toBe("delivered");
  });
});

describe("flow decision: the public path and the evaluation order", () => {
  it("judges a pod reached by its public IP by the address the source comes from", () => {
    expect(decide(fromInternet("198.51.100.7", "203.0.113.10", 80))).toEqual({ verdict: "delivered", path: "public" });
    expect(code(decide(fromInternet("198.51.100.7", "203.0.113.10", 8080)))).toBe("ingress-denied");
    // From dev via the public IP: seen as the tenant's NAT address, which rule 2 allows; privately it is 10.0.1.5.
    expect(decide(toAddress(dev, "203.0.113.10", "tcp", 8080))).toEqual({ verdict: "delivered", path: "public" });
    expect(code(decide(toPort(dev, web, "tcp", 8080)))).toBe("ingress-denied");
  });

  it("matches remote-group rules only on the private path", () => {
    s.setGroups("acme", [
      group("web-sg", { podSelector: { matchLabels: { app: "web" } } }),
      group("db-sg", {
        podSelector: { matchLabels: { app: "db" } },
        ingressRules: [
          rule({ portRangeMin: 5432, portRangeMax: 5432, remoteAddress: undefined, remoteSecurityGroup: "web-sg" }),
        ],
      }),
    ]);
    s.removePod("acme", "10.0.0.6");
    const pubDb = s.addPod("acme", {
      namespace: "prod",
      podName: "db-1",
      labels: { app: "db" },
      ip: "10.0.0.6",
      mac: "0a:58:0a:00:00:06",
      publicIp: "203.0.113.11",
    });
    expect(code(decide(toPort(fresh(web), pubDb, "tcp", 5432)))).toBe("delivered");
    expect(code(decide(toAddress(fresh(web), "203.0.113.11", "tcp", 5432)))).toBe("ingress-denied");
  });

  it("reports the first filter on the path when several would drop", () => {
    s.setBlocklist([{ id: "ssh", protocol: "tcp", portRangeMin: 22, portRangeMax: 22, reason: "no ssh" }]);
    // spoofed and towards another tenant: the spoof is reported
    expect(
      code(decide({ ...toPort(web, globex), source: { kind: "port", port: web, claimedIp: ip("10.0.0.99") } })),
    ).toBe("spoofed-source-ip");
    // banned and denied by web-sg's rule 1: the ban is reported
    expect(code(decide(toPort(dev, web, "tcp", 22)))).toBe("port-blocked");
    // db-1's egress denies and web's ingress would too: egress is reported
    expect(code(decide(toPort(db, web, "tcp", 8080)))).toBe("egress-denied");
  });

  it("lets an allowed address pair send from its extra address", () => {
    s.removePod("acme", "10.0.1.5");
    const vip = s.addPod("acme", {
      namespace: "dev",
      podName: "tool",
      ip: "10.0.1.5",
      mac: "0a:58:0a:00:01:05",
      allowedAddressPairs: [{ cidr: parseCidr("10.0.1.100/32") }],
    });
    expect(
      code(decide({ ...toPort(vip, web), source: { kind: "port", port: vip, claimedIp: ip("10.0.1.100") } })),
    ).toBe("delivered");
    expect(
      code(decide({ ...toPort(vip, web), source: { kind: "port", port: vip, claimedIp: ip("10.0.1.101") } })),
    ).toBe("spoofed-source-ip");
  });
});
