import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../ipv4";
import type { ServiceEndpoint } from "./backends";
import { service } from "./fixtures.test-kit";
import { GlobalIptablesProxy } from "./iptables-baseline";
import { PROTOCOL_CODE } from "./service";
import type { BackendSlot } from "./tenant-table";

const ip = parseIpv4;
const eps = (n: number): ServiceEndpoint[] =>
  Array.from({ length: n }, (_, i) => ({
    ip: ip(`10.0.0.${i + 2}`),
    ready: true,
    serving: true,
    terminating: false,
    ports: [{ name: "", protocol: "TCP" as const, port: 8080 }],
  }));
const web = service("web", { clusterIP: "10.96.0.10", ports: [{ port: 80, targetPort: 8080 }] });
const slot: BackendSlot = { ip: 0, port: 0 };

describe("GlobalIptablesProxy", () => {
  it("writes kube-proxy's rules: a service rule, per endpoint a probability rule and a two-rule SEP chain", () => {
    const p = new GlobalIptablesProxy();
    p.upsertService("A", web);
    p.setEndpoints("A", web, eps(3));
    // KUBE-SERVICES 1 + KUBE-SVC declaration 1 + per endpoint (probability rule, SEP declaration, 2 SEP rules) 4.
    expect(p.sync().rules).toBe(1 + 1 + 3 * 4);
    const sticky = service("web", {
      clusterIP: "10.96.0.10",
      ports: [{ port: 80, targetPort: 8080 }],
      sessionAffinity: "ClientIP",
    });
    p.upsertService("A", sticky);
    expect(p.sync().rules).toBe(1 + 1 + 3 * 5);
  });

  it("writes a REJECT rule for a service port without endpoints", () => {
    const p = new GlobalIptablesProxy();
    p.upsertService("A", web);
    expect(p.sync().rules).toBe(1);
    expect(p.route(p.markOf("A"), ip("10.96.0.10"), 80, PROTOCOL_CODE.TCP, 1, 1, slot)).toBe("no-ready-endpoints");
    expect(p.route(p.markOf("A"), ip("10.96.0.10"), 81, PROTOCOL_CODE.TCP, 1, 1, slot)).toBe("port-not-exposed");
  });

  it("decides from the last sync only: a change waits for the rebuild", () => {
    const p = new GlobalIptablesProxy();
    p.upsertService("A", web);
    p.setEndpoints("A", web, eps(2));
    expect(p.route(p.markOf("A"), ip("10.96.0.10"), 80, PROTOCOL_CODE.TCP, 1, 1, slot)).toBe("no-such-service");
    p.sync();
    expect(p.route(p.markOf("A"), ip("10.96.0.10"), 80, PROTOCOL_CODE.TCP, 1, 1, slot)).toBe("forwarded");
  });

  it("tells tenants apart by mark, and rewrites the whole payload, growing with the cluster", () => {
    const p = new GlobalIptablesProxy();
    p.upsertService("A", web);
    p.setEndpoints("A", web, eps(1));
    p.upsertService("B", web);
    p.setEndpoints("B", web, eps(2));
    const two = p.sync();
    for (let port = 0; port < 20; port++) {
      expect(p.route(p.markOf("A"), ip("10.96.0.10"), 80, PROTOCOL_CODE.TCP, ip("10.0.9.1"), port, slot)).toBe(
        "forwarded",
      );
      expect(slot.ip).toBe(ip("10.0.0.2"));
    }
    expect(p.route(p.markOf("C"), ip("10.96.0.10"), 80, PROTOCOL_CODE.TCP, 1, 1, slot)).toBe("no-such-service");
    for (let i = 0; i < 50; i++) {
      const s = service(`s${i}`, { clusterIP: `10.96.1.${i + 1}`, ports: [{ port: 80 }] });
      p.upsertService("C", s);
      p.setEndpoints("C", s, eps(2));
    }
    const many = p.sync();
    expect(many.rules).toBeGreaterThan(20 * two.rules);
    expect(many.bytes).toBeGreaterThan(20 * two.bytes);
  });
});
