import { describe, expect, it } from "vitest";
import { safeReturnPath } from "./return-path";

describe("safeReturnPath", () => {
  it("keeps a path of this site, with its query and fragment", () => {
    expect(safeReturnPath("/invitations/abc?x=1#top")).toBe("/invitations/abc?x=1#top");
    expect(safeReturnPath(["/deployments", "/other"])).toBe("/deployments");
  });

  it.each([
    ["tab", "/\t/evil.example"],
    ["carriage return", "/\r/evil.example"],
    ["line feed", "/\n/evil.example"],
    ["leading tab", "\t//evil.example"],
    ["NUL", "/\u0000/evil.example"],
    ["DEL", "/\u007f/evil.example"],
    ["backslash", "/\\evil.example"],
    ["backslash later", "/a/..\\..\\/evil.example"],
    ["protocol-relative", "//evil.example"],
    ["absolute URL", "https://evil.example/"],
    ["scheme", "javascript:alert(1)"],
    ["relative", "evil.example"],
    ["empty", ""],
    ["too long", `/${"a".repeat(300)}`],
  ])("refuses %s", (_name, value) => {
    expect(safeReturnPath(value)).toBeNull();
  });

  it("refuses nothing given", () => {
    expect(safeReturnPath(undefined)).toBeNull();
  });
});
