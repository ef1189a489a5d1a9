/**
 * Property: whatever sequence of allocate / static request / release / clock advance / restart
 * (rebuild from committed state, with or without the holds) happens, the allocator never
 * gives one address to two live owners, never hands out network, broadcast, gateway or
 * excluded addresses, never reuses an address before its hold ends, refuses only when the
 * model says nothing is free (and then says Exhausted), and its counts match the model.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatIpv4, type Ipv4, lastAddress } from "../ipv4";
import { SubnetAllocator } from "./subnet-allocator";
import type { SubnetPlan } from "./subnet-plan";
import { planOf } from "./test-plans.test-kit";

const HOLD_MS = 1_000;
const OWNERS = 10;

type Step =
  | { t: "alloc"; owner: number }
  | { t: "static"; owner: number; at: number }
  | { t: "release"; owner: number; hold: boolean }
  | { t: "advance"; ms: number }
  | { t: "restore"; keepHolds: boolean };

const owner = fc.integer({ min: 0, max: OWNERS - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("alloc" as const), owner }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant("static" as const), owner, at: fc.integer({ min: -2, max: 40 }) }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("release" as const), owner, hold: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 1_500 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("restore" as const), keepHolds: fc.boolean() }) },
);

const planArb = fc
  .record({
    prefix: fc.integer({ min: 27, max: 29 }),
    gatewayAt: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
    excludes: fc.array(fc.tuple(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 3 })), { maxLength: 3 }),
  })
  .map(({ prefix, gatewayAt, excludes }) => {
    const size = 2 ** (32 - prefix);
    const excludeIps = excludes.map(([at, len]) => {
      const first = at % size;
      const last = Math.min(size - 1, first + len);
      return `10.0.0.${first}..10.0.0.${last}`;
    });
    try {
      return planOf({
        cidrBlock: `10.0.0.0/${prefix}`,
        excludeIps,
        ...(gatewayAt ? { gateway: `10.0.0.${gatewayAt}` } : {}),
      });
    } catch {
      return planOf({ cidrBlock: `10.0.0.0/${prefix}` }); // the exclusions left nothing usable
    }
  });

function isReserved(plan: SubnetPlan, ip: Ipv4): boolean {
  return (
    ip === plan.cidr.base ||
    ip === lastAddress(plan.cidr) ||
    ip === plan.gateway ||
    plan.excluded.some((r) => ip >= r.first && ip <= r.last)
  );
}

describe("subnet allocator property", () => {
  it("never gives an address to two live owners, nor a reserved or held one, and counts what it holds", () => {
    fc.assert(
      fc.property(planArb, fc.array(step, { minLength: 1, maxLength: 80, size: "max" }), (plan, steps) => {
        let a = new SubnetAllocator(plan, { holdMs: HOLD_MS });
        let now = 0;
        const owners = new Map<string, Ipv4>();
        const holds = new Map<Ipv4, number>();
        const liveHolds = () => [...holds].filter(([, until]) => until > now).length;
        const modelFree = () => plan.usable - owners.size - liveHolds();

        const accept = (o: string, ip: Ipv4) => {
          for (const [other, theirs] of owners) if (other !== o) expect(theirs).not.toBe(ip);
          expect(isReserved(plan, ip)).toBe(false);
          expect((holds.get(ip) ?? 0) > now).toBe(false);
          owners.set(o, ip);
          holds.delete(ip);
        };

        for (const s of steps) {
          if (s.t === "alloc") {
            const o = `pod-${s.owner}`;
            const had = owners.get(o);
            const freeBefore = modelFree();
            const r = a.allocate(o, now);
            if (had !== undefined) expect(r).toEqual({ ok: true, ip: had, created: false });
            else if (freeBefore === 0) expect(r).toMatchObject({ ok: false, code: "Exhausted" });
            else {
              expect(r.ok).toBe(true);
              if (r.ok) accept(o, r.ip);
            }
          } else if (s.t === "static") {
            const o = `pod-${s.owner}`;
            const ip = plan.cidr.base + s.at;
            const had = owners.get(o);
            const holder = [...owners].find(([, theirs]) => theirs === ip)?.[0];
            const r = a.allocateStatic(o, ip, now);
            const expected =
              had !== undefined
                ? had === ip
                  ? "same"
                  : "OwnerHasAddress"
                : ip < plan.cidr.base || ip > lastAddress(plan.cidr)
                  ? "OutsideRange"
                  : isReserved(plan, ip)
                    ? "reserved"
                    : holder !== undefined
                      ? "InUse"
                      : (holds.get(ip) ?? 0) > now
                        ? "OnHold"
                        : "ok";
            if (expected === "same") expect(r).toEqual({ ok: true, ip, created: false });
            else if (expected === "ok") {
              expect(r).toEqual({ ok: true, ip, created: true });
              accept(o, ip);
            } else if (expected === "reserved")
              expect(["Reserved", "Gateway", "Excluded"]).toContain(r.ok ? `ok ${formatIpv4(ip)}` : r.code);
            else expect(r).toMatchObject({ ok: false, code: expected });
          } else if (s.t === "release") {
            const o = `pod-${s.owner}`;
            const had = owners.get(o);
            const r = a.release(o, now, { hold: s.hold });
            if (had === undefined) expect(r).toBeUndefined();
            else {
              expect(r).toEqual({ ip: had, availableAt: s.hold ? now + HOLD_MS : now });
              owners.delete(o);
              if (s.hold) holds.set(had, now + HOLD_MS);
            }
          } else if (s.t === "advance") now += s.ms;
          else {
            const { allocator, problems } = SubnetAllocator.restore(plan, a.records(), {
              now,
              holdMs: HOLD_MS,
              ...(s.keepHolds ? { holds: a.holds(now) } : {}),
            });
            expect(problems).toEqual([]);
            a = allocator;
            if (!s.keepHolds) holds.clear();
          }
          const u = a.usage(now);
          expect(u).toEqual({
            size: plan.cidr.size,
            reserved: plan.cidr.size - plan.usable,
            usable: plan.usable,
            used: owners.size,
            usedOnReserved: 0,
            onHold: liveHolds(),
            free: modelFree(),
          });
          for (const [o, ip] of owners) expect(a.ownerOf(ip)).toBe(o);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("after a restart without holds, still never gives a live owner's address to another", () => {
    fc.assert(
      fc.property(
        planArb,
        fc.array(fc.tuple(owner, fc.integer({ min: 0, max: 31 })), { maxLength: 30 }),
        (plan, records) => {
          const recorded = records.map(([o, at]) => ({
            owner: `pod-${o}`,
            ip: plan.cidr.base + (at % plan.cidr.size),
          }));
          const { allocator, problems } = SubnetAllocator.restore(plan, recorded, { now: 0 });
          const live = new Map([...allocator.records()].map((r) => [r.ip, r.owner]));
          expect(live.size).toBe([...allocator.records()].length);
          // Every record is either kept or reported, never silently dropped.
          for (const r of recorded)
            expect(allocator.addressOf(r.owner) === r.ip || problems.some((p) => p.owner === r.owner)).toBe(true);
          for (let i = 0; i < plan.cidr.size; i++) {
            const r = allocator.allocate(`new-${i}`, 0);
            if (!r.ok) break;
            expect(live.has(r.ip)).toBe(false);
            expect(isReserved(plan, r.ip)).toBe(false);
            live.set(r.ip, `new-${i}`);
          }
        },
      ),
    );
  });
});
