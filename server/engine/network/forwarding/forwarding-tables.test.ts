import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../ipv4";
import type { ServiceEndpoint } from "./backends";
import { service } from "./fixtures.test-kit";
import { ForwardingTables } from "./forwarding-tables";
import { PROTOCOL_CODE } from "./service";
import type { BackendSlot } from "./tenant-table";

const ip = parseIpv4;
const ep = (addr: string): ServiceEndpoint => ({
  ip: ip(addr),
  ready: true,
  serving: true,
  terminating: false,
  ports: [{ name: "", protocol: "TCP", port: 8080 }],
});

describe("ForwardingTables: isolation", () => {
  const tables = new ForwardingTables();
  const a = service(
    "web",
    { clusterIP: "10.96.0.10", ports: [{ port: 80, targetPort: 8080 }] },
    { namespace: "alpha" },
  );
  const b = service("web", { clusterIP: "10.96.0.10", ports: [{ port: 80, targetPort: 8080 }] }, { namespace: "beta" });
  const only = service("db", { clusterIP: "10.96.0.30", ports: [{ port: 5432 }] }, { namespace: "beta" });
  tables.forTenant("A").upsertService(a);
  tables.forTenant("A").setEndpoints(a, [ep("10.0.0.2")]);
  tables.forTenant("B").upsertService(b);
  tables.forTenant("B").setEndpoints(b, [ep("10.0.0.2"), ep("10.0.0.3")]);
  tables.forTenant("B").upsertService(only);

  it("resolves the same ClusterIP to each tenant's own backends", () => {
    expect(tables.forTenant("A").entries()[0]?.backends).toEqual(["10.0.0.2:8080"]);
    expect(
      tables
        .forTenant("B")
        .entries()
        .find((e) => e.service === "beta/web")?.backends,
    ).toEqual(["10.0.0.2:8080", "10.0.0.3:8080"]);
    for (let p = 0; p < 50; p++)
      expect(tables.forTenant("A").lookup(ip("10.96.0.10"), 80, "TCP", ip("10.0.9.9"), p)).toMatchObject({
        outcome: "forwarded",
        ip: ip("10.0.0.2"),
        service: { namespace: "alpha" },
      });
  });

  it("gives a tenant no route and no name for another tenant's service", () => {
    expect(tables.forTenant("A").lookup(ip("10.96.0.30"), 5432, "TCP").outcome).toBe("no-such-service");
    expect(tables.forTenant("A").resolveName("db.beta.svc.cluster.local", "alpha").rcode).toBe("NXDOMAIN");
    expect(tables.forTenant("A").resolveName("web.beta", "alpha").rcode).toBe("NXDOMAIN");
    expect(tables.forTenant("B").resolveName("db.beta", "alpha").rcode).toBe("NOERROR");
    expect(tables.forTenant("C").lookup(ip("10.96.0.10"), 80, "TCP").outcome).toBe("no-such-service");
  });
});

describe("ForwardingTables: public IPs", () => {
  const lb = (ns: string, publicIp: string) =>
    service(
      "web",
      { type: "LoadBalancer", clusterIP: "10.96.0.10", ports: [{ port: 80, targetPort: 8080 }] },
      { namespace: ns, publicIp },
    );

  it("routes outside traffic to the tenant whose LoadBalancer holds the public IP", () => {
    const tables = new ForwardingTables();
    tables.forTenant("A").upsertService(lb("alpha", "203.0.113.5"));
    tables.forTenant("A").setEndpoints(lb("alpha", "203.0.113.5"), [ep("10.0.0.2")]);
    const slot: BackendSlot = { ip: 0, port: 0 };
    expect(tables.routePublic(ip("203.0.113.5"), 80, PROTOCOL_CODE.TCP, ip("198.51.100.7"), 999, slot)).toBe(
      "forwarded",
    );
    expect(slot).toEqual({ ip: ip("10.0.0.2"), port: 8080 });
    expect(tables.tenantOfPublicIp(ip("203.0.113.5"))).toBe("A");
    expect(tables.routePublic(ip("203.0.113.6"), 80, PROTOCOL_CODE.TCP, 1, 1, slot)).toBe("no-such-service");
    // A ClusterIP is not reachable from outside.
    expect(tables.routePublic(ip("10.96.0.10"), 80, PROTOCOL_CODE.TCP, 1, 1, slot)).toBe("no-such-service");
  });

  it("refuses a public IP another tenant's service holds, until it is unbound there", () => {
    const tables = new ForwardingTables();
    tables.forTenant("A").upsertService(lb("alpha", "203.0.113.5"));
    expect(() => tables.forTenant("B").upsertService(lb("beta", "203.0.113.5"))).toThrow(
      "public IP 203.0.113.5 is bound to another tenant's service; unbind it there first",
    );
    expect(tables.forTenant("B").serviceCount).toBe(0);
    tables.forTenant("A").upsertService(lb("alpha", "203.0.113.9"));
    expect(tables.tenantOfPublicIp(ip("203.0.113.5"))).toBeUndefined();
    tables.forTenant("B").upsertService(lb("beta", "203.0.113.5"));
    expect(tables.tenantOfPublicIp(ip("203.0.113.5"))).toBe("B");
    tables.forTenant("B").removeService({ namespace: "beta", name: "web" });
    expect(tables.tenantOfPublicIp(ip("203.0.113.5"))).toBeUndefined();
  });

  it("forgets a dropped tenant and its public IPs", () => {
    const tables = new ForwardingTables();
    tables.forTenant("A").upsertService(lb("alpha", "203.0.113.5"));
    tables.dropTenant("A");
    expect(tables.has("A")).toBe(false);
    expect(tables.tenantOfPublicIp(ip("203.0.113.5"))).toBeUndefined();
    expect(tables.tenantCount).toBe(0);
  });
});
