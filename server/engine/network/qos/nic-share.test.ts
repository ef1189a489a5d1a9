import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NicCapacity } from "./nic-capacity";
import { MIN_BORROW_WEIGHT, NicShare, type QosDemand, shareNic } from "./nic-share";
import { type DirectionQos, MAX_POD_BANDWIDTH, MIN_POD_BANDWIDTH } from "./qos-annotations";

/** The item at `i`, or a failed test (the arrays here are always as long as their inputs). */
function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`no item ${i}`);
  return v;
}

const NIC: NicCapacity = { bitsPerSecond: 10e9, packetsPerSecond: 2_400_000, mpuBytes: 64 };
const qos = (g: number, max?: number, cap?: number): DirectionQos => ({
  guaranteeBitsPerSecond: g,
  maxBitsPerSecond: max,
  packetRateCap: cap,
});
const bulk = (offered: number, q: DirectionQos): QosDemand => ({
  offeredBitsPerSecond: offered,
  packetBytes: 1500,
  qos: q,
});

describe("sharing a NIC (HTB semantics)", () => {
  it("honours guarantees first, then lends the excess in proportion to the guarantees", () => {
    const { pods, totals } = shareNic(NIC, [bulk(10e9, qos(6e9)), bulk(10e9, qos(1e9))]);
    expect(pods[0]?.chargedBitsPerSecond).toBeCloseTo(6e9 + (3e9 * 6) / 7, -1);
    expect(pods[1]?.chargedBitsPerSecond).toBeCloseTo(1e9 + (3e9 * 1) / 7, -1);
    expect(totals.chargedBitsPerSecond).toBeCloseTo(10e9, -1);
    expect(pods[0]?.drops.congestion).toBeGreaterThan(0);
    expect(pods[0]?.drops["rate-limit"]).toBe(0);
  });

  it("lends a quiet pod's idle guarantee to others, each up to its maximum (over it: rate-limit)", () => {
    const { pods } = shareNic(NIC, [bulk(1e9, qos(5e9)), bulk(10e9, qos(1e9, 3e9)), bulk(10e9, qos(1e9))]);
    expect(pods[0]?.chargedBitsPerSecond).toBeCloseTo(1e9, -1);
    expect(pods[1]?.chargedBitsPerSecond).toBeCloseTo(3e9, -1);
    expect(pods[1]?.drops["rate-limit"]).toBeCloseTo(7e9 / 12_000, 3);
    expect(pods[1]?.drops.congestion).toBeCloseTo(0, 6);
    expect(pods[2]?.chargedBitsPerSecond).toBeCloseTo(6e9, -1);
  });

  it("a pod without a guarantee still borrows, with the weight of the smallest guarantee", () => {
    const { pods } = shareNic(NIC, [bulk(10e9, qos(0)), bulk(10e9, qos(99e6))]);
    const spare = 10e9 - 99e6;
    expect(pods[0]?.chargedBitsPerSecond).toBeCloseTo((spare * MIN_BORROW_WEIGHT) / (MIN_BORROW_WEIGHT + 99e6), -1);
    expect(pods[1]?.chargedBitsPerSecond).toBeCloseTo(99e6 + (spare * 99e6) / (MIN_BORROW_WEIGHT + 99e6), -1);
  });

  it("stops a small-packet flood at its packet-rate cap and charges each packet the MPU", () => {
    const flood: QosDemand = { offeredBitsPerSecond: 1e6 * 40 * 8, packetBytes: 40, qos: qos(0, undefined, 100_000) };
    const { pods } = shareNic(NIC, [flood]);
    const p = at(pods, 0);
    expect(p.packetsPerSecond).toBeCloseTo(100_000, 6);
    expect(p.drops["pps-cap"]).toBeCloseTo(900_000, 6);
    expect(p.bitsPerSecond).toBeCloseTo(100_000 * 40 * 8, 3);
    expect(p.chargedBitsPerSecond).toBeCloseTo(100_000 * 64 * 8, 3);
  });

  it("with the MPU charge a small-packet pod reaches its maximum sooner than its bytes say", () => {
    const tiny: QosDemand = { offeredBitsPerSecond: 100_000 * 40 * 8, packetBytes: 40, qos: qos(0, 40e6) };
    const p = at(shareNic(NIC, [tiny]).pods, 0);
    expect(p.chargedBitsPerSecond).toBeCloseTo(40e6, 1);
    expect(p.packetsPerSecond).toBeCloseTo(40e6 / (64 * 8), 3);
    expect(p.bitsPerSecond).toBeLessThan(32e6);
    expect(p.drops["rate-limit"]).toBeCloseTo(100_000 - 40e6 / 512, 3);
  });

  it("an uncapped flood overloads the host: every pod loses the same fraction (why caps exist)", () => {
    const flood: QosDemand = { offeredBitsPerSecond: 5e6 * 64 * 8, packetBytes: 64, qos: qos(0) };
    const { pods, totals } = shareNic(NIC, [flood, bulk(1e9, qos(1e9))]);
    expect(totals.hostOverloaded).toBe(true);
    expect(totals.packetsPerSecond).toBeCloseTo(NIC.packetsPerSecond, 3);
    const kept = pods.map((p) => p.packetsPerSecond / (p.packetsPerSecond + p.drops["host-pps"]));
    expect(kept[0]).toBeCloseTo(at(kept, 1), 9);
    expect(at(pods, 1).bitsPerSecond).toBeLessThan(1e9);
  });

  it("scales guarantees alike when admission was bypassed, and says so", () => {
    const { pods, totals } = shareNic(NIC, [bulk(10e9, qos(4e9)), bulk(10e9, qos(4e9)), bulk(10e9, qos(4e9))]);
    expect(totals.guaranteesScaled).toBe(true);
    for (const p of pods) expect(p.chargedBitsPerSecond).toBeCloseTo(10e9 / 3, -1);
  });

  it("nothing offered, nothing delivered; NicShare refuses more pods than it holds", () => {
    const { pods, totals } = shareNic(NIC, [bulk(0, qos(1e9)), bulk(0, qos(0))]);
    expect(pods.every((p) => p.packetsPerSecond === 0)).toBe(true);
    expect(totals.chargedBitsPerSecond).toBe(0);
    expect(() => new NicShare(2).solve(3, NIC)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------- properties over random mixes

interface Mix {
  nic: NicCapacity;
  demands: QosDemand[];
}

const mixArb: fc.Arbitrary<Mix> = fc
  .record({
    nicBits: fc.integer({ min: 1, max: 10 }).map((g) => g * 1e9),
    packetBudget: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 10_000, max: 3_000_000 })),
    mpu: fc.constantFrom(0, 64, 84),
    pods: fc.array(
      fc.record({
        g: fc.oneof(fc.constant(0), fc.integer({ min: MIN_POD_BANDWIDTH, max: MAX_POD_BANDWIDTH })),
        maxOver: fc.option(fc.double({ min: 1, max: 5, noNaN: true }), { nil: undefined }),
        offered: fc.oneof(fc.constant(0), fc.double({ min: 1e3, max: 8e9, noNaN: true })),
        size: fc.oneof(fc.integer({ min: 20, max: 200 }), fc.integer({ min: 200, max: 9000 })),
        cap: fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 40 },
    ),
  })
  .map(({ nicBits, packetBudget, mpu, pods }) => {
    // Admission keeps Σ guarantees ≤ the NIC: scale a random mix down to fit when it does not.
    const sum = pods.reduce((s, p) => s + p.g, 0);
    const fit = sum > nicBits ? nicBits / sum : 1;
    return {
      nic: { bitsPerSecond: nicBits, packetsPerSecond: packetBudget, mpuBytes: mpu },
      demands: pods.map((p) => {
        const g = Math.floor(p.g * fit);
        const max = p.maxOver === undefined ? undefined : Math.max(g, MIN_POD_BANDWIDTH) * p.maxOver;
        return { offeredBitsPerSecond: p.offered, packetBytes: p.size, qos: qos(g, max, p.cap) };
      }),
    };
  });

const REL = 1e-9;
/** Charged demand after the pod's own packet-rate cap. */
const chargedDemand = (d: QosDemand, nic: NicCapacity) => {
  const pps = Math.min(d.offeredBitsPerSecond / (8 * d.packetBytes), d.qos.packetRateCap ?? Number.POSITIVE_INFINITY);
  return pps * 8 * Math.max(d.packetBytes, nic.mpuBytes);
};
const ceilOf = (d: QosDemand, nic: NicCapacity) =>
  Math.max(
    d.qos.guaranteeBitsPerSecond,
    Math.min(d.qos.maxBitsPerSecond ?? Number.POSITIVE_INFINITY, nic.bitsPerSecond),
  );

describe("sharing properties (fast-check over random mixes)", () => {
  it("while the host budget holds: guarantees met, never above maximum or demand, Σ ≤ NIC, work-conserving", () => {
    fc.assert(
      fc.property(mixArb, ({ nic, demands }) => {
        const { pods, totals } = shareNic(nic, demands);
        if (totals.hostOverloaded) return;
        let sum = 0;
        let someoneWanting = false;
        demands.forEach((d, i) => {
          const p = at(pods, i);
          const demand = chargedDemand(d, nic);
          const got = p.chargedBitsPerSecond;
          sum += got;
          expect(got).toBeGreaterThanOrEqual(Math.min(demand, d.qos.guaranteeBitsPerSecond) * (1 - 0.01));
          expect(got).toBeGreaterThanOrEqual(Math.min(demand, d.qos.guaranteeBitsPerSecond) * (1 - REL));
          expect(got).toBeLessThanOrEqual(ceilOf(d, nic) * (1 + REL));
          expect(got).toBeLessThanOrEqual(demand * (1 + REL) + 1e-6);
          if (got < Math.min(demand, ceilOf(d, nic)) * (1 - 1e-6)) someoneWanting = true;
        });
        expect(sum).toBeLessThanOrEqual(nic.bitsPerSecond * (1 + REL));
        if (someoneWanting) expect(sum).toBeGreaterThanOrEqual(nic.bitsPerSecond * (1 - 1e-6));
      }),
      { numRuns: 500, seed: 14 },
    );
  });

  it("always: packets/s within the cap and the host budget; MPU charged; offered = delivered + drops", () => {
    fc.assert(
      fc.property(mixArb, ({ nic, demands }) => {
        const { pods, totals } = shareNic(nic, demands);
        let packets = 0;
        demands.forEach((d, i) => {
          const p = at(pods, i);
          packets += p.packetsPerSecond;
          if (d.qos.packetRateCap !== undefined)
            expect(p.packetsPerSecond).toBeLessThanOrEqual(d.qos.packetRateCap * (1 + REL));
          expect(p.chargedBitsPerSecond).toBeCloseTo(p.packetsPerSecond * 8 * Math.max(d.packetBytes, nic.mpuBytes), 0);
          expect(p.bitsPerSecond).toBeCloseTo(p.packetsPerSecond * 8 * d.packetBytes, 0);
          const offered = d.offeredBitsPerSecond / (8 * d.packetBytes);
          const accounted =
            p.packetsPerSecond + p.drops["pps-cap"] + p.drops["rate-limit"] + p.drops.congestion + p.drops["host-pps"];
          expect(accounted).toBeCloseTo(offered, 3);
          for (const v of Object.values(p.drops)) expect(v).toBeGreaterThanOrEqual(-1e-9);
        });
        expect(packets).toBeLessThanOrEqual(nic.packetsPerSecond * (1 + REL));
        expect(totals.packetsPerSecond).toBeCloseTo(Math.min(packets, nic.packetsPerSecond), 3);
      }),
      { numRuns: 500, seed: 14 },
    );
  });

  it("HTB's lending rule: the pods still short of their ceiling borrowed the same amount per unit of weight", () => {
    fc.assert(
      fc.property(mixArb, ({ nic, demands }) => {
        const { pods, totals } = shareNic(nic, demands);
        if (totals.hostOverloaded) return;
        const levels: number[] = [];
        demands.forEach((d, i) => {
          const demand = chargedDemand(d, nic);
          const base = Math.min(demand, d.qos.guaranteeBitsPerSecond);
          const ceiling = Math.min(demand, ceilOf(d, nic));
          const got = at(pods, i).chargedBitsPerSecond;
          if (ceiling - got > ceiling * 1e-6 + 1) {
            levels.push((got - base) / Math.max(d.qos.guaranteeBitsPerSecond, MIN_BORROW_WEIGHT));
          }
        });
        if (levels.length < 2) return;
        const lo = Math.min(...levels);
        const hi = Math.max(...levels);
        expect(hi - lo).toBeLessThanOrEqual(hi * 1e-6 + 1e-9);
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it("NicShare gives the same answer when re-used across solves (no state leaks between intervals)", () => {
    const share = new NicShare(40);
    fc.assert(
      fc.property(mixArb, mixArb, (a, b) => {
        const solveWith = (m: Mix) => {
          m.demands.forEach((d, i) => {
            share.setPod(i, d.offeredBitsPerSecond, d.packetBytes, d.qos);
          });
          share.solve(m.demands.length, m.nic);
          return Array.from(share.chargedBits.subarray(0, m.demands.length));
        };
        solveWith(a);
        const fresh = shareNic(b.nic, b.demands).pods.map((p) => p.chargedBitsPerSecond);
        expect(solveWith(b)).toEqual(fresh);
      }),
      { numRuns: 100, seed: 14 },
    );
  });
});
