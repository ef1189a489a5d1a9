import { describe, expect, it } from "vitest";
import { formatIpv4, parseIpv4 } from "../ipv4";
import type { AllocationResult } from "./allocation";
import { DEFAULT_HOLD_MS, SubnetAllocator } from "./subnet-allocator";
import { planOf } from "./test-plans.test-kit";

const ip = parseIpv4;
const text = (r: AllocationResult) => (r.ok ? formatIpv4(r.ip) : `${r.code}: ${r.message}`);

describe("SubnetAllocator", () => {
  it("hands out addresses in order, skipping network, gateway, excluded and broadcast", () => {
    const a = new SubnetAllocator(planOf({ cidrBlock: "10.0.0.0/28", excludeIps: ["10.0.0.3..10.0.0.5"] }));
    const got = Array.from({ length: 10 }, (_, i) => text(a.allocate(`p${i}`, 0)));
    expect(got).toEqual([2, 6, 7, 8, 9, 10, 11, 12, 13, 14].map((d) => `10.0.0.${d}`));
    expect(a.allocate("p10", 0)).toMatchObject({ ok: false, code: "Exhausted" });
  });

  it("returns the same address to the same owner and ignores releases of unknown owners", () => {
    const a = new SubnetAllocator(planOf({ cidrBlock: "10.0.0.0/24" }));
    const first = a.allocate("pod-a", 0);
    expect(first).toEqual({ ok: true, ip: ip("10.0.0.2"), created: true });
    expect(a.allocate("pod-a", 5)).toEqual({ ok: true, ip: ip("10.0.0.2"), created: false });
    expect(a.allocateStatic("pod-a", ip("10.0.0.2"), 5)).toEqual({ ok: true, ip: ip("10.0.0.2"), created: false });
    expect(a.release("nobody", 5)).toBeUndefined();
    expect(a.usage(5)).toMatchObject({ used: 1, onHold: 0, free: 252 });
  });

  it("allocates next-fit, so a just-released address is the last to come back", () => {
    const a = new SubnetAllocator(planOf({ cidrBlock: "10.0.0.0/28" }), { holdMs: 0 });
    for (let i = 0; i < 5; i++) a.allocate(`p${i}`, 0); // .2 … .6
    a.release("p0", 0);
    expect(text(a.allocate("q", 0))).toBe("10.0.0.7");
  });

  it("holds a released address for holdMs and hands it out again once the hold has ended", () => {
    const a = new SubnetAllocator(planOf({ cidrBlock: "10.0.0.0/29" })); // .2 … .6
    for (let i = 0; i < 5; i++) a.allocate(`p${i}`, 0);
    expect(a.release("p2", 1_000)).toEqual({ ip: ip("10.0.0.4"), availableAt: 1_000 + DEFAULT_HOLD_MS });
    expect(a.usage(1_000)).toMatchObject({ used: 4, onHold: 1, free: 0 });
    const refused = a.allocate("new", 1_000 + DEFAULT_HOLD_MS - 1);
    expect(refused).toMatchObject({ ok: false, code: "Exhausted", availableAt: 31_000 });
    expect(!refused.ok && refused.message).toBe(
      'the subnet "default" (10.0.0.0/29) has no free address: 4 of 5 usable addresses are in use and 1 on hold after release (the next is free again in 1 s)',
    );
    expect(text(a.allocateStatic("new", ip("10.0.0.4"), 20_000))).toBe(
      "OnHold: 10.0.0.4 was released recently and is held in 11 s so peers forget its old holder; ask again then, or choose another address",
    );
    expect(text(a.allocate("new", 31_000))).toBe("10.0.0.4");
    expect(a.usage(31_000)).toMatchObject({ used: 5, onHold: 0, free: 0 });
  });

  it("skips the hold when asked (a static address the owner's replacement takes over)", () => {
    const a = new SubnetAllocator(planOf({ cidrBlock: "10.0.0.0/24" }));
    a.allocateStatic("old", ip("10.0.0.50"), 0);
    expect(a.release("old", 10, { hold: false })).toEqual({ ip: ip("10.0.0.50"), availableAt: 10 });
    expect(text(a.allocateStatic("new", ip("10.0.0.50"), 10))).toBe("10.0.0.50");
  });

  it("refuses static requests with the reason: outside, reserved, gateway, excluded, in use, other address", () => {
    const a = new SubnetAllocator(planOf({ cidrBlock: "10.0.1.0/24", excludeIps: ["10.0.1.100..10.0.1.199"] }));
    a.allocateStatic("web-1", ip("10.0.1.20"), 0);
    const ask = (owner: string, addr: string) => text(a.allocateStatic(owner, ip(addr), 0));
    expect(ask("x", "10.0.2.5")).toBe(
      "OutsideRange: 10.0.2.5 is outside the subnet 10.0.1.0/24 (10.0.1.1 to 10.0.1.254)",
    );
    expect(ask("x", "10.0.1.0")).toBe("Reserved: 10.0.1.0 is the network address of 10.0.1.0/24");
    expect(ask("x", "10.0.1.255")).toBe("Reserved: 10.0.1.255 is the broadcast address of 10.0.1.0/24");
    expect(ask("x", "10.0.1.1")).toBe("Gateway: 10.0.1.1 is the gateway of 10.0.1.0/24");
    expect(ask("x", "10.0.1.150")).toBe('Excluded: 10.0.1.150 is in the excludeIps of the subnet "default"');
    expect(ask("x", "10.0.1.20")).toBe("InUse: 10.0.1.20 is in use by web-1");
    expect(a.allocateStatic("x", ip("10.0.1.20"), 0)).toMatchObject({ holder: "web-1" });
    expect(ask("web-1", "10.0.1.21")).toBe(
      "OwnerHasAddress: web-1 already holds 10.0.1.20; release it before asking for 10.0.1.21",
    );
    expect(ask("x", "10.0.1.21")).toBe("10.0.1.21");
  });

  it("runs out with a clear reason when nothing is held, and recovers after release and hold", () => {
    const a = new SubnetAllocator(planOf({ cidrBlock: "10.0.0.0/29" }), { holdMs: 1_000 });
    for (let i = 0; i < 5; i++) expect(a.allocate(`p${i}`, 0).ok).toBe(true);
    expect(text(a.allocate("p5", 0))).toBe(
      'Exhausted: the subnet "default" (10.0.0.0/29) has no free address: all 5 usable addresses are in use; delete pods or add a subnet',
    );
    a.release("p3", 100);
    expect(a.allocate("p5", 1_099).ok).toBe(false);
    expect(text(a.allocate("p5", 1_100))).toBe("10.0.0.5");
  });

  it("counts for status: Kube-OVN's v4usingIPs = used and v4availableIPs = free", () => {
    const a = new SubnetAllocator(planOf({ cidrBlock: "10.0.0.0/24", excludeIps: ["10.0.0.2..10.0.0.11"] }));
    for (let i = 0; i < 3; i++) a.allocate(`p${i}`, 0);
    a.release("p1", 0);
    expect(a.usage(0)).toEqual({
      size: 256,
      reserved: 13,
      usable: 243,
      used: 2,
      usedOnReserved: 0,
      onHold: 1,
      free: 240,
    });
    expect(a.fixedBytes).toBeLessThan(512);
  });
});

