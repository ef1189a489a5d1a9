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
  address: null,
  bandwidthMbps: 0,
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
      publicIpHourMicros: 1n,
      bandwidthMbpsHourMicros: 1n,
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
  it("rates a public IP per hour held and per Mbit/s-hour bought, one pair of lines per bandwidth", () => {
    const hour = 3_600_000n;
    const ip = (bandwidthMbps: number, hours: bigint, window = 0) =>
      agg({
        kind: "publicip",
        deploymentId: null,
        deploymentName: null,
        address: "203.0.113.7",
        bandwidthMbps,
        ms: hours * hour,
        window,
      });
    // 100 h at 5 Mbit/s, then 20 h at 10 Mbit/s split over two price windows; a pod between.
    const lines = rateLines([ip(5, 100n), ip(10, 12n, 0), ip(10, 8n, 1), agg({ cpuMilliMs: 1000n * hour })], (w) => ({
      ...BUILT_IN_PRICES,
      publicIpHourMicros: w === 0 ? 5_000n : 6_000n,
    }));
    expect(lines.map((l) => [l.resource, l.quantity, l.unitPriceMicros, l.amountMinor])).toEqual([
      ["cpu", 1000n * hour, 31_000n, 3n],
      // $0.005 × 100 h = $0.50; $0.01 × 500 Mbit/s-h = $5.00
      ["publicip:203.0.113.7:5", 100n * hour, 5_000n, 50n],
      ["bandwidth:203.0.113.7:5", 500n * hour, 10_000n, 500n],
      // hours split by price window; the bandwidth line merges both windows (one price)
      ["publicip:203.0.113.7:10", 12n * hour, 5_000n, 6n],
      ["publicip:203.0.113.7:10", 8n * hour, 6_000n, 5n],
      ["bandwidth:203.0.113.7:10", 200n * hour, 10_000n, 200n],
    ]);
    expect(lines.every((l) => l.deploymentId === null || l.resource === "cpu")).toBe(true);
  });
});
