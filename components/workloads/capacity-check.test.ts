import { describe, expect, it } from "vitest";
import { checkCapacity, mostPodsEver, type PoolInfo, type QuotaInfo } from "./capacity-check";
import { validateForm, defaultForm } from "./spec";

const GI = 2 ** 30;
const pool4c8g: PoolInfo = { name: "default", machineType: "4c8g", maxSize: 5 };
const quota = (limits: QuotaInfo["limits"] = {}, claimed = { cpuMillis: 0, memoryBytes: 0, pods: 0 }): QuotaInfo => ({
  limits,
  claimed,
});

describe("checkCapacity", () => {
  it("warns at cpu when one pod needs more cores than any pool's machines (6 cores on 4c8g)", () => {
    const r = checkCapacity(
      { cpuMillis: 6000, memoryBytes: GI, replicas: 1 },
      [pool4c8g],
      quota({ cpuMillis: 32_000 }),
    );
    expect(r.errors).toEqual({});
    expect(r.warnings.cpu).toEqual({
      key: "cpuAbovePools",
      values: { request: "6", machineType: "4c8g", capacity: "4" },
    });
    expect(r.warnings.memory).toBeUndefined();
  });

  it("warns at memory the same way, judged apart from cpu", () => {
    const r = checkCapacity({ cpuMillis: 500, memoryBytes: 12 * GI, replicas: 1 }, [pool4c8g], quota());
    expect(r.warnings).toEqual({
      memory: { key: "memoryAbovePools", values: { request: "12Gi", machineType: "4c8g", capacity: "8Gi" } },
    });
  });

  it("a pod that fits the largest pool passes; a pool of bigger machines lifts the warning", () => {
    expect(checkCapacity({ cpuMillis: 4000, memoryBytes: 8 * GI, replicas: 1 }, [pool4c8g], quota()).warnings).toEqual(
      {},
    );
    expect(
      checkCapacity(
        { cpuMillis: 6000, memoryBytes: GI, replicas: 1 },
        [pool4c8g, { name: "big", machineType: "8c16g", maxSize: 1 }],
        quota(),
      ).warnings,
    ).toEqual({});
  });

  it("errs when no machine type at all could hold the pod, or it exceeds the whole quota", () => {
    expect(
      checkCapacity({ cpuMillis: 12_000, memoryBytes: GI, replicas: 1 }, [pool4c8g], quota()).errors.cpu?.key,
    ).toBe("cpuAboveMachines");
    expect(
      checkCapacity({ cpuMillis: 3000, memoryBytes: GI, replicas: 0 }, [pool4c8g], quota({ cpuMillis: 2000 })).errors
        .cpu,
    ).toEqual({
      key: "cpuAboveQuota",
      values: { request: "3", limit: "2" },
    });
  });

  it("keeps the quota claim check at replicas", () => {
    const r = checkCapacity(
      { cpuMillis: 1000, memoryBytes: GI, replicas: 3 },
      [pool4c8g],
      quota({ cpuMillis: 4000 }, { cpuMillis: 2000, memoryBytes: 0, pods: 0 }),
    );
    expect(r.errors.replicas).toEqual({ key: "quotaCpu", values: { free: "2" } });
  });

  it("warns at replicas when the pools and node quota can never hold that many", () => {
    // 3-core pods: one per 4c8g node; 5 nodes by the pool, 2 by the node quota.
    const r = checkCapacity({ cpuMillis: 3000, memoryBytes: GI, replicas: 3 }, [pool4c8g], quota({ nodes: 2 }));
    expect(r.warnings.replicas).toEqual({ key: "replicasAboveNodes", values: { most: 2, replicas: 3 } });
    expect(
      checkCapacity({ cpuMillis: 3000, memoryBytes: GI, replicas: 2 }, [pool4c8g], quota({ nodes: 2 })).warnings,
    ).toEqual({});
  });

  it("spends the node quota on the pools that hold the most pods per node", () => {
    const pools: PoolInfo[] = [pool4c8g, { name: "big", machineType: "8c16g", maxSize: 2 }];
    expect(mostPodsEver({ cpuMillis: 2000, memoryBytes: GI, replicas: 1 }, pools, 3)).toBe(4 + 4 + 2);
  });
});

describe("memory at the field", () => {
  const memory = (m: string, limit = "") =>
    validateForm({ ...defaultForm, name: "web", image: "nginx:1.27", memory: m, memoryLimit: limit });
  it("refuses a unitless amount below 4Mi, suggesting the unit", () => {
    expect(memory("256").memory).toEqual({ key: "memoryNoUnit", values: { value: "256" } });
    expect(memory("128Mi", "2Mi").memoryLimit).toEqual({ key: "memoryTooSmall", values: { value: "2Mi" } });
  });
  it("accepts 4Mi and plain bytes above it", () => {
    expect(memory("4Mi").memory).toBeUndefined();
    expect(memory("134217728").memory).toBeUndefined();
  });
});
