import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../ipv4";
import { isPublicAddress } from "./address-class";
import { DropCounters } from "./drop-counters";

describe("drop counters", () => {
  it("counts packets and bytes by reason per subject, and totals over subjects", () => {
    const c = new DropCounters();
    c.record("acme/prod/web-1", "spoofed-source-mac", 10, 640);
    c.record("acme/prod/web-1", "spoofed-source-mac", 5, 320);
    c.record("acme/prod/web-1", "spoofed-source-ip", 2);
    c.record("acme/prod/db-1", "spoofed-source-ip", 3);
    const web = c.countsOf("acme/prod/web-1");
    expect(web["spoofed-source-mac"]).toEqual({ packets: 15, bytes: 960 });
    expect(web["spoofed-source-ip"]).toEqual({ packets: 2, bytes: 0 });
    expect(web.blackholed).toEqual({ packets: 0, bytes: 0 });
    expect(c.totalPackets("spoofed-source-ip")).toBe(5);
    c.delete("acme/prod/db-1");
    expect([...c.subjects()]).toEqual(["acme/prod/web-1"]);
    expect(c.countsOf("nobody")["no-route"]).toEqual({ packets: 0, bytes: 0 });
  });
});

describe("address classes", () => {
  it("treats private, shared, loopback, link-local, multicast and reserved addresses as not public", () => {
    for (const a of [
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.0.1",
      "100.64.0.1",
      "127.0.0.1",
      "169.254.1.1",
      "0.1.2.3",
      "224.0.0.1",
      "255.255.255.255",
    ])
      expect(isPublicAddress(parseIpv4(a)), a).toBe(false);
    for (const a of ["203.0.113.10", "198.51.100.1", "8.8.8.8", "172.32.0.1", "100.128.0.1"])
      expect(isPublicAddress(parseIpv4(a)), a).toBe(true);
  });
});
