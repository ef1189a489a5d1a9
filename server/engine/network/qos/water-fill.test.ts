import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { waterFill } from "./water-fill";

/** The item at `i`, or a failed test (the arrays here are always as long as their inputs). */
function at<T>(list: readonly T[], i: number): T {
  const v = list[i];
  if (v === undefined) throw new Error(`no item ${i}`);
  return v;
}

function fill(wants: number[], weights: number[], budget: number) {
  const n = wants.length;
  const share = new Float64Array(n);
  const used = waterFill(
    n,
    Float64Array.from(wants),
    Float64Array.from(weights),
    budget,
    share,
    new Uint32Array(n),
    new Float64Array(n),
  );
  return { share: Array.from(share), used };
}

describe("weighted water-filling", () => {
  it("splits by weight, and what a small want leaves goes on to the others", () => {
    expect(fill([100, 100], [3, 1], 40).share).toEqual([30, 10]);
    const { share, used } = fill([5, 100, 100], [1, 1, 2], 65);
    expect(share[0]).toBe(5);
    expect(share[1]).toBeCloseTo(20);
    expect(share[2]).toBeCloseTo(40);
    expect(used).toBeCloseTo(65);
  });
  it("serves every want when the budget is larger, and hands out no more", () => {
    expect(fill([1, 2, 0], [1, 1, 1], 100)).toEqual({ share: [1, 2, 0], used: 3 });
    expect(fill([1, 2], [1, 1], 0).share).toEqual([0, 0]);
  });

  it("weighted max-min: within bounds, budget used, one common level for everyone not fully served", () => {
    const item = fc.record({
      want: fc.double({ min: 0, max: 1e10, noNaN: true }),
      weight: fc.double({ min: 1e-3, max: 1e10, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 120 }),
        fc.double({ min: 0, max: 1e11, noNaN: true }),
        (items, budget) => {
          const { share, used } = fill(
            items.map((i) => i.want),
            items.map((i) => i.weight),
            budget,
          );
          const total = items.reduce((s, i) => s + i.want, 0);
          expect(used).toBeCloseTo(Math.min(budget, total), -Math.ceil(Math.log10(Math.max(1, budget, total))) + 6);
          const partial: number[] = [];
          let maxFullLevel = 0;
          items.forEach((it, i) => {
            const s = at(share, i);
            expect(s).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(it.want);
            if (s < it.want * (1 - 1e-9)) partial.push(s / it.weight);
            else if (it.want > 0) maxFullLevel = Math.max(maxFullLevel, it.want / it.weight);
          });
          if (partial.length > 0) {
            const level = Math.max(...partial);
            expect(Math.min(...partial)).toBeCloseTo(level, 6 - Math.ceil(Math.log10(Math.max(1, level))));
            expect(maxFullLevel).toBeLessThanOrEqual(level * (1 + 1e-9));
          }
        },
      ),
      { numRuns: 400, seed: 14 },
    );
  });
});
