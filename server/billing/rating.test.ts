import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PlanRow } from "@/db/queries/billing-plans";
import { PlanBook } from "./plans";
import {
  amountMinor,
  BUILT_IN_PRICES,
  formatMinor,
  rateLines,
  roundHalfUp,
  sumMinor,
  type UsageAggregate,
} from "./rating";

const agg = (a: Partial<UsageAggregate>): UsageAggregate => ({
  tenantId: "t",
  window: 0,
  kind: "pod",
  deploymentId: "d1",
  deploymentName: "web",
  machineType: null,
  cpuMilliMs: 0n,
  memoryByteMs: 0n,
  ms: 0n,
  ...a,
});

describe("rating", () => {
  it("rounds half up once per line", () => {
    expect(roundHalfUp(5n, 10n)).toBe(1n);
    expect(roundHalfUp(4n, 10n)).toBe(0n);
    // one vCPU for one hour at $0.031 = 3.1 cents → 3 cents
    expect(amountMinor("cpu", 1000n * 3_600_000n, 31_000n)).toBe(3n);
    // 1 GiB for 1000 hours at $0.004 = $4.00
    expect(amountMinor("memory", (1n << 30n) * 3_600_000_000n, 4_000n)).toBe(400n);
    expect(formatMinor(-12345n)).toBe("-123.45");
    expect(formatMinor(7n)).toBe("0.07");
  });

  it("an invoice total is the sum of its lines, and views by resource and by deployment add up to it", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dep: fc.constantFrom("web", "api", "db"),
            cpu: fc.bigInt({ min: 0n, max: 10n ** 16n }),
            mem: fc.bigInt({ min: 0n, max: 10n ** 19n }),
            w: fc.nat(2),
          }),
          { maxLength: 20 },
        ),
        (rows) => {
          const lines = rateLines(
            rows.map((r) =>
              agg({ deploymentId: r.dep, deploymentName: r.dep, cpuMilliMs: r.cpu, memoryByteMs: r.mem, window: r.w }),
            ),
            (w) => ({ ...BUILT_IN_PRICES, cpuHourMicros: BigInt(31_000 + w * 1000) }),
          );
          const total = sumMinor(lines);
          const byResource = new Map<string, bigint>();
          const byDeployment = new Map<string, bigint>();
          for (const l of lines) {
            byResource.set(l.resource, (byResource.get(l.resource) ?? 0n) + l.amountMinor);
            byDeployment.set(l.deploymentName ?? "", (byDeployment.get(l.deploymentName ?? "") ?? 0n) + l.amountMinor);
            expect(l.amountMinor).toBe(amountMinor(l.resource, l.quantity, l.unitPriceMicros));
          }
          expect([...byResource.values()].reduce((a, b) => a + b, 0n)).toBe(total);
          expect([...byDeployment.values()].reduce((a, b) => a + b, 0n)).toBe(total);
        },
      ),
    );
  });

  it("price-plan versions apply from their date; a tenant plan wins over the default", () => {
    const row = (id: number, tenantId: string | null, effectiveFrom: number, cpu: bigint): PlanRow => ({
      id,
      tenantId,
      effectiveFrom,
      currency: "USD",
      cpuHourMicros: cpu,
      memoryGibHourMicros: 1n,
      node2c4gHourMicros: 1n,
      node4c8gHourMicros: 1n,
      node8c16gHourMicros: 1n,
      createdAt: 0,
      createdBy: null,
    });
    const book = new PlanBook([row(1, null, 0, 10n), row(2, "a", 100, 20n), row(3, null, 200, 30n)]);
    expect(book.pricesAt("a", 50).cpuHourMicros).toBe(10n);
    expect(book.pricesAt("a", 150).cpuHourMicros).toBe(20n);
    expect(book.pricesAt("a", 250).cpuHourMicros).toBe(20n);
    expect(book.pricesAt("b", 250).cpuHourMicros).toBe(30n);
    expect(book.windows(0, 300)).toEqual([
      { from: 0, to: 100 },
      { from: 100, to: 200 },
      { from: 200, to: 300 },
    ]);
    expect(new PlanBook([]).pricesAt("x", 0)).toEqual(BUILT_IN_PRICES);
  });
});
