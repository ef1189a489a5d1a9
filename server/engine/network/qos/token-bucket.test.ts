import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket";

describe("TokenBucket", () => {
  it("starts full, refills at its rate up to its burst", () => {
    const b = new TokenBucket(1000, 100, 0);
    expect(b.tryTake(100, 0)).toBe(true);
    expect(b.tryTake(1, 0)).toBe(false);
    expect(b.available(50)).toBeCloseTo(50);
    expect(b.available(10_000)).toBe(100);
  });
  it("polices all or nothing; shapes a fluid amount as far as it conforms", () => {
    const b = new TokenBucket(1000, 100, 0);
    expect(b.tryTake(150, 0)).toBe(false);
    expect(b.available(0)).toBe(100);
    expect(b.takeUpTo(150, 0)).toBe(100);
    expect(b.takeUpTo(150, 20)).toBeCloseTo(20);
  });
  it("a clock that goes backwards refills nothing", () => {
    const b = new TokenBucket(1000, 100, 1000);
    b.takeUpTo(100, 1000);
    expect(b.available(500)).toBe(0);
    expect(b.available(1010)).toBeCloseTo(10);
  });
  it("refuses a bucket that can never admit anything", () => {
    expect(() => new TokenBucket(10, 0, 0)).toThrow(/burst > 0/);
    expect(() => new TokenBucket(Number.NaN, 1, 0)).toThrow(RangeError);
  });
  it("over any run of requests, admits at most burst + rate × elapsed", () => {
    const step = fc.record({
      dt: fc.integer({ min: 0, max: 50 }),
      amount: fc.double({ min: 0, max: 300, noNaN: true }),
      fluid: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const rate = 2000;
        const burst = 150;
        const b = new TokenBucket(rate, burst, 0);
        let now = 0;
        let admitted = 0;
        for (const s of steps) {
          now += s.dt;
          if (s.fluid) admitted += b.takeUpTo(s.amount, now);
          else if (b.tryTake(s.amount, now)) admitted += s.amount;
          expect(b.available(now)).toBeGreaterThanOrEqual(0);
        }
        expect(admitted).toBeLessThanOrEqual(burst + (rate * now) / 1000 + 1e-6);
      }),
      { seed: 14 },
    );
  });
});
