import { describe, expect, it } from "vitest";
import { parseCidr, parseIpv4 } from "../ipv4";
import { canonicalMac, checkSourceAddresses, SOURCE_OK, SPOOFED_SOURCE_IP, SPOOFED_SOURCE_MAC } from "./anti-spoofing";
import type { PortIdentity } from "./types";

const port: PortIdentity = {
  tenantId: "acme",
  namespace: "prod",
  podName: "web-1",
  labels: {},
  ip: parseIpv4("10.0.0.5"),
  mac: "0a:58:0a:00:00:05",
  groups: [],
};

describe("anti-spoofing", () => {
  it("passes the port's own MAC and IP", () => {
    expect(checkSourceAddresses(port, port.mac, port.ip)).toBe(SOURCE_OK);
  });

  it("drops a foreign MAC (L2), also when the IP is foreign too", () => {
    expect(checkSourceAddresses(port, "0a:58:0a:00:00:06", port.ip)).toBe(SPOOFED_SOURCE_MAC);
    expect(checkSourceAddresses(port, "0a:58:0a:00:00:06", parseIpv4("10.0.0.6"))).toBe(SPOOFED_SOURCE_MAC);
  });

  it("drops a foreign IP from the right MAC (L3)", () => {
    expect(checkSourceAddresses(port, port.mac, parseIpv4("10.0.0.6"))).toBe(SPOOFED_SOURCE_IP);
  });

  it("lets allowed address pairs through, with the port's MAC or the pair's own", () => {
    const vip: PortIdentity = {
      ...port,
      allowedAddressPairs: [
        { cidr: parseCidr("10.0.9.0/24") },
        { cidr: parseCidr("10.0.8.8/32"), mac: "0a:58:00:00:00:99" },
      ],
    };
    expect(checkSourceAddresses(vip, vip.mac, parseIpv4("10.0.9.77"))).toBe(SOURCE_OK);
    expect(checkSourceAddresses(vip, "0a:58:00:00:00:99", parseIpv4("10.0.8.8"))).toBe(SOURCE_OK);
    expect(checkSourceAddresses(vip, "0a:58:00:00:00:99", parseIpv4("10.0.9.77"))).toBe(SPOOFED_SOURCE_IP);
    expect(checkSourceAddresses(vip, vip.mac, parseIpv4("10.0.8.8"))).toBe(SPOOFED_SOURCE_IP);
  });

  it("canonicalises MACs and refuses what is not one", () => {
    expect(canonicalMac("0A-58-0A-00-00-07")).toBe("0a:58:0a:00:00:07");
    expect(() => canonicalMac("0a:58:0a:00:00")).toThrow(/not a MAC address/);
    expect(() => canonicalMac("0a:58-0a:00:00:07")).toThrow(/not a MAC address/);
  });
});
