import { describe, expect, it } from "vitest";
import { formatAge, formatBytes, formatCores, formatCpu, niceTicks, percent } from "./format";

describe("formatting", () => {
  it("writes cpu in millicores below a core and in cores with decimals from one core up", () => {
    expect(formatCpu(250)).toBe("250m");
    expect(formatCpu(999)).toBe("999m");
    expect(formatCpu(2000)).toBe("2");
    expect(formatCpu(1500)).toBe("1.5");
    // Not `2068m` beside `1.2Gi`.
    expect(formatCpu(2068)).toBe("2.07");
    expect(formatCores(3500)).toBe("3.5");
  });
  it("writes memory in binary units, GiB past 1024 MiB", () => {
    expect(formatBytes(256 * 2 ** 20)).toBe("256Mi");
    expect(formatBytes(4 * 2 ** 30)).toBe("4Gi");
    expect(formatBytes(1536 * 2 ** 20)).toBe("1.5Gi");
    expect(formatBytes(77_824 * 2 ** 20)).toBe("76Gi");
    expect(formatBytes(512)).toBe("512");
  });
  it("writes ages like kubectl in English", () => {
    expect(formatAge(0, 45_000)).toBe("45s");
    expect(formatAge(0, 3 * 60_000)).toBe("3m");
    expect(formatAge(0, 5 * 3_600_000)).toBe("5h");
    expect(formatAge(0, 52 * 3_600_000)).toBe("2d4h");
    expect(formatAge(0, 48 * 3_600_000, "en")).toBe("2d");
    expect(formatAge(10_000, 0)).toBe("0s");
  });
  it("writes ages in Chinese words for a Chinese reader", () => {
    expect(formatAge(0, 5_000, "zh-CN")).toBe("5秒");
    expect(formatAge(0, 3 * 60_000, "zh-CN")).toBe("3分钟");
    expect(formatAge(0, 5 * 3_600_000, "zh-CN")).toBe("5小时");
    expect(formatAge(0, 52 * 3_600_000, "zh-CN")).toBe("2天4小时");
    expect(formatAge(0, 48 * 3_600_000, "zh-CN")).toBe("2天");
  });
  it("bounds percentages", () => {
    expect(percent(5, 0)).toBe(0);
    expect(percent(3, 4)).toBe(75);
    expect(percent(9, 4)).toBe(100);
  });
  it("picks axis ticks of 1, 2, 2.5 or 5 times a power of ten", () => {
    expect(niceTicks(0.38)).toEqual({ ticks: [0, 0.1, 0.2, 0.3, 0.4], digits: 1 });
    expect(niceTicks(0.76).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(1)).toEqual({ ticks: [0, 0.25, 0.5, 0.75, 1], digits: 2 });
    expect(niceTicks(730).ticks).toEqual([0, 200, 400, 600, 800]);
    expect(niceTicks(100).ticks).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(3).ticks).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0)).toEqual({ ticks: [0, 1], digits: 0 });
    for (const max of [0.0007, 0.095, 0.19, 7.3, 42, 1234, 77_824]) {
      const { ticks } = niceTicks(max);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
  });
});
