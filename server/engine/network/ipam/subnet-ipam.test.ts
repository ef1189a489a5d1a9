import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../ipv4";
import { derivedMac, formatMac, parseMac } from "./mac";
import { SubnetIpam } from "./subnet-ipam";
import { planOf } from "./test-plans.test-kit";

const plan = planOf({ cidrBlock: "10.0.0.0/24" });

describe("SubnetIpam", () => {
  it("gives a pod the next address with its derived MAC, the same on a repeat", () => {
    const ipam = SubnetIpam.create(plan);
    const first = ipam.assign("pod-a", 0);
    expect(first).toEqual({
      ok: true,
      ip: parseIpv4("10.0.0.2"),
      mac: derivedMac(parseIpv4("10.0.0.2")),
      created: true,
    });
    expect(ipam.assign("pod-a", 1)).toMatchObject({ ok: true, ip: parseIpv4("10.0.0.2"), created: false });
  });

  it("honours a static IP and a static MAC from the annotations", () => {
    const ipam = SubnetIpam.create(plan);
    const r = ipam.assign("db-0", 0, { ip: "10.0.0.50", mac: "00:16:3e:00:00:01" });
    expect(r.ok && [r.ip, formatMac(r.mac)]).toEqual([parseIpv4("10.0.0.50"), "00:16:3e:00:00:01"]);
    expect(ipam.addressOf("db-0")).toEqual({ ip: parseIpv4("10.0.0.50"), mac: parseMac("00:16:3e:00:00:01") });
    expect(ipam.assign("db-0", 0, { ip: "10.0.0.50", mac: "00:16:3e:00:00:01" })).toMatchObject({ created: false });
    // Its own derived MAC is what it would get anyway.
    expect(ipam.assign("web", 0, { ip: "10.0.0.60", mac: "0a:58:0a:00:00:3c" })).toMatchObject({ ok: true });
  });

  it("keeps static MACs unique in the subnet and free again once their pod is gone", () => {
    const ipam = SubnetIpam.create(plan);
    ipam.assign("a", 0, { mac: "02:00:00:00:00:01" });
    expect(ipam.assign("b", 0, { mac: "02:00:00:00:00:01" })).toEqual({
      ok: false,
      code: "InUse",
      message: "the MAC 02:00:00:00:00:01 is in use by a in this subnet",
      holder: "a",
    });
    // The refusal allocated nothing for b.
    expect(ipam.addressOf("b")).toBeUndefined();
    ipam.release("a", 0);
    expect(ipam.assign("b", 0, { mac: "02:00:00:00:00:01" })).toMatchObject({ ok: true });
  });

  it("refuses unreadable or unusable requests before allocating anything", () => {
    const ipam = SubnetIpam.create(plan);
    expect(ipam.assign("p", 0, { ip: "10.0.0.300" })).toMatchObject({
      code: "Invalid",
      message: 'cloud.tenant.io/ip-address: "10.0.0.300" is not an IPv4 address',
    });
    expect(ipam.assign("p", 0, { mac: "01:00:5e:00:00:01" })).toMatchObject({ code: "Invalid" });
    expect(ipam.assign("p", 0, { mac: "0a:58:0a:00:00:02" })).toMatchObject({ code: "Invalid" });
    expect(ipam.assign("p", 0, { ip: "10.0.0.1" })).toMatchObject({ code: "Gateway" });
    expect(ipam.usage(0).used).toBe(0);
    ipam.assign("p", 0);
    expect(ipam.assign("p", 0, { mac: "02:00:00:00:00:09" })).toMatchObject({ code: "OwnerHasAddress" });
  });

  it("restores IPs and static MACs, reporting clashes and falling back to the derived MAC", () => {
    const { ipam, problems } = SubnetIpam.restore(
      plan,
      [
        { owner: "a", ip: "10.0.0.5", mac: "02:00:00:00:00:01" },
        { owner: "b", ip: "10.0.0.6", mac: "02:00:00:00:00:01" },
        { owner: "c", ip: "10.0.0.7", mac: "0a:58:0a:00:00:07" },
        { owner: "d", ip: "10.0.0.8", mac: "zz" },
        { owner: "e", ip: "10.0.0.9" },
      ],
      { now: 0 },
    );
    expect(problems.map((p) => [p.code, p.owner])).toEqual([
      ["DuplicateMac", "b"],
      ["InvalidMac", "d"],
    ]);
    expect(ipam.addressOf("a")?.mac).toBe(parseMac("02:00:00:00:00:01"));
    expect(ipam.addressOf("b")?.mac).toBe(derivedMac(parseIpv4("10.0.0.6")));
    expect(ipam.addressOf("c")?.mac).toBe(derivedMac(parseIpv4("10.0.0.7")));
    expect(ipam.assign("f", 0, { mac: "02:00:00:00:00:01" })).toMatchObject({ code: "InUse" });
  });
});
