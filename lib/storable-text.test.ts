import { describe, expect, it } from "vitest";
import { firstUnstorableChar, storableText, unstorableReason } from "./storable-text";

describe("storable text", () => {
  it("finds NUL before surrogates for the reason, and the first bad code unit in order", () => {
    expect(unstorableReason("ok 中文 😀")).toBeNull();
    expect(unstorableReason("\uD800a\u0000")).toBe("nul");
    expect(firstUnstorableChar("\uD800a\u0000")).toBe("\uD800");
    expect(firstUnstorableChar("😀\uDE00")).toBe("\uDE00");
    expect(firstUnstorableChar("😀")).toBeNull();
  });
  it("escapes NUL visibly and replaces lone surrogates", () => {
    expect(storableText("a\u0000b\uD800c😀")).toBe("a\\u0000b\uFFFDc😀");
  });
});
