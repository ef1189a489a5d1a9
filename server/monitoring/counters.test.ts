import { describe, expect, it } from "vitest";
import type { SeriesKey } from "@/db/queries/monitoring";
import type { ContainerSample } from "../engine/runtime/workload-profile";
import { createContainerCounters } from "./counters";

const key = (podId: string, container = "app", tenantId = "t1"): SeriesKey => ({
  tenantId,
  podId,
  podName: podId,
  container,
  revision: 1,
  nodeId: "n1",
});

const sample = (cpuMillis: number, netRxBytes = 0): ContainerSample => ({
  cpuMillis,
  cpuThrottledMs: 0,
  memoryWorkingSetBytes: 0,
  memoryRssBytes: 0,
  memoryLimitBytes: 0,
  diskReadBytes: 0,
  diskWriteBytes: 0,
  diskReadOps: 0,
  diskWriteOps: 0,
  tcpEstablished: 0,
  tcpListen: 0,
  tcpTimeWait: 0,
  netRxBytes,
  netTxBytes: 0,
  netRxPackets: 0,
  netTxPackets: 0,
  netRxDrops: 0,
  netTxDrops: 0,
});

describe("container counters", () => {
  it("integrate each sample's usage over its interval: 500 millicores for 10 s is 5 cpu seconds", () => {
    const c = createContainerCounters();
    c.record(10_000, 10_000, [{ key: key("p1"), sample: sample(500, 1000) }]);
    c.record(20_000, 10_000, [{ key: key("p1"), sample: sample(250, 3000) }]);
    const totals = c.ofPod("t1", "p1")?.get("app");
    expect(totals?.cpuSeconds).toBeCloseTo(7.5, 9);
    expect(totals?.netRxBytes).toBe(4000);
  });

  it("count a round at a time already counted once, and a closer one only for its new part", () => {
    const c = createContainerCounters();
    c.record(10_000, 10_000, [{ key: key("p1"), sample: sample(1000) }]);
    c.record(10_000, 10_000, [{ key: key("p1"), sample: sample(1000) }]); // collected on demand at the same time
    expect(c.ofPod("t1", "p1")?.get("app")?.cpuSeconds).toBeCloseTo(10, 9);
    c.record(15_000, 10_000, [{ key: key("p1"), sample: sample(1000, 800) }]); // 5 s after the last
    const totals = c.ofPod("t1", "p1")?.get("app");
    expect(totals?.cpuSeconds).toBeCloseTo(15, 9);
    expect(totals?.netRxBytes).toBeCloseTo(400, 9);
  });

  it("keep tenants and containers apart, and drop only pods that are gone", () => {
    const c = createContainerCounters();
    c.record(10_000, 10_000, [
      { key: key("p1"), sample: sample(100) },
      { key: key("p1", "sidecar"), sample: sample(200) },
      { key: key("p2", "app", "t2"), sample: sample(300) },
    ]);
    expect(c.ofPod("t1", "p1")?.get("sidecar")?.cpuSeconds).toBeCloseTo(2, 9);
    expect(c.ofPod("t2", "p1")).toBeUndefined();
    c.record(20_000, 10_000, [{ key: key("p1"), sample: sample(100) }]);
    const asked: string[] = [];
    c.prune(20_000, (tenantId, podId) => {
      asked.push(`${tenantId}/${podId}`);
      return false;
    });
    expect(asked).toEqual(["t2/p2"]); // p1 was sampled in this round: it exists
    expect(c.ofPod("t1", "p1")?.get("app")?.cpuSeconds).toBeCloseTo(2, 9);
    expect(c.ofPod("t2", "p2")).toBeUndefined();
  });
});