describe("SubnetAllocator.restore", () => {
  const plan = planOf({ cidrBlock: "10.0.0.0/24", excludeIps: ["10.0.0.200"] });

  it("rebuilds owners from committed state so no live address is handed out again", () => {
    const { allocator, problems } = SubnetAllocator.restore(
      plan,
      [
        { owner: "a", ip: "10.0.0.2" },
        { owner: "b", ip: "10.0.0.3" },
        { owner: "a", ip: "10.0.0.2" },
      ],
      { now: 0 },
    );
    expect(problems).toEqual([]);
    expect(allocator.addressOf("b")).toBe(ip("10.0.0.3"));
    expect(text(allocator.allocate("c", 0))).toBe("10.0.0.4");
    expect(allocator.usage(0)).toMatchObject({ used: 3, free: 249 });
  });

  it("reports duplicates and unusable records instead of accepting them", () => {
    const { allocator, problems } = SubnetAllocator.restore(
      plan,
      [
        { owner: "a", ip: "10.0.0.7" },
        { owner: "b", ip: "10.0.0.7" },
        { owner: "a", ip: "10.0.0.8" },
        { owner: "c", ip: "10.9.0.1" },
        { owner: "d", ip: "nonsense" },
        { owner: "e", ip: "10.0.0.200" },
      ],
      { now: 0 },
    );
    expect(problems.map((p) => [p.code, p.owner, p.kept])).toEqual([
      ["DuplicateAddress", "b", false],
      ["OwnerHasTwoAddresses", "a", false],
      ["OutsideRange", "c", false],
      ["Invalid", "d", false],
      ["NowReserved", "e", true],
    ]);
    expect(problems[0]).toMatchObject({ holder: "a", message: "10.0.0.7 is recorded for both a and b; a keeps it" });
    expect(allocator.addressOf("a")).toBe(ip("10.0.0.7"));
    expect(allocator.addressOf("b")).toBeUndefined();
    // The excluded address stays e's, is not counted as free, and is not held after e leaves.
    expect(allocator.usage(0)).toMatchObject({ used: 2, usedOnReserved: 1, free: 251 });
    expect(allocator.release("e", 0)).toEqual({ ip: ip("10.0.0.200"), availableAt: 0 });
    expect(allocator.usage(0)).toMatchObject({ used: 1, usedOnReserved: 0, onHold: 0, free: 251 });
  });

  it("carries holds over a restart when they are passed in, dropping those already ended", () => {
    const before = new SubnetAllocator(plan);
    before.allocate("a", 0);
    before.allocate("b", 0);
    before.release("a", 10_000);
    const holds = [...before.holds(10_000), { ip: "10.0.0.9", until: 5_000 }];
    const { allocator } = SubnetAllocator.restore(plan, before.records(), { now: 20_000, holds });
    expect(allocator.usage(20_000)).toMatchObject({ used: 1, onHold: 1 });
    expect(allocator.allocateStatic("c", ip("10.0.0.2"), 20_000)).toMatchObject({
      code: "OnHold",
      availableAt: 40_000,
    });
    expect(allocator.allocateStatic("c", ip("10.0.0.9"), 20_000).ok).toBe(true);
    expect(allocator.allocateStatic("d", ip("10.0.0.2"), 40_000).ok).toBe(true);
  });

  it("re-plans a subnet: newly excluded addresses stay with their owners until released", () => {
    const a = new SubnetAllocator(plan);
    a.allocateStatic("a", ip("10.0.0.50"), 0);
    const wider = planOf({ cidrBlock: "10.0.0.0/24", excludeIps: ["10.0.0.40..10.0.0.60"] });
    const { allocator, problems } = SubnetAllocator.restore(wider, a.records(), { now: 0 });
    expect(problems.map((p) => p.code)).toEqual(["NowReserved"]);
    expect(allocator.ownerOf(ip("10.0.0.50"))).toBe("a");
    expect(allocator.allocateStatic("b", ip("10.0.0.50"), 0)).toMatchObject({ code: "Excluded" });
  });
});
