import { describe, expect, it } from "vitest";
import { formatIpv4, parseIpv4 } from "../ipv4";
import { endpointsFromSlices, type ServiceEndpoint } from "./backends";
import { deriveEndpointSlices } from "./endpoint-slices";
import { pod, service } from "./fixtures.test-kit";
import { PROTOCOL_CODE } from "./service";
import { type BackendSlot, TenantForwardingTable } from "./tenant-table";

const ip = parseIpv4;
const ep = (addr: string, port = 8080, c: Partial<ServiceEndpoint> = {}): ServiceEndpoint => ({
  ip: ip(addr),
  ready: true,
  serving: true,
  terminating: false,
  ports: [{ name: "", protocol: "TCP", port }],
  ...c,
});
const web = service("web", { clusterIP: "10.96.0.10", ports: [{ port: 80, targetPort: 8080 }] });
const three = [ep("10.0.0.2"), ep("10.0.0.3"), ep("10.0.0.4")];

function tableWith(...services: ReturnType<typeof service>[]) {
  const t = new TenantForwardingTable("t1");
  for (const s of services) t.upsertService(s);
  return t;
}

describe("TenantForwardingTable: decisions", () => {
  it("forwards a ClusterIP packet to one of the ready backends", () => {
    const t = tableWith(web);
    t.setEndpoints(web, three);
    const r = t.lookup(ip("10.96.0.10"), 80, "TCP", ip("10.0.0.99"), 40000);
    expect(r).toMatchObject({ outcome: "forwarded", port: 8080, service: { namespace: "shop", name: "web" } });
    expect(["10.0.0.2", "10.0.0.3", "10.0.0.4"]).toContain(formatIpv4((r as { ip: number }).ip));
  });

  it("says why a packet does not forward", () => {
    const t = tableWith(web);
    expect(t.lookup(ip("10.96.0.11"), 80, "TCP").outcome).toBe("no-such-service");
    expect(t.lookup(ip("10.96.0.10"), 81, "TCP").outcome).toBe("port-not-exposed");
    expect(t.lookup(ip("10.96.0.10"), 80, "UDP").outcome).toBe("port-not-exposed");
    expect(t.lookup(ip("10.96.0.10"), 80, "TCP").outcome).toBe("no-ready-endpoints");
    t.setEndpoints(web, [ep("10.0.0.2", 8080, { ready: false, serving: false })]);
    expect(t.lookup(ip("10.96.0.10"), 80, "TCP").outcome).toBe("no-ready-endpoints");
  });

  it("keeps a flow on one backend and spreads flows over all of them", () => {
    const t = tableWith(web);
    t.setEndpoints(web, three);
    const slot: BackendSlot = { ip: 0, port: 0 };
    const seen = new Set<number>();
    for (let p = 1000; p < 1300; p++) {
      t.route(ip("10.96.0.10"), 80, PROTOCOL_CODE.TCP, ip("10.0.0.99"), p, slot);
      const first = slot.ip;
      t.route(ip("10.96.0.10"), 80, PROTOCOL_CODE.TCP, ip("10.0.0.99"), p, slot);
      expect(slot.ip).toBe(first);
      seen.add(first);
    }
    expect(seen.size).toBe(3);
  });

  it("ClientIP affinity sends every connection of one client to one backend", () => {
    const sticky = service("web", {
      clusterIP: "10.96.0.10",
      ports: [{ port: 80, targetPort: 8080 }],
      sessionAffinity: "ClientIP",
    });
    const t = tableWith(sticky);
    t.setEndpoints(sticky, three);
    for (let c = 1; c < 40; c++) {
      const src = ip(`10.0.1.${c}`);
      const backends = new Set(
        Array.from(
          { length: 20 },
          (_, p) => (t.lookup(ip("10.96.0.10"), 80, "TCP", src, 30000 + p) as { ip: number }).ip,
        ),
      );
      expect(backends.size).toBe(1);
    }
  });

  it("forwards a LoadBalancer's bound public IP to the same backends", () => {
    const lb = service(
      "web",
      { type: "LoadBalancer", clusterIP: "10.96.0.10", ports: [{ port: 80, targetPort: 8080 }] },
      { publicIp: "203.0.113.5" },
    );
    const t = tableWith(lb);
    t.setEndpoints(lb, three);
    const viaPublic = t.lookup(ip("203.0.113.5"), 80, "TCP", ip("198.51.100.1"), 5000);
    const viaCluster = t.lookup(ip("10.96.0.10"), 80, "TCP", ip("198.51.100.1"), 5000);
    expect(viaPublic.outcome).toBe("forwarded");
    expect(viaCluster.outcome).toBe("forwarded");
    t.upsertService(web);
    expect(t.lookup(ip("203.0.113.5"), 80, "TCP").outcome).toBe("no-such-service");
  });

  it("uses serving terminating endpoints while no endpoint is ready (a drain)", () => {
    const t = tableWith(web);
    t.setEndpoints(web, [ep("10.0.0.2", 8080, { ready: false, serving: true, terminating: true })]);
    expect(t.lookup(ip("10.96.0.10"), 80, "TCP")).toMatchObject({ outcome: "forwarded", ip: ip("10.0.0.2") });
  });

  it("routes to each pod's own port for a named targetPort", () => {
    const named = service("web", {
      clusterIP: "10.96.0.10",
      ports: [{ name: "http", port: 80, targetPort: "http" }],
      selector: { app: "web" },
    });
    const slices = deriveEndpointSlices(named, [
      pod("a", "10.0.0.2"),
      pod("b", "10.0.0.3", { containerPorts: [{ name: "http", containerPort: 9090, protocol: "TCP" }] }),
    ]);
    const t = tableWith(named);
    t.setEndpoints(named, endpointsFromSlices(slices));
    expect(t.entries()[0]?.backends).toEqual(["10.0.0.2:8080", "10.0.0.3:9090"]);
  });
});

