import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("message catalogs", () => {
  it("have the same keys and placeholders in English and Chinese", () => {
    expect(() => execFileSync("node", ["scripts/check-catalogs.mjs"], { stdio: "pipe" })).not.toThrow();
  });
});
