import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AddressError, parseIpv4 } from "../ipv4";
import { readAddress, readDottedQuad } from "./read-address";

const strict = (text: string) => {
  try {
    return parseIpv4(text);
  } catch (e) {
    if (e instanceof AddressError) return undefined;
    throw e;
  }
};

describe("readAddress", () => {
  it("reads texts and integers, and nothing else", () => {
    expect(readAddress("10.0.0.7")).toBe(parseIpv4("10.0.0.7"));
    expect(readAddress(0xffffffff)).toBe(0xffffffff);
    for (const bad of ["", "10.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.1.", "10..0.1", "1.2.3.4.5", "::1", " 1.2.3.4"])
      expect(readAddress(bad)).toBeUndefined();
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) expect(readAddress(bad)).toBeUndefined();
  });

  it("accepts exactly the texts the general parser accepts, with the same value", () => {
    const octet = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.constantFrom("00", "01", "007", "", "a", "-1"),
    );
    const text = fc.oneof(
      fc.array(octet, { minLength: 1, maxLength: 5 }).map((o) => o.join(".")),
      fc.string({ maxLength: 16 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        const fast = readDottedQuad(t);
        const slow = strict(t);
        if (fast >= 0) expect(fast).toBe(slow);
        expect(readAddress(t)).toBe(slow);
      }),
      { numRuns: 2_000 },
    );
  });
});
