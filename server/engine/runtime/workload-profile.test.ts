import { describe, expect, it } from "vitest";
import { startHarness } from "../test-kit";
import { MAX_NODE_CPU_MILLIS, MAX_NODE_MEMORY_BYTES, oomKillAfterMs, profileOf, sampleAt } from "./workload-profile";
import type { ContainerSpec } from "../kinds/types";

const spec = (env: Record<string, string>, limits: { cpu?: string; memory?: string } = {}): ContainerSpec => ({
  name: "app",
  image: "nginx:1.27",
  env: Object.entries(env).map(([name, value]) => ({ name, value })),
  ports: [{ containerPort: 80, protocol: "TCP" }],
  resources: { requests: { cpu: "500m", memory: "256Mi" }, limits },
});

describe("workload profiles", () => {
  it("is deterministic for the same container and time", () => {
    const p = profileOf(spec({ SIM_PROFILE: "bursty" }));
    expect(sampleAt(p, "pod/app", 0, 120_000, 10_000)).toEqual(sampleAt(p, "pod/app", 0, 120_000, 10_000));
  });

  it("never uses more cpu than the limit and reports the excess as throttling", () => {
    const p = profileOf(spec({ SIM_CPU: "900" }, { cpu: "500m" }));
    for (let t = 10_000; t < 600_000; t += 10_000) {
      const s = sampleAt(p, "pod/app", 0, t, 10_000);
      expect(s.cpuMillis).toBeLessThanOrEqual(500);
      expect(s.cpuThrottledMs).toBeGreaterThan(0);
    }
  });

  it("clamps absurd demand to what a node has: every figure finite and bounded", () => {
    const absurd = ["1e308", "-1e308", "NaN", "Infinity", "-5", "99999999999999999999"];
    const limitsCases = [{}, { cpu: "500m", memory: "512Mi" }];
    for (const v of absurd) {
      for (const limits of limitsCases) {
        for (const SIM_PROFILE of ["steady", "periodic", "bursty", "leak"]) {
          const p = profileOf(spec({ SIM_PROFILE, SIM_CPU: v, SIM_MEMORY: `${v}Ti`, SIM_LEAK_RATE: `${v}Ti` }, limits));
          for (const t of [10_000, 3_600_000, 90 * 86_400_000]) {
            const s = sampleAt(p, "pod/app", 0, t, 10_000);
            for (const [field, value] of Object.entries(s)) {
              expect(Number.isFinite(value), `${v} ${SIM_PROFILE} ${field}`).toBe(true);
              expect(value, `${v} ${SIM_PROFILE} ${field}`).toBeGreaterThanOrEqual(0);
              expect(value, `${v} ${SIM_PROFILE} ${field}`).toBeLessThan(1e12);
            }
            expect(s.cpuMillis).toBeLessThanOrEqual(limits.cpu ? 500 : MAX_NODE_CPU_MILLIS);
            expect(s.memoryWorkingSetBytes).toBeLessThanOrEqual(limits.memory ? 512 * 2 ** 20 : MAX_NODE_MEMORY_BYTES);
          }
        }
      }
    }
    expect(profileOf(spec({ SIM_CPU: "1e308" })).cpuDemandMillis).toBe(MAX_NODE_CPU_MILLIS);
  });

  it("stays near its demand within noise when steady", () => {
    const p = profileOf(spec({ SIM_CPU: "300" }));
    const values = Array.from({ length: 60 }, (_, i) => sampleAt(p, "k", 0, (i + 1) * 10_000, 10_000).cpuMillis);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(270);
    expect(Math.max(...values)).toBeLessThanOrEqual(330);
  });

  it("leaks memory until the limit, and knows when that happens", () => {
    const p = profileOf(spec({ SIM_PROFILE: "leak", SIM_MEMORY: "100Mi", SIM_LEAK_RATE: "10Mi" }, { memory: "200Mi" }));
    // 100 Mi of room at 10 Mi per minute: ten minutes
    expect(oomKillAfterMs(p)).toBe(600_000);
    expect(sampleAt(p, "k", 0, 300_000, 10_000).memoryWorkingSetBytes).toBeGreaterThan(140 * 2 ** 20);
    expect(oomKillAfterMs(profileOf(spec({ SIM_PROFILE: "leak" })))).toBeUndefined();
  });
});

describe("OOM kill in the simulated runtime", () => {
  it("kills a leaking container at its memory limit with 137 and an event, then restarts it", async () => {
    const { engine } = await startHarness();
    await engine.createNodePool("t", {
      name: "p",
      machineType: "4c8g",
      minSize: 1,
      maxSize: 1,
      trimmedImage: true,
      staticIp: true,
    });
    await engine.createDeployment("t", {
      name: "leaky",
      replicas: 1,
      template: {
        spec: {
          containers: [
            {
              name: "app",
              image: "busybox:1",
              env: [
                { name: "SIM_PROFILE", value: "leak" },
                { name: "SIM_MEMORY", value: "100Mi" },
                { name: "SIM_LEAK_RATE", value: "50Mi" },
              ],
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "200Mi" } },
            },
          ],
        },
      },
    });
    await engine.runFor(5 * 60_000);
    const pod = engine.listPods("t", { deployment: "leaky" }).items[0];
    const status = pod?.status.containerStatuses[0];
    expect(status?.restartCount).toBeGreaterThanOrEqual(1);
    expect(status?.lastTerminationReason).toBe("OOMKilled");
    const events = engine.listEvents("t", { limit: 100 }).items.map((e) => e.reason);
    expect(events).toContain("OOMKilled");
  });
});
