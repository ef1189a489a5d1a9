import { describe, expect, it } from "vitest";
import { formatCpu, formatMemory, parseCpu, parseMemory } from "./quantity";

describe("quantities", () => {
  it("parses cpu", () => {
    expect(parseCpu("500m")).toBe(500);
    expect(parseCpu("2")).toBe(2000);
    expect(parseCpu("0.25")).toBe(250);
    expect(formatCpu(2000)).toBe("2");
    expect(formatCpu(250)).toBe("250m");
  });
  it("parses memory", () => {
    expect(parseMemory("256Mi")).toBe(256 * 2 ** 20);
    expect(parseMemory("4Gi")).toBe(4 * 2 ** 30);
    expect(parseMemory("1G")).toBe(1e9);
    expect(parseMemory("1048576")).toBe(2 ** 20);
    expect(formatMemory(4 * 2 ** 30)).toBe("4Gi");
  });
  it("rejects bad values with actionable messages", () => {
    for (const bad of ["", "abc", "1.5m", "-1", "2 cores", "1e3"])
      expect(() => parseCpu(bad)).toThrow(/not a CPU quantity/);
    for (const bad of ["", "4GB", "1Qi", "-5Mi", "Mi"])
      expect(() => parseMemory(bad)).toThrow(/not a memory quantity.*256Mi/);
  });
});
