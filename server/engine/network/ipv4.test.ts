import { describe, expect, it } from "vitest";
import {
  AddressError,
  cidrContains,
  cidrsOverlap,
  cidrWithin,
  formatCidr,
  formatIpv4,
  lastAddress,
  parseCidr,
  parseIpv4,
} from "./ipv4";

describe("IPv4 addresses and CIDR blocks", () => {
  it("round-trips addresses as unsigned integers", () => {
    for (const text of ["0.0.0.0", "10.0.0.7", "203.0.113.255", "255.255.255.255"])
      expect(formatIpv4(parseIpv4(text))).toBe(text);
    expect(parseIpv4("255.255.255.255")).toBe(0xffffffff);
  });

  it("refuses what is not a dotted-quad IPv4 address", () => {
    for (const text of ["", "10.0.0", "10.0.0.256", "::1", "0x0a.0.0.1", "10.0.0.1 "])
      expect(() => parseIpv4(text)).toThrow(AddressError);
  });

  it("parses blocks, refusing host bits and bad prefixes with a hint", () => {
    const c = parseCidr("10.0.0.0/16");
    expect(c).toEqual({ base: parseIpv4("10.0.0.0"), prefix: 16, size: 65_536 });
    expect(formatCidr(c)).toBe("10.0.0.0/16");
    expect(formatIpv4(lastAddress(c))).toBe("10.0.255.255");
    expect(() => parseCidr("10.0.0.1/16")).toThrow(/did you mean 10.0.0.0\/16/);
    for (const text of ["10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/1a"])
      expect(() => parseCidr(text)).toThrow(AddressError);
    expect(parseCidr("0.0.0.0/0").size).toBe(2 ** 32);
  });

  it("answers containment and overlap", () => {
    const vpc = parseCidr("10.0.0.0/16");
    const subnet = parseCidr("10.0.4.0/24");
    expect(cidrContains(vpc, parseIpv4("10.0.255.1"))).toBe(true);
    expect(cidrContains(vpc, parseIpv4("10.1.0.1"))).toBe(false);
    expect(cidrWithin(subnet, vpc)).toBe(true);
    expect(cidrWithin(vpc, subnet)).toBe(false);
    expect(cidrsOverlap(vpc, subnet)).toBe(true);
    expect(cidrsOverlap(subnet, parseCidr("10.0.5.0/24"))).toBe(false);
    expect(cidrContains(parseCidr("0.0.0.0/0"), parseIpv4("203.0.113.9"))).toBe(true);
  });
});
