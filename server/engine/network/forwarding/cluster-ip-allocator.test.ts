import { describe, expect, it } from "vitest";
import { formatIpv4, parseIpv4 } from "../ipv4";
import { assignClusterIp, ClusterIpAllocator } from "./cluster-ip-allocator";
import { defaultServiceSpec } from "./service";

describe("ClusterIpAllocator", () => {
  it("hands out every usable address once, never network or broadcast, then says the range is full", () => {
    const a = new ClusterIpAllocator("10.96.0.0/28");
    expect(a.capacity).toBe(14);
    const got = Array.from({ length: 14 }, () => formatIpv4(a.allocateNext()));
    expect(new Set(got).size).toBe(14);
    expect(got).not.toContain("10.96.0.0");
    expect(got).not.toContain("10.96.0.15");
    expect(a.free).toBe(0);
    expect(() => a.allocateNext()).toThrow(
      /failed to allocate a serviceIP: range is full \(10.96.0.0\/28 has 14 addresses\)/,
    );
  });

  it("reuses a released address last (next-fit)", () => {
    const a = new ClusterIpAllocator("10.96.0.0/29");
    const first = a.allocateNext();
    a.allocateNext();
    expect(a.release(first)).toBe(true);
    expect(a.release(first)).toBe(false);
    const order = Array.from({ length: 5 }, () => a.allocateNext());
    expect(order.at(-1)).toBe(first);
  });

  it("marks requested addresses with Kubernetes' refusals", () => {
    const a = new ClusterIpAllocator();
    a.allocate(parseIpv4("10.96.0.10"));
    expect(a.has(parseIpv4("10.96.0.10"))).toBe(true);
    expect(() => a.allocate(parseIpv4("10.96.0.10"))).toThrow(
      'spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    expect(() => a.allocate(parseIpv4("10.0.0.1"))).toThrow(
      'spec.clusterIPs: Invalid value: ["10.0.0.1"]: failed to allocate IP 10.0.0.1: provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    );
    expect(() => a.allocate(parseIpv4("10.96.0.0"))).toThrow(/not in the valid range/);
  });

  it("refuses a range too large or too small to be a service range", () => {
    expect(() => new ClusterIpAllocator("10.0.0.0/8")).toThrow(/prefix between \/12 and \/30/);
    expect(() => new ClusterIpAllocator("10.0.0.0/31")).toThrow(/prefix between \/12 and \/30/);
  });

  it("assignClusterIp keeps a requested address and allocates a missing one", () => {
    const a = new ClusterIpAllocator();
    const asked = assignClusterIp(defaultServiceSpec({ clusterIP: "10.96.1.1", ports: [{ port: 80 }] }), a);
    expect(asked.clusterIP).toBe("10.96.1.1");
    const given = assignClusterIp(defaultServiceSpec({ ports: [{ port: 80 }] }), a);
    expect(given.clusterIP).toBe("10.96.0.1");
    expect(a.used).toBe(2);
  });
});
