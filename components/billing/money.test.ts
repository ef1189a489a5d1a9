import { describe, expect, it } from "vitest";
import { formatMicrosPlain, formatMoney, parseDecimal } from "./money";

describe("client money", () => {
  it("parses decimals exactly and refuses the rest", () => {
    expect(parseDecimal("12.5", 2)).toBe(1250n);
    expect(parseDecimal("0.031", 6)).toBe(31_000n);
    expect(parseDecimal("0.1", 2)).toBe(10n);
    expect(parseDecimal("1.005", 2)).toBeNull();
    expect(parseDecimal("-1", 2)).toBeNull();
    expect(parseDecimal("1e3", 2)).toBeNull();
  });
  it("formats without floating point", () => {
    expect(formatMoney("en", "USD", 123456789012345678n)).toBe("$1,234,567,890,123,456.78");
    expect(formatMoney("en", "USD", -5n)).toBe("-$0.05");
    expect(formatMicrosPlain(31_000n)).toBe("0.031");
    expect(formatMicrosPlain(2_000_000n)).toBe("2");
  });
});
