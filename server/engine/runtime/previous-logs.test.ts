/**
 * The simulated runtime keeps each restarted container's last terminated instance's log (what
 * `kubectl logs --previous` reads), one instance back and within the same line budget as the
 * current log; a container that never restarted has none.
 */
import { describe, expect, it } from "vitest";
import type { CreateDeploymentInput } from "../api/deployment-commands";
import { createEngine } from "../api/engine";
import type { ContainerStatus, Pod } from "../kinds/types";
import { createVirtualClock } from "../queue/clock";
import { createRng } from "../queue/rng";
import { createMemoryStore } from "../store/store";
import { livePods } from "../test-kit";
import type { RuntimePort } from "./runtime";
import { createSimulatedRuntime } from "./simulated-runtime";

const T = "tenant-a";
const LOG_LINES = 6;

type Container = CreateDeploymentInput["template"]["spec"]["containers"][number];

async function world(container: Partial<Container>) {
  const clock = createVirtualClock(Date.UTC(2026, 0, 1));
  const runtime = createSimulatedRuntime({ logLines: LOG_LINES });
  const engine = createEngine({ store: createMemoryStore(), clock, rng: createRng(42), runtime });
  await engine.start();
  await engine.ensureTenantNamespace(T, "acme");
  await engine.createNodePool(T, { name: "pool", machineType: "8c16g", minSize: 1, maxSize: 1 });
  await engine.settle();
  await engine.createDeployment(T, {
    name: "app",
    replicas: 1,
    template: {
      labels: { app: "app" },
      spec: {
        containers: [
          {
            name: "app",
            image: "nginx:1.27",
            ports: [{ name: "http", containerPort: 80 }],
            resources: { requests: { cpu: "250m", memory: "256Mi" } },
            ...container,
          },
        ],
      },
    },
  });
  return { engine, runtime };
}

type World = Awaited<ReturnType<typeof world>>;
const pod = (w: World) => livePods(w.engine, T, "app")[0] as Pod;
const status = (w: World) => pod(w).status.containerStatuses[0] as ContainerStatus;
const logs = (runtime: RuntimePort, p: Pod, previous = false) => runtime.getLogs(p.id, "app", { previous });
const running = (c: ContainerStatus) => "running" in c.state;

describe("previous container logs", () => {
  it("a container restarted by a failing liveness probe keeps its terminated instance's log", async () => {
    const w = await world({
      env: [{ name: "SIM_LIVENESS_FAIL_AFTER_SECONDS", value: "30" }],
      livenessProbe: { exec: { command: ["cat", "/tmp/healthy"] }, periodSeconds: 5 },
    });
    await w.engine.runFor(50_000);
    // Killed at 40 s, waiting out its back-off: current and previous are that terminated instance.
    expect(status(w)).toMatchObject({ restartCount: 0, lastTerminationReason: "Error" });
    const terminated = logs(w.runtime, pod(w));
    expect(terminated.at(-1)).toMatch(/process exited with code 137$/);
    expect(logs(w.runtime, pod(w), true)).toEqual(terminated);
    await w.engine.runFor(10_000);
    expect(status(w).restartCount).toBe(1);
    expect(running(status(w))).toBe(true);
    // The new instance logs afresh; the previous one is the killed instance's.
    expect(logs(w.runtime, pod(w))).toEqual([
      expect.stringMatching(/starting nginx:1\.27$/),
      expect.stringMatching(/listening on :80\/TCP$/),
    ]);
    expect(logs(w.runtime, pod(w), true)).toEqual(terminated);
  });

  it("a crashing container's previous log is one instance back, within the line budget", async () => {
    const w = await world({ image: "myapp:crash" });
    await w.engine.runFor(600_000);
    const c = status(w);
    expect(c.restartCount).toBeGreaterThanOrEqual(3);
    const previous = logs(w.runtime, pod(w), true);
    expect(previous.length).toBeGreaterThan(0);
    expect(previous.length).toBeLessThanOrEqual(LOG_LINES);
    // One instance: a single start line and a single exit line, nothing of the instances before.
    expect(previous.filter((l) => l.includes("starting myapp:crash"))).toHaveLength(1);
    expect(previous.at(-1)).toMatch(/process exited with code 1$/);
    expect(logs(w.runtime, pod(w)).filter((l) => l.includes("starting myapp:crash"))).toHaveLength(1);
  });

  it("a container that never restarted has no previous log", async () => {
    const w = await world({});
    await w.engine.runFor(120_000);
    expect(status(w)).toMatchObject({ restartCount: 0 });
    expect(running(status(w))).toBe(true);
    expect(logs(w.runtime, pod(w)).length).toBeGreaterThan(0);
    expect(logs(w.runtime, pod(w), true)).toEqual([]);
  });

  it("the current log keeps the budget too", async () => {
    const w = await world({ image: "myapp:crash" });
    await w.engine.runFor(60_000);
    for (const previous of [false, true])
      expect(logs(w.runtime, pod(w), previous).length).toBeLessThanOrEqual(LOG_LINES);
  });
});
