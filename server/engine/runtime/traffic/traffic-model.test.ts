import { describe, expect, it } from "vitest";
import { formatIpv4, parseIpv4 } from "../../network/ipv4";
import { nicCapacityOf } from "../../network/qos/nic-capacity";
import { QOS_ANNOTATIONS } from "../../network/qos/qos-annotations";
import { group, mac, rule, twoTenants } from "../../network/security/security.test-kit";
import { parseSimTraffic } from "./flow-spec";
import { TrafficModel, type TrafficPodInput } from "./traffic-model";
import { NO_SERVICES, type ServiceForwarding } from "./traffic-network";
import { containerTraffic } from "./traffic-report";

const NIC = nicCapacityOf({ cpuMillis: 2000 }); // 5 Gbit/s, 600k packets/s per direction
const nics = new Map([
  ["n1", NIC],
  ["n2", NIC],
]);

function pod(name: string, ip: string, traffic: string, extra: Partial<TrafficPodInput> = {}): TrafficPodInput {
  const { flows, problems } = parseSimTraffic(traffic);
  expect(problems).toEqual([]);
  return {
    id: name,
    tenantId: "acme",
    namespace: "prod",
    name,
    nodeId: "n1",
    annotations: {},
    podIP: ip,
    containers: [{ name: "app", flows }],
    ...extra,
  };
}

function network(labelsByIp: Record<string, Record<string, string>> = {}) {
  const s = twoTenants();
  const add = (name: string, ip: string) =>
    s.addPod("acme", { namespace: "prod", podName: name, ip, mac: mac(), labels: labelsByIp[ip] ?? {} });
  return { s, add };
}

const dropsOf = (r: ReturnType<TrafficModel["step"]>, id: string) =>
  (r.get(id)?.drops ?? []).map((d) => ({ ...d, packetsPerSecond: Math.round(d.packetsPerSecond) }));

