import { describe, expect, it } from "vitest";
import { EngineError, isEngineError } from "./errors";

describe("isEngineError", () => {
  it("recognises an engine error from another copy of the module by its name and code", () => {
    const foreign = Object.assign(new Error('deployment "x" not found'), { name: "EngineError", code: "NOT_FOUND" });
    expect(isEngineError(new EngineError("CONFLICT", "taken"))).toBe(true);
    expect(isEngineError(foreign)).toBe(true);
    expect(isEngineError(Object.assign(new Error("x"), { name: "EngineError", code: "SOMETHING" }))).toBe(false);
    expect(isEngineError(new Error("plain"))).toBe(false);
  });
});
