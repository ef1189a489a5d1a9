import { describe, expect, it } from "vitest";
import { describeUnstorable, findUnstorableText, unstorableReason } from "./storable-text";

describe("unstorable text", () => {
  it("tells NUL and unpaired surrogates from storable text, pairs included", () => {
    expect(unstorableReason("plain ASCII, 中文 and 😀")).toBeNull();
    expect(unstorableReason("a\u0000b")).toBe("nul");
    expect(unstorableReason("\uD83D")).toBe("surrogate");
    expect(unstorableReason("x\uDE00")).toBe("surrogate");
    expect(unstorableReason("\uDE00\uD83D")).toBe("surrogate");
  });

  it("finds the first bad value or key anywhere and names its path", () => {
    expect(findUnstorableText({ a: [1, "ok", { b: "x\u0000" }], c: "\u0000" })).toEqual({
      path: "a.2.b",
      in: "value",
      reason: "nul",
    });
    expect(findUnstorableText({ env: { "K\u0000": "v" } })).toEqual({ path: "env", in: "key", reason: "nul" });
    expect(findUnstorableText(new Map([["k", new Set(["\uD800"])]]))).toEqual({
      path: "k.0",
      in: "value",
      reason: "surrogate",
    });
    expect(findUnstorableText("\u0000")).toEqual({ path: "", in: "value", reason: "nul" });
    expect(findUnstorableText({ fine: ["yes", 1, null, new Date(0)] })).toBeNull();
  });

  it("walks deep and cyclic input without overflowing the stack", () => {
    let deep: unknown = "bottom\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)?.reason).toBe("nul");
    const cyclic: Record<string, unknown> = { name: "ok" };
    cyclic.self = cyclic;
    expect(findUnstorableText(cyclic)).toBeNull();
  });

  it("says which field to fix", () => {
    expect(describeUnstorable({ path: "spec.name", in: "value", reason: "nul" })).toBe(
      'Field "spec.name" contains a NUL character (U+0000), which cannot be stored; remove it.',
    );
    expect(describeUnstorable({ path: "env", in: "key", reason: "surrogate" })).toBe(
      'Field "env" has a key that contains an unpaired UTF-16 surrogate, which cannot be stored; remove it.',
    );
  });
});