describe("TenantForwardingTable: incremental updates", () => {
  it("takes endpoints that arrive before their service", () => {
    const t = new TenantForwardingTable("t1");
    t.setEndpoints(web, three);
    t.upsertService(web);
    expect(t.lookup(ip("10.96.0.10"), 80, "TCP").outcome).toBe("forwarded");
  });

  it("changes only the touched service's entries", () => {
    const api = service("api", { clusterIP: "10.96.0.20", ports: [{ port: 443, targetPort: 8443 }] });
    const t = tableWith(web, api);
    t.setEndpoints(api, [ep("10.0.0.7", 8443)]);
    const apiBefore = t.entries().filter((e) => e.service === "shop/api");
    t.setEndpoints(web, three);
    t.upsertService({ ...web, spec: { ...web.spec, ports: [{ protocol: "TCP", port: 8000, targetPort: 8080 }] } });
    expect(t.entries().filter((e) => e.service === "shop/api")).toEqual(apiBefore);
    expect(t.lookup(ip("10.96.0.10"), 80, "TCP").outcome).toBe("port-not-exposed");
    expect(t.lookup(ip("10.96.0.10"), 8000, "TCP").outcome).toBe("forwarded");
  });

  it("removes a service's entries and name, and keeps its endpoints for its return", () => {
    const t = tableWith(web);
    t.setEndpoints(web, three);
    expect(t.removeService(web)).toBe(true);
    expect(t.removeService(web)).toBe(false);
    expect(t.lookup(ip("10.96.0.10"), 80, "TCP").outcome).toBe("no-such-service");
    expect(t.resolveName("web", "shop").rcode).toBe("NXDOMAIN");
    t.upsertService(web);
    expect(t.lookup(ip("10.96.0.10"), 80, "TCP").outcome).toBe("forwarded");
  });

  it("refuses, changing nothing, a ClusterIP another service of the tenant holds", () => {
    const t = tableWith(web);
    const clash = service("other", { clusterIP: "10.96.0.10", ports: [{ port: 81 }] });
    expect(() => t.upsertService(clash)).toThrow(
      "address 10.96.0.10 is already used by service shop/web in this tenant",
    );
    expect(t.serviceCount).toBe(1);
    expect(t.lookup(ip("10.96.0.10"), 81, "TCP").outcome).toBe("port-not-exposed");
  });

  it("refuses a service without a ClusterIP", () => {
    const t = new TenantForwardingTable("t1");
    expect(() => t.upsertService(service("web", { ports: [{ port: 80 }] }))).toThrow(/has no ClusterIP yet/);
  });

  it("names each service in the tenant's DNS zone", () => {
    const t = tableWith(web);
    expect(t.resolveName("web.shop.svc.cluster.local", "default")).toEqual({
      rcode: "NOERROR",
      name: "web.shop.svc.cluster.local",
      ip: ip("10.96.0.10"),
    });
  });
});

describe("TenantForwardingTable: endpoints follow readiness through a rollout", () => {
  const svc = service("web", {
    clusterIP: "10.96.0.10",
    ports: [{ name: "http", port: 80, targetPort: "http" }],
    selector: { app: "web" },
  });
  const backendsAfter = (pods: ReturnType<typeof pod>[]) => {
    const t = tableWith(svc);
    t.setEndpoints(svc, endpointsFromSlices(deriveEndpointSlices(svc, pods)));
    return t.entries()[0]?.backends;
  };

  it("moves traffic from old pods to new ones only as they become ready", () => {
    const old = [pod("old-1", "10.0.0.2"), pod("old-2", "10.0.0.3")];
    const fresh = (ready: boolean) => [pod("new-1", "10.0.0.8", { ready }), pod("new-2", "10.0.0.9", { ready })];
    expect(backendsAfter([...old, ...fresh(false)])).toEqual(["10.0.0.2:8080", "10.0.0.3:8080"]);
    const draining = old.map((p) => ({ ...p, terminating: true }));
    expect(backendsAfter([...draining, ...fresh(true)])).toEqual(["10.0.0.8:8080", "10.0.0.9:8080"]);
    // Nothing ready yet: the old pods still serving keep the service answering while they drain.
    expect(backendsAfter([...draining, ...fresh(false)])).toEqual(["10.0.0.2:8080", "10.0.0.3:8080"]);
    const gone = draining.map((p) => ({ ...p, ready: false }));
    expect(backendsAfter([...gone, ...fresh(false)])).toEqual([]);
  });
});
