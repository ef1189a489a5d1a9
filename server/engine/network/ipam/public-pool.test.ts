import { describe, expect, it } from "vitest";
import { formatIpv4, parseIpv4 } from "../ipv4";
import type { AllocationResult } from "./allocation";
import { DEFAULT_PUBLIC_HOLD_MS, PublicIpPool } from "./public-pool";
import { readPublicRange } from "./public-range";

const ip = parseIpv4;
const text = (r: AllocationResult) => (r.ok ? formatIpv4(r.ip) : `${r.code}: ${r.message}`);

function pool(ranges: string[], holdMs?: number): PublicIpPool {
  const p = new PublicIpPool(holdMs === undefined ? {} : { holdMs });
  for (const r of ranges) expect(p.addRange(r, 0)).toMatchObject({ ok: true });
  return p;
}

describe("public ranges", () => {
  it("accepts routable and documentation ranges, refuses private and special ones with the reason", () => {
    for (const r of ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "198.51.100.8/30", "45.0.0.0/12"])
      expect(readPublicRange(r).ok).toBe(true);
    expect(readPublicRange("10.1.0.0/24")).toMatchObject({
      message:
        "10.1.0.0/24 overlaps 10.0.0.0/8, which is private (RFC 1918) and cannot be public; use routable addresses (in examples, 203.0.113.0/24 or 198.51.100.0/24)",
    });
    for (const r of ["100.64.0.0/24", "127.0.0.0/24", "169.254.1.0/24", "224.0.0.0/24", "240.0.0.0/24", "0.0.0.0/24"])
      expect(readPublicRange(r).ok).toBe(false);
    expect(readPublicRange("203.0.113.4/31")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/\/12 to \/30/),
    });
    expect(readPublicRange("203.0.113.1/24")).toMatchObject({ ok: false, message: expect.stringMatching(/host bits/) });
  });
});

