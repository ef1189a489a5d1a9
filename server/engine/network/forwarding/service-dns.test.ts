import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../ipv4";
import { ServiceDnsZone } from "./service-dns";

const zone = () => {
  const z = new ServiceDnsZone();
  z.set("shop", "web", parseIpv4("10.96.0.10"));
  z.set("ops", "web", parseIpv4("10.96.0.20"));
  return z;
};
const ipOf = (a: ReturnType<ServiceDnsZone["resolve"]>) => (a.rcode === "NOERROR" ? a.ip : a.rcode);

describe("ServiceDnsZone", () => {
  it("resolves the short, namespaced, svc and full names through the pod's search path", () => {
    const z = zone();
    expect(ipOf(z.resolve("web", "shop"))).toBe(parseIpv4("10.96.0.10"));
    expect(ipOf(z.resolve("web", "ops"))).toBe(parseIpv4("10.96.0.20"));
    expect(ipOf(z.resolve("web.ops", "shop"))).toBe(parseIpv4("10.96.0.20"));
    expect(ipOf(z.resolve("web.ops.svc", "shop"))).toBe(parseIpv4("10.96.0.20"));
    expect(ipOf(z.resolve("WEB.Shop.svc.cluster.local", "ops"))).toBe(parseIpv4("10.96.0.10"));
    expect(ipOf(z.resolve("web.shop.svc.cluster.local.", "ops"))).toBe(parseIpv4("10.96.0.10"));
    expect(z.resolve("web.shop.svc.cluster.local", "ops")).toMatchObject({ name: "web.shop.svc.cluster.local" });
  });

  it("answers NXDOMAIN for names it does not hold", () => {
    const z = zone();
    expect(z.resolve("db", "shop")).toEqual({ rcode: "NXDOMAIN", name: "db" });
    expect(z.resolve("web.", "shop").rcode).toBe("NXDOMAIN");
    expect(z.resolve("web.missing", "shop").rcode).toBe("NXDOMAIN");
    expect(z.resolve("pod.web.shop.svc.cluster.local", "shop").rcode).toBe("NXDOMAIN");
    expect(z.resolve("web.shop.svc.other.domain", "shop").rcode).toBe("NXDOMAIN");
  });

  it("writes the search path kubelet writes and forgets deleted names", () => {
    const z = zone();
    expect(z.searchPath("shop")).toEqual(["shop.svc.cluster.local", "svc.cluster.local", "cluster.local"]);
    z.delete("shop", "web");
    expect(z.resolve("web", "shop").rcode).toBe("NXDOMAIN");
    expect(z.entries()).toEqual([{ name: "web.ops.svc.cluster.local", ip: "10.96.0.20" }]);
  });

  it("follows a custom cluster domain", () => {
    const z = new ServiceDnsZone("tenant.internal");
    z.set("shop", "web", 7);
    expect(ipOf(z.resolve("web.shop.svc.tenant.internal", "x"))).toBe(7);
    expect(z.resolve("web.shop.svc.cluster.local", "x").rcode).toBe("NXDOMAIN");
  });
});
