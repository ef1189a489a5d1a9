import { describe, expect, it } from "vitest";
import { formatAge, formatBytes, formatCpu, percent } from "./format";

describe("formatting", () => {
  it("writes cpu as Kubernetes does", () => {
    expect(formatCpu(250)).toBe("250m");
    expect(formatCpu(2000)).toBe("2");
    expect(formatCpu(1500)).toBe("1.5");
  });
  it("writes memory in binary units", () => {
    expect(formatBytes(256 * 2 ** 20)).toBe("256Mi");
    expect(formatBytes(4 * 2 ** 30)).toBe("4Gi");
    expect(formatBytes(1536 * 2 ** 20)).toBe("1.5Gi");
    expect(formatBytes(512)).toBe("512");
  });
  it("writes ages like kubectl", () => {
    expect(formatAge(0, 45_000)).toBe("45s");
    expect(formatAge(0, 3 * 60_000)).toBe("3m");
    expect(formatAge(0, 5 * 3_600_000)).toBe("5h");
    expect(formatAge(0, 52 * 3_600_000)).toBe("2d4h");
    expect(formatAge(10_000, 0)).toBe("0s");
  });
  it("bounds percentages", () => {
    expect(percent(5, 0)).toBe(0);
    expect(percent(3, 4)).toBe(75);
    expect(percent(9, 4)).toBe(100);
  });
});