describe("TrafficModel", () => {
  it("delivers a flow between two pods and reports both ends", () => {
    const { s, add } = network();
    add("client", "10.0.0.10");
    add("server", "10.0.0.11");
    const model = new TrafficModel({ security: s, services: NO_SERVICES });
    const r = model.step(0, nics, [
      pod("client", "10.0.0.10", "to=pod/server;port=80;rate=80M;size=1000"),
      pod("server", "10.0.0.11", "", { nodeId: "n2" }),
    ]);
    expect(r.get("client")?.tx.bitsPerSecond).toBeCloseTo(80e6);
    expect(r.get("client")?.tx.packetsPerSecond).toBeCloseTo(10_000);
    expect(r.get("server")?.rx.bitsPerSecond).toBeCloseTo(80e6);
    expect(containerTraffic(r.get("server"), "app")?.rxBytesPerSecond).toBeCloseTo(10e6);
    expect(r.get("client")?.drops).toEqual([]);
  });

  it("drops by a deny rule, counted under its reason, group and rule at the pod it applies to", () => {
    const { s, add } = network({ "10.0.0.10": { app: "web" }, "10.0.0.11": { app: "db" } });
    s.setGroups("acme", [
      group("web", {
        podSelector: { matchLabels: { app: "web" } },
        egressRules: [
          rule({ action: "allow", priority: 100 }),
          rule({ action: "deny", portRangeMin: 25, portRangeMax: 25, priority: 10 }),
        ],
      }),
      group("db", {
        podSelector: { matchLabels: { app: "db" } },
        ingressRules: [rule({ portRangeMin: 5432, portRangeMax: 5432 })],
      }),
    ]);
    add("web", "10.0.0.10");
    add("db", "10.0.0.11");
    const model = new TrafficModel({ security: s, services: NO_SERVICES });
    const r = model.step(0, nics, [
      pod(
        "web",
        "10.0.0.10",
        "to=internet;port=25;rate=8M;size=1000|to=pod/db;port=6379;rate=8M;size=1000|to=pod/db;port=5432;rate=8M;size=1000",
      ),
      pod("db", "10.0.0.11", ""),
    ]);
    expect(dropsOf(r, "web")).toEqual([
      {
        direction: "egress",
        reason: "egress-denied",
        group: "web",
        rule: 1,
        packetsPerSecond: 1000,
        bytesPerSecond: 1e6,
      },
    ]);
    // No rule of db's group allows 6379: the default deny, at db's ingress (no rule named).
    expect(dropsOf(r, "db")).toEqual([
      { direction: "ingress", reason: "ingress-denied", packetsPerSecond: 1000, bytesPerSecond: 1e6 },
    ]);
    expect(r.get("db")?.rx.bitsPerSecond).toBeCloseTo(8e6); // only 5432 arrives
    expect(r.get("web")?.tx.bitsPerSecond).toBeCloseTo(16e6); // 6379 left the source, 25 did not
    expect(containerTraffic(r.get("web"), "app")?.txDropsPerSecond).toBeCloseTo(1000);
    expect(containerTraffic(r.get("db"), "app")?.rxDropsPerSecond).toBeCloseTo(1000);
  });

  it("credits each flow's admitting rules with what got through the shaping, at the pod each applies to", () => {
    const { s, add } = network({ "10.0.0.10": { app: "web" }, "10.0.0.11": { app: "db" } });
    s.setGroups("acme", [
      group("web", {
        podSelector: { matchLabels: { app: "web" } },
        egressRules: [
          rule({ action: "allow", priority: 100 }),
          rule({ action: "deny", portRangeMin: 25, portRangeMax: 25, priority: 10 }),
        ],
      }),
      group("db", {
        podSelector: { matchLabels: { app: "db" } },
        ingressRules: [rule({ portRangeMin: 5432, portRangeMax: 5432 })],
      }),
    ]);
    add("web", "10.0.0.10");
    add("db", "10.0.0.11");
    add("plain", "10.0.0.12");
    const model = new TrafficModel({ security: s, services: NO_SERVICES });
    const r = model.step(0, nics, [
      // 1,000 packets/s each: 25 denied at the source, 6379 sent and denied by db, 5432 delivered.
      pod(
        "web",
        "10.0.0.10",
        "to=internet;port=25;rate=8M;size=1000|to=pod/db;port=6379;rate=8M;size=1000|to=pod/db;port=5432;rate=8M;size=1000",
        { annotations: { [QOS_ANNOTATIONS.egressPacketRate]: "1k" } },
      ),
      // No groups: nothing of its own admits it; db's rule 0 does at the other end.
      pod("plain", "10.0.0.12", "to=pod/db;port=5432;rate=8M;size=1000"),
      pod("db", "10.0.0.11", "", { annotations: { [QOS_ANNOTATIONS.ingressMax]: "4M" } }),
    ]);
    const hits = (id: string) =>
      (r.get(id)?.ruleHits ?? []).map((h) => ({ ...h, packetsPerSecond: Math.round(h.packetsPerSecond) }));
    // web's cap keeps 1,000 of the 2,000 packets/s its two sent flows offer; both left through rule 0.
    expect(hits("web")).toEqual([
      { direction: "egress", group: "web", rule: 0, packetsPerSecond: 1000, bytesPerSecond: expect.closeTo(1e6, 3) },
    ]);
    expect(r.get("web")?.tx.packetsPerSecond).toBeCloseTo(1000);
    expect(hits("plain")).toEqual([]);
    // 500 + 1,000 packets/s of 5432 arrive; db's 4 Mbit/s ingress maximum keeps 500.
    expect(hits("db")).toEqual([
      { direction: "ingress", group: "db", rule: 0, packetsPerSecond: 500, bytesPerSecond: expect.closeTo(5e5, 3) },
    ]);
    expect(r.get("db")?.rx.packetsPerSecond).toBeCloseTo(500);
  });

  it("drops banned ports, spoofed sources and unknown names under their reasons", () => {
    const { s, add } = network();
    s.setBlocklist([{ id: "no-smtp", protocol: "tcp", portRangeMin: 25, portRangeMax: 25, reason: "spam" }]);
    add("a", "10.0.0.10");
    const model = new TrafficModel({ security: s, services: NO_SERVICES });
    const r = model.step(0, nics, [
      pod(
        "a",
        "10.0.0.10",
        "to=internet;port=25;rate=8M;size=1000|to=internet;port=80;rate=8M;size=1000;spoof-ip=10.0.0.99|to=svc/missing;port=80;rate=8M;size=1000|to=10.0.0.77;port=80;rate=8M;size=1000",
      ),
    ]);
    expect(dropsOf(r, "a").map((d) => [d.reason, d.packetsPerSecond])).toEqual([
      ["port-blocked", 1000],
      ["spoofed-source-ip", 1000],
      ["no-route", 2000],
    ]);
    expect(r.get("a")?.tx.bitsPerSecond).toBe(0);
  });

  it("forwards a service name to the endpoint the tenant's table picks, and drops without endpoints", () => {
    const { s, add } = network();
    add("client", "10.0.0.10");
    add("db-0", "10.0.0.20");
    const clusterIp = parseIpv4("10.96.0.10");
    const services: ServiceForwarding = {
      resolveName: (tenant, query, ns) =>
        tenant === "acme" && ns === "prod" && query === "db" ? clusterIp : undefined,
      route: (_t, dst, port, _p, _s, _sp, out) => {
        if (dst !== clusterIp) return "no-such-service";
        if (port !== 5432) return "port-not-exposed";
        out.ip = parseIpv4("10.0.0.20");
        out.port = 5432;
        return "forwarded";
      },
    };
    const model = new TrafficModel({ security: s, services });
    const r = model.step(0, nics, [
      pod("client", "10.0.0.10", "to=svc/db;port=5432;rate=8M;size=1000|to=svc/db;port=80;rate=8M;size=1000"),
      pod("db-0", "10.0.0.20", ""),
    ]);
    expect(formatIpv4(clusterIp)).toBe("10.96.0.10");
    expect(r.get("db-0")?.rx.bitsPerSecond).toBeCloseTo(8e6);
    expect(dropsOf(r, "client").map((d) => [d.reason, d.packetsPerSecond])).toEqual([["no-route", 1000]]);
  });

  it("holds a small-packet flood at the pod's packet-rate cap", () => {
    const { s, add } = network();
    add("flood", "10.0.0.10");
    const model = new TrafficModel({ security: s, services: NO_SERVICES });
    const r = model.step(0, nics, [
      pod("flood", "10.0.0.10", "to=internet;proto=udp;port=53;rate=10M;size=64", {
        annotations: { [QOS_ANNOTATIONS.egressPacketRate]: "1k" },
      }),
    ]);
    const report = r.get("flood");
    expect(report?.tx.packetsPerSecond).toBeCloseTo(1000);
    expect(report?.qos.egress.packetRateCap).toBe(1000);
    const offered = 10e6 / (64 * 8);
    expect(dropsOf(r, "flood")).toEqual([
      {
        direction: "egress",
        reason: "pps-cap",
        packetsPerSecond: Math.round(offered - 1000),
        bytesPerSecond: expect.closeTo((offered - 1000) * 64, 3),
      },
    ]);
  });

  it("meets a guarantee under contention and lends the rest up to the NIC", () => {
    const { s, add } = network();
    add("paid", "10.0.0.10");
    add("free", "10.0.0.11");
    const model = new TrafficModel({ security: s, services: NO_SERVICES });
    const r = model.step(0, nics, [
      pod("paid", "10.0.0.10", "to=internet;port=443;rate=4G;size=1500", {
        annotations: { [QOS_ANNOTATIONS.egressGuarantee]: "3G", [QOS_ANNOTATIONS.egressMax]: "4G" },
      }),
      pod("free", "10.0.0.11", "to=internet;port=443;rate=4G;size=1500"),
    ]);
    const paid = r.get("paid")?.tx.bitsPerSecond ?? 0;
    const free = r.get("free")?.tx.bitsPerSecond ?? 0;
    expect(paid).toBeGreaterThanOrEqual(3e9 * 0.99);
    expect(paid + free).toBeLessThanOrEqual(NIC.bitsPerSecond * 1.000001);
    expect(paid + free).toBeGreaterThan(NIC.bitsPerSecond * 0.99);
    expect(r.get("paid")?.qos.egress).toEqual({
      guaranteeBitsPerSecond: 3e9,
      maxBitsPerSecond: 4e9,
      packetRateCap: null,
    });
    expect(dropsOf(r, "free").map((d) => d.reason)).toEqual(["congestion"]);
  });

  it("shapes what arrives at a receiver on its own NIC ingress", () => {
    const { s, add } = network();
    for (let i = 0; i < 3; i++) add(`c${i}`, `10.0.0.${10 + i}`);
    add("sink", "10.0.0.20");
    const model = new TrafficModel({ security: s, services: NO_SERVICES });
    const senders = [0, 1, 2].map((i) =>
      pod(`c${i}`, `10.0.0.${10 + i}`, "to=pod/sink;port=80;rate=100M;size=1000", { nodeId: "n2" }),
    );
    const r = model.step(0, nics, [
      ...senders,
      pod("sink", "10.0.0.20", "", { annotations: { [QOS_ANNOTATIONS.ingressMax]: "200M" } }),
    ]);
    expect(r.get("sink")?.rx.offeredBitsPerSecond).toBeCloseTo(300e6);
    expect(r.get("sink")?.rx.bitsPerSecond).toBeCloseTo(200e6);
    expect(dropsOf(r, "sink").map((d) => [d.direction, d.reason, d.packetsPerSecond])).toEqual([
      ["ingress", "rate-limit", 12_500],
    ]);
  });

  it("drops every flow of a pod that has no address", () => {
    const { s } = network();
    const model = new TrafficModel({ security: s, services: NO_SERVICES });
    const r = model.step(0, nics, [pod("lost", "10.0.0.99", "to=internet;port=80;rate=8M;size=1000")]);
    expect(dropsOf(r, "lost").map((d) => d.reason)).toEqual(["no-route"]);
  });
});
