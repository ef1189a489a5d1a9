import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatBitRate, formatQuantity, parseQuantityValue } from "./bandwidth-quantity";

describe("parseQuantityValue (resource.ParseQuantity + Value(), as kubelet reads bandwidth)", () => {
  it("reads the forms the bandwidth plugin accepts, in bits per second", () => {
    const cases: [string, number][] = [
      ["10M", 10_000_000],
      ["1G", 1_000_000_000],
      ["500k", 500_000],
      ["1.5M", 1_500_000],
      ["0.1M", 100_000],
      ["4.29G", 4_290_000_000],
      ["1e6", 1_000_000],
      ["1E6", 1_000_000],
      ["25e+5", 2_500_000],
      ["100Mi", 100 * 2 ** 20],
      ["1Gi", 2 ** 30],
      ["+10M", 10_000_000],
      ["1.", 1],
      [".5M", 500_000],
      ["1000000", 1_000_000],
      ["1E", 1e18],
      ["1P", 1e15],
    ];
    for (const [text, bits] of cases) expect(parseQuantityValue(text), text).toBe(bits);
  });

  it("rounds up to a whole number, toward +∞, as Value() does", () => {
    expect(parseQuantityValue("10m")).toBe(1);
    expect(parseQuantityValue("1e-3")).toBe(1);
    expect(parseQuantityValue("1.0000001k")).toBe(1001);
    expect(parseQuantityValue("0")).toBe(0);
    expect(parseQuantityValue("-1.5")).toBe(-1);
  });

  it("refuses what resource.ParseQuantity refuses", () => {
    for (const bad of [
      "",
      " 10M",
      "10M ",
      "10 M",
      "10K",
      "10Mbit",
      "10MB",
      "10mi",
      "M",
      "1e",
      "1.2.3",
      "0x10",
      "Infinity",
      "NaN",
      "1e3k",
      "--1",
      "1Mi5",
      "x".repeat(80),
    ]) {
      expect(parseQuantityValue(bad), bad).toBeUndefined();
    }
  });

  it("is exact for any integer with any suffix (no float drift)", () => {
    const suffixes: [string, number][] = [
      ["", 1],
      ["k", 1e3],
      ["M", 1e6],
      ["G", 1e9],
      ["Ki", 1024],
      ["Mi", 2 ** 20],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), fc.constantFrom(...suffixes), (n, [s, f]) => {
        expect(parseQuantityValue(`${n}${s}`)).toBe(n * f);
      }),
      { seed: 14 },
    );
  });

  it("decimal fractions round up exactly: ceil(d / 10^k × unit)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 1, max: 5 }), (d, k) => {
        const text = `${Math.floor(d / 10 ** k)}.${String(d % 10 ** k).padStart(k, "0")}k`;
        const exact = (BigInt(d) * 1000n + 10n ** BigInt(k) - 1n) / 10n ** BigInt(k);
        expect(parseQuantityValue(text)).toBe(Number(exact));
      }),
      { seed: 14 },
    );
  });
});

describe("formatting", () => {
  it("writes rates in Kubernetes' spelling and for people", () => {
    expect(formatQuantity(10_000_000)).toBe("10M");
    expect(formatQuantity(4_290_000_000)).toBe("4.29G");
    expect(formatQuantity(500)).toBe("500");
    expect(formatBitRate(10_000_000_000)).toBe("10 Gbit/s");
    expect(formatBitRate(1_500_000)).toBe("1.5 Mbit/s");
    expect(formatBitRate(12)).toBe("12 bit/s");
  });
  it("round-trips through the parser for whole thousandths of a unit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4_290_000 }), (kbit) => {
        expect(parseQuantityValue(formatQuantity(kbit * 1000))).toBe(kbit * 1000);
      }),
      { seed: 14 },
    );
  });
});
