/**
 * Property: whatever sequence of operator range changes, tenant allocations (any or a named
 * address), releases, clock advances and restarts happens, the pool never gives one address
 * to two live owners, never hands out a range's network or broadcast address or an address on
 * hold, refuses with Exhausted exactly when nothing is free, and its per-tenant counts and
 * usage match the model.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cidrContains, cidrsOverlap, type Ipv4, lastAddress, parseCidr, parseIpv4 } from "../ipv4";
import { PublicIpPool } from "./public-pool";

const HOLD_MS = 3_000;
const RANGES = ["203.0.113.0/29", "203.0.113.8/30", "203.0.113.0/28"];
const BASE = parseIpv4("203.0.113.0");

type Step =
  | { t: "add"; range: number }
  | { t: "remove"; range: number }
  | { t: "alloc"; owner: number; tenant: number; at: number | null }
  | { t: "release"; owner: number; hold: boolean }
  | { t: "drain"; range: number }
  | { t: "advance"; ms: number }
  | { t: "restore"; keepHolds: boolean };

const owner = fc.integer({ min: 0, max: 5 });
const range = fc.integer({ min: 0, max: RANGES.length - 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.oneof(
      fc.record({ t: fc.constant("add" as const), range }),
      fc.record({ t: fc.constant("remove" as const), range }),
    ),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant("alloc" as const),
      owner,
      tenant: fc.integer({ min: 0, max: 2 }),
      at: fc.option(fc.integer({ min: 0, max: 17 }), { nil: null }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant("release" as const), owner, hold: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("drain" as const), range }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 1_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("restore" as const), keepHolds: fc.boolean() }) },
);

describe("public IP pool property", () => {
  it("never gives an address to two live owners, nor a reserved or held one, and counts per tenant", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80, size: "max" }), (steps) => {
        let pool = new PublicIpPool({ holdMs: HOLD_MS });
        let now = 0;
        const ranges: string[] = [];
        const owners = new Map<string, { tenant: string; ip: Ipv4 }>();
        const holds = new Map<Ipv4, number>();
        const cidrs = () => ranges.map(parseCidr);
        const rangeOf = (ip: Ipv4) => cidrs().find((c) => cidrContains(c, ip));
        const isEdge = (ip: Ipv4) => cidrs().some((c) => ip === c.base || ip === lastAddress(c));
        const held = (ip: Ipv4) => (holds.get(ip) ?? 0) > now;
        const modelFree = () => {
          let n = 0;
          for (const c of cidrs())
            for (let ip = c.base + 1; ip < lastAddress(c); ip++)
              if (!held(ip) && ![...owners.values()].some((o) => o.ip === ip)) n++;
          return n;
        };

        for (const s of steps) {
          if (s.t === "add") {
            const text = RANGES[s.range] as string;
            const clash = cidrs().some((c) => cidrsOverlap(c, parseCidr(text)));
            expect(pool.addRange(text, now).ok).toBe(!clash);
            if (!clash) ranges.push(text);
          } else if (s.t === "remove") {
            const text = RANGES[s.range] as string;
            const present = ranges.includes(text);
            const busy = [...owners.values()].some((o) => cidrContains(parseCidr(text), o.ip));
            expect(pool.removeRange(text, now).ok).toBe(present && !busy);
            if (present && !busy) ranges.splice(ranges.indexOf(text), 1);
          } else if (s.t === "alloc") {
            const o = `eip-${s.owner}`;
            const tenant = `t${s.tenant}`;
            const had = owners.get(o);
            const ask = s.at === null ? undefined : BASE + s.at;
            const freeBefore = modelFree();
            const r = pool.allocate(o, tenant, now, ask);
            if (had) {
              if (had.tenant !== tenant) expect(r).toMatchObject({ code: "Invalid" });
              else if (ask === undefined || ask === had.ip) expect(r).toEqual({ ok: true, ip: had.ip, created: false });
              else expect(r).toMatchObject({ code: "OwnerHasAddress" });
              continue;
            }
            if (ask === undefined && freeBefore === 0) expect(r).toMatchObject({ code: "Exhausted" });
            else if (ask !== undefined) {
              const taken = [...owners.values()].some((x) => x.ip === ask);
              const expected = !rangeOf(ask)
                ? "OutsideRange"
                : isEdge(ask)
                  ? "Reserved"
                  : taken
                    ? "InUse"
                    : held(ask)
                      ? "OnHold"
                      : "ok";
              expect(r.ok ? "ok" : r.code).toBe(expected);
            } else expect(r.ok).toBe(true);
            if (r.ok) {
              for (const x of owners.values()) expect(x.ip).not.toBe(r.ip);
              expect(rangeOf(r.ip)).toBeDefined();
              expect(isEdge(r.ip)).toBe(false);
              expect(held(r.ip)).toBe(false);
              owners.set(o, { tenant, ip: r.ip });
              holds.delete(r.ip);
            }
          } else if (s.t === "release") {
            const o = `eip-${s.owner}`;
            const had = owners.get(o);
            const r = pool.release(o, now, { hold: s.hold });
            expect(r?.ip).toBe(had?.ip);
            if (had) {
              owners.delete(o);
              if (s.hold) holds.set(had.ip, now + HOLD_MS);
            }
          } else if (s.t === "drain") {
            // Every owner in the range lets go (held), so the range can then be removed.
            for (const [o, x] of [...owners])
              if (cidrContains(parseCidr(RANGES[s.range] as string), x.ip)) {
                expect(pool.release(o, now)?.ip).toBe(x.ip);
                owners.delete(o);
                holds.set(x.ip, now + HOLD_MS);
              }
          } else if (s.t === "advance") now += s.ms;
          else {
            const restored = PublicIpPool.restore(
              pool
                .rangeCidrs()
                .map(
                  (c) => RANGES.find((t) => parseCidr(t).base === c.base && parseCidr(t).prefix === c.prefix) as string,
                ),
              pool.records(),
              {
                now,
                holdMs: HOLD_MS,
                ...(s.keepHolds ? { holds: pool.holds(now) } : {}),
              },
            );
            expect(restored.problems).toEqual([]);
            pool = restored.pool;
            // Holds in removed ranges are forgotten by a restart; so are all of them without keepHolds.
            for (const ip of [...holds.keys()]) if (!s.keepHolds || !rangeOf(ip)) holds.delete(ip);
          }
          for (const t of ["t0", "t1", "t2"])
            expect(pool.countForTenant(t)).toBe([...owners.values()].filter((x) => x.tenant === t).length);
          const u = pool.usage(now);
          expect(u.used).toBe(owners.size);
          expect(u.free).toBe(modelFree());
          expect(u.usable).toBe(cidrs().reduce((n, c) => n + c.size - 2, 0));
        }
      }),
      {
        numRuns: 300,
        examples: [
          // A hold outliving its range, whose address is the broadcast of the range added in its place.
          [
            [
              { t: "add", range: 2 },
              { t: "alloc", owner: 0, tenant: 0, at: 7 },
              { t: "drain", range: 0 },
              { t: "remove", range: 2 },
              { t: "add", range: 0 },
              { t: "advance", ms: 3_000 },
              { t: "alloc", owner: 0, tenant: 0, at: null },
            ],
          ],
          [
            [
              { t: "add", range: 0 },
              { t: "alloc", owner: 0, tenant: 0, at: null },
              { t: "drain", range: 0 },
              { t: "remove", range: 0 },
              { t: "add", range: 0 },
            ],
          ],
        ],
      },
    );
  });
});
