import { describe, expect, it } from "vitest";
import { AddressError, parseIpv4 } from "../ipv4";
import { derivedMac, formatMac, isDerivedMac, parseMac, staticMacProblem } from "./mac";

describe("MAC addresses", () => {
  it("derives 0a:58:<address bytes>: locally administered, unicast, one per address", () => {
    const mac = derivedMac(parseIpv4("10.0.3.7"));
    expect(formatMac(mac)).toBe("0a:58:0a:00:03:07");
    expect(formatMac(derivedMac(parseIpv4("203.0.113.255")))).toBe("0a:58:cb:00:71:ff");
    const firstOctet = Math.floor(mac / 2 ** 40);
    expect(firstOctet & 0b10).toBe(0b10);
    expect(firstOctet & 0b01).toBe(0);
    expect(isDerivedMac(mac)).toBe(true);
    expect(derivedMac(parseIpv4("10.0.3.8"))).not.toBe(mac);
  });

  it("parses six colon-separated octets in either case and round-trips", () => {
    expect(formatMac(parseMac("02:AB:cd:00:00:01"))).toBe("02:ab:cd:00:00:01");
    expect(parseMac("ff:ff:ff:ff:ff:ff")).toBe(2 ** 48 - 1);
    for (const bad of [
      "",
      "02:ab:cd:00:00",
      "02:ab:cd:00:00:01:02",
      "02-ab-cd-00-00-01",
      "02:ab:cd:00:00:0g",
      "2:ab:cd:0:0:1",
    ])
      expect(() => parseMac(bad)).toThrow(AddressError);
  });

  it("accepts unicast static MACs (vendor or local) and refuses multicast, broadcast, zero and the derived prefix", () => {
    expect(staticMacProblem(parseMac("00:16:3e:12:34:56"))).toBeUndefined();
    expect(staticMacProblem(parseMac("02:00:00:00:00:01"))).toBeUndefined();
    expect(staticMacProblem(parseMac("01:00:5e:00:00:01"))).toMatch(/multicast MAC \(the first octet is odd\)/);
    expect(staticMacProblem(parseMac("ff:ff:ff:ff:ff:ff"))).toBe(
      "ff:ff:ff:ff:ff:ff is the broadcast address; use a unicast MAC",
    );
    expect(staticMacProblem(0)).toMatch(/not a usable MAC/);
    expect(staticMacProblem(parseMac("0a:58:0a:00:00:09"))).toMatch(/10.0.0.9 would get it/);
    // A pod asking for its own address may name that address's derived MAC.
    expect(staticMacProblem(parseMac("0a:58:0a:00:00:09"), parseIpv4("10.0.0.9"))).toBeUndefined();
  });
});
