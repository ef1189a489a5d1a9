import { describe, expect, it } from "vitest";
import { jsonEqual } from "./json-equal";
import { canonicalJson } from "../queue/rng";

describe("jsonEqual", () => {
  const cases: [unknown, unknown][] = [
    [
      { a: 1, b: [1, { c: "x" }] },
      { b: [1, { c: "x" }], a: 1 },
    ],
    [{ a: 1, gone: undefined }, { a: 1 }],
    [{ a: 1 }, { a: 2 }],
    [{ a: 1 }, { a: 1, b: null }],
    [
      [1, 2],
      [2, 1],
    ],
    [
      [1, 2],
      [1, 2, 3],
    ],
    [{ a: [] }, { a: {} }],
    [null, {}],
    ["1", 1],
    [{ a: { b: { c: true } } }, { a: { b: { c: false } } }],
  ];
  it.each(cases)("agrees with comparing canonical JSON: %j vs %j", (a, b) => {
    expect(jsonEqual(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
  });

  it("skips ignored keys at every depth", () => {
    const ignore = new Set(["lastUpdateTime"]);
    expect(
      jsonEqual({ c: [{ t: "Ready", lastUpdateTime: 1 }] }, { c: [{ t: "Ready", lastUpdateTime: 2 }] }, ignore),
    ).toBe(true);
    expect(jsonEqual({ c: [{ t: "Ready", lastUpdateTime: 1 }] }, { c: [{ t: "Ready" }] }, ignore)).toBe(true);
    expect(
      jsonEqual({ c: [{ t: "Ready", lastUpdateTime: 1 }] }, { c: [{ t: "Other", lastUpdateTime: 1 }] }, ignore),
    ).toBe(false);
  });
});