describe("PublicIpPool", () => {
  it("hands out addresses across ranges in order, never a range's network or broadcast address", () => {
    const p = pool(["198.51.100.0/30", "203.0.113.0/30"], 0);
    const got = ["a", "b", "c", "d"].map((o) => text(p.allocate(o, "t1", 0)));
    expect(got).toEqual(["198.51.100.1", "198.51.100.2", "203.0.113.1", "203.0.113.2"]);
    expect(text(p.allocate("e", "t1", 0))).toBe(
      "Exhausted: the public IP pool has no free address: all 4 are allocated; an operator must add a range",
    );
  });

  it("is idempotent per owner, counts and lists per tenant, and ignores unknown releases", () => {
    const p = pool(["203.0.113.0/24"]);
    p.allocate("eip-1", "t1", 0);
    p.allocate("eip-2", "t2", 0);
    p.allocate("eip-3", "t1", 0);
    expect(p.allocate("eip-1", "t1", 5)).toEqual({ ok: true, ip: ip("203.0.113.1"), created: false });
    expect(p.allocate("eip-1", "t2", 5)).toMatchObject({ ok: false, code: "Invalid" });
    expect(p.countForTenant("t1")).toBe(2);
    expect(p.listForTenant("t1").map((a) => [a.owner, formatIpv4(a.ip)])).toEqual([
      ["eip-1", "203.0.113.1"],
      ["eip-3", "203.0.113.3"],
    ]);
    expect(p.listForTenant("t9")).toEqual([]);
    expect(p.release("nope", 0)).toBeUndefined();
    p.release("eip-1", 0);
    expect(p.countForTenant("t1")).toBe(1);
  });

  it("holds a released address for five minutes by default before any tenant gets it", () => {
    const p = pool(["198.51.100.0/30"]);
    p.allocate("a", "t1", 0);
    p.allocate("b", "t1", 0);
    expect(p.release("a", 1_000)).toEqual({ ip: ip("198.51.100.1"), availableAt: 1_000 + DEFAULT_PUBLIC_HOLD_MS });
    expect(p.allocate("c", "t2", 1_000 + DEFAULT_PUBLIC_HOLD_MS - 1)).toMatchObject({ code: "Exhausted" });
    expect(text(p.allocate("c", "t2", 1_000, ip("198.51.100.1")))).toMatch(
      /^OnHold: 198.51.100.1 was released recently/,
    );
    expect(text(p.allocate("c", "t2", 1_000 + DEFAULT_PUBLIC_HOLD_MS))).toBe("198.51.100.1");
    expect(p.usage(1_000 + DEFAULT_PUBLIC_HOLD_MS)).toMatchObject({ usable: 2, used: 2, onHold: 0, free: 0 });
  });

  it("allocates a requested address, never naming another tenant's owner in the refusal", () => {
    const p = pool(["203.0.113.0/24"]);
    p.allocate("mine", "t1", 0, ip("203.0.113.7"));
    expect(text(p.allocate("theirs", "t2", 0, ip("203.0.113.7")))).toBe("InUse: 203.0.113.7 is already allocated");
    expect(p.allocate("other", "t1", 0, ip("203.0.113.7"))).toMatchObject({ code: "InUse", holder: "mine" });
    expect(text(p.allocate("x", "t1", 0, ip("203.0.113.255")))).toMatch(/^Reserved: /);
    expect(text(p.allocate("x", "t1", 0, ip("198.51.100.7")))).toBe(
      "OutsideRange: 198.51.100.7 is not in the public IP pool (ranges: 203.0.113.0/24)",
    );
    expect(p.allocate("mine", "t1", 0, ip("203.0.113.8"))).toMatchObject({ code: "OwnerHasAddress" });
  });

  it("refuses overlapping ranges and removing a range that holds allocated addresses", () => {
    const p = pool(["203.0.113.0/24"]);
    expect(p.addRange("203.0.113.128/25", 0)).toEqual({
      ok: false,
      message: "203.0.113.128/25 overlaps the pool's range 203.0.113.0/24",
    });
    p.allocate("eip", "t1", 0);
    expect(p.removeRange("203.0.113.0/24", 0)).toEqual({
      ok: false,
      message: "203.0.113.0/24 has 1 allocated address(es): 203.0.113.1 (tenant t1); they must be released first",
    });
    expect(p.removeRange("198.51.100.0/24", 0)).toMatchObject({ ok: false });
    p.release("eip", 0);
    expect(p.removeRange("203.0.113.0/24", 0)).toEqual({ ok: true, cidr: expect.anything() });
    expect(p.rangeCidrs()).toEqual([]);
    expect(p.allocate("eip-2", "t1", 0)).toMatchObject({ code: "Exhausted" });
  });

  it("keeps the hold of an address whose range is removed and added again", () => {
    const p = pool(["198.51.100.0/30"], 1_000);
    p.allocate("a", "t1", 0);
    p.release("a", 0);
    p.removeRange("198.51.100.0/30", 10);
    p.addRange("198.51.100.0/30", 20);
    expect(text(p.allocate("b", "t2", 20))).toBe("198.51.100.2");
    expect(p.allocate("c", "t2", 999)).toMatchObject({ code: "Exhausted" });
    expect(text(p.allocate("c", "t2", 1_000))).toBe("198.51.100.1");
  });

  it("restores from committed state, reporting duplicates and addresses outside every range", () => {
    const { pool: p, problems } = PublicIpPool.restore(
      ["203.0.113.0/24"],
      [
        { owner: "a", tenantId: "t1", ip: "203.0.113.9" },
        { owner: "b", tenantId: "t2", ip: "203.0.113.9" },
        { owner: "c", tenantId: "t2", ip: "198.51.100.1" },
        { owner: "d", tenantId: "t2", ip: "203.0.113.0" },
        { owner: "a", tenantId: "t1", ip: "203.0.113.10" },
      ],
      { now: 0, holds: [{ ip: "203.0.113.1", until: 500 }] },
    );
    expect(problems.map((x) => [x.code, x.owner])).toEqual([
      ["DuplicateAddress", "b"],
      ["OutsideRange", "c"],
      ["Invalid", "d"],
      ["OwnerHasTwoAddresses", "a"],
    ]);
    expect(p.addressOf("a")?.ip).toBe(ip("203.0.113.9"));
    expect(text(p.allocate("e", "t2", 0))).toBe("203.0.113.2");
    expect(p.usage(0)).toMatchObject({ used: 2, onHold: 1, free: 251 });
    expect(() => PublicIpPool.restore(["10.0.0.0/24"], [], { now: 0 })).toThrow(/cannot be restored/);
  });
});
