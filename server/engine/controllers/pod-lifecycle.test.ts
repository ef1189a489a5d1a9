import { describe, expect, it } from "vitest";
import { createVirtualClock } from "../queue/clock";
import { createRng } from "../queue/rng";
import { createSimulatedRuntime } from "../runtime/simulated-runtime";
import { createTimerSet } from "../queue/timers";
import { livePods, startHarness, webDeployment } from "../test-kit";
import type { Pod, PodStatus } from "../kinds/types";

const T = "t";
async function ready(image: string, env: { name: string; value: string }[] = []) {
  const h = await startHarness();
  await h.engine.createNodePool(T, { name: "p", machineType: "4c8g", minSize: 1, maxSize: 1 });
  await h.engine.settle();
  const d = webDeployment("app", 1, image);
  const c = d.template.spec.containers[0];
  if (c) c.env = env;
  await h.engine.createDeployment(T, d);
  return h;
}

describe("pod lifecycle", () => {
  it("pulls, creates and starts; the image cache makes the second pod start faster", async () => {
    const h = await ready("nginx:1.27");
    const t0 = h.clock.now();
    await h.engine.settle();
    const p = livePods(h.engine, T, "app")[0] as Pod;
    expect(p.status.phase).toBe("Running");
    const firstStart = (p.runningAt ?? 0) - t0;
    expect(firstStart).toBeGreaterThan(3_000);
    expect(firstStart).toBeLessThan(6_000);
    const reasons = h.engine.listEvents(T, { objectName: p.name }).items.map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(["Scheduled", "Pulling", "Pulled", "Created", "Started"]));
    const t1 = h.clock.now();
    await h.engine.scaleDeployment(T, "app", 2);
    await h.engine.settle();
    const second = livePods(h.engine, T, "app").find((x) => x.id !== p.id) as Pod;
    expect((second.runningAt ?? 0) - t1).toBeLessThan(1_000);
    expect(
      h.engine
        .listEvents(T, { objectName: second.name })
        .items.some((e) => e.message.includes("already present on machine")),
    ).toBe(true);
    expect(h.engine.getPodLogs(T, p.name).some((l) => l.includes("starting nginx:1.27"))).toBe(true);
  });

  it("CrashLoopBackOff: restarts after 10 s, 20 s, 40 s ... capped at 5 min", async () => {
    const h = await ready("myapp:crash");
    const starts: number[] = [];
    let lastRestarts = -1;
    let sawBackOff = false;
    await h.engine.runFor(1_500_000, () => {
      const p = livePods(h.engine, T, "app")[0];
      const c = p?.status.containerStatuses[0];
      if (!c) return;
      if ("running" in c.state && c.restartCount !== lastRestarts) {
        starts.push(c.state.running.startedAt);
        lastRestarts = c.restartCount;
      }
      if ("waiting" in c.state && c.state.waiting.reason === "CrashLoopBackOff") sawBackOff = true;
    });
    expect(sawBackOff).toBe(true);
    const gaps = starts.slice(1).map((s, i) => Math.round((s - (starts[i] as number)) / 1000));
    // each run lasts 2 s before the crash, then the back-off
    expect(gaps.slice(0, 7)).toEqual([12, 22, 42, 82, 162, 302, 302]);
    const p = livePods(h.engine, T, "app")[0] as Pod;
    expect(p.status.containerStatuses[0]?.lastTerminationReason).toBe("Error");
    expect(
      h.engine.listEvents(T, { objectName: p.name }).items.find((e) => e.reason === "BackOff")?.count,
    ).toBeGreaterThan(5);
  });

  it("back-off resets after 10 minutes of running", async () => {
    const h = await ready("myapp:1", [
      { name: "SIM_EXIT", value: "1" },
      { name: "SIM_RUN_SECONDS", value: "700" },
    ]);
    const starts: number[] = [];
    await h.engine.runFor(3_000_000, () => {
      const c = livePods(h.engine, T, "app")[0]?.status.containerStatuses[0];
      if (c && "running" in c.state && !starts.includes(c.state.running.startedAt))
        starts.push(c.state.running.startedAt);
    });
    const gaps = starts.slice(1).map((s, i) => Math.round((s - (starts[i] as number)) / 1000));
    expect(gaps.slice(0, 3)).toEqual([710, 710, 710]);
  });

  it("a missing image gives ErrImagePull then ImagePullBackOff", async () => {
    const h = await ready("nginx:missing");
    const reasons = new Set<string>();
    await h.engine.runFor(60_000, () => {
      const c = livePods(h.engine, T, "app")[0]?.status.containerStatuses[0];
      if (c && "waiting" in c.state) reasons.add(c.state.waiting.reason);
    });
    expect([...reasons]).toEqual(expect.arrayContaining(["ContainerCreating", "ImagePullBackOff"]));
    const p = livePods(h.engine, T, "app")[0] as Pod;
    expect(p.status.phase).toBe("Pending");
    const evs = h.engine.listEvents(T, { objectName: p.name }).items;
    expect(evs.find((e) => e.reason === "Failed")?.message).toMatch(/Failed to pull image "nginx:missing"/);
    expect(evs.find((e) => e.reason === "BackOff")?.message).toBe('Back-off pulling image "nginx:missing"');
  });

  it("a deleted pod is Terminating for its grace period, then gone; a replacement starts at once", async () => {
    const h = await ready("nginx:1.27");
    await h.engine.settle();
    const p = livePods(h.engine, T, "app")[0] as Pod;
    await h.engine.deletePod(T, p.name);
    await h.engine.runFor(29_000);
    expect(h.engine.getPod(T, p.id).deletionTimestamp).toBeDefined();
    const replacement = livePods(h.engine, T, "app");
    expect(replacement).toHaveLength(1);
    expect(replacement[0]?.status.phase).toBe("Running");
    await h.engine.runFor(1_000);
    expect(() => h.engine.getPod(T, p.id)).toThrow(/not found/);
    const q = replacement[0] as Pod;
    await h.engine.deletePod(T, q.name, { gracePeriodSeconds: 5 });
    await h.engine.runFor(5_000);
    expect(() => h.engine.getPod(T, q.id)).toThrow(/not found/);
  });
});

describe("simulated runtime (restart policies, exit codes)", () => {
  function run(restartPolicy: "Never" | "OnFailure" | "Always", code: string) {
    const clock = createVirtualClock(0);
    const timers = createTimerSet(clock);
    const statuses: PodStatus[] = [];
    const rt = createSimulatedRuntime();
    rt.attach({
      clock,
      timers,
      rng: createRng(1),
      sink: { podStatus: (_id, s) => statuses.push(s), podEvent: () => undefined, heartbeat: () => undefined },
    });
    rt.startNode({ id: "n1" } as never);
    const pod = {
      id: "p1",
      name: "p1",
      nodeId: "n1",
      spec: {
        restartPolicy,
        terminationGracePeriodSeconds: 30,
        nodeSelector: {},
        containers: [
          {
            name: "c",
            image: "busybox:1",
            env: [
              { name: "SIM_EXIT", value: code },
              { name: "SIM_RUN_SECONDS", value: "3" },
            ],
            ports: [],
            resources: { requests: { cpu: "1", memory: "1Mi" }, limits: {} },
          },
        ],
      },
      status: { phase: "Pending", conditions: [], containerStatuses: [] },
    } as unknown as Pod;
    rt.runPod(pod);
    clock.runUntilIdle(60_000);
    return statuses;
  }
  it("Never: a non-zero exit ends Failed with its exit code", () => {
    const last = run("Never", "3").at(-1);
    expect(last?.phase).toBe("Failed");
    expect(last?.containerStatuses[0]?.state).toMatchObject({ terminated: { reason: "Error", exitCode: 3 } });
  });
  it("OnFailure: exit 0 ends Succeeded (Completed)", () => {
    const last = run("OnFailure", "0").at(-1);
    expect(last?.phase).toBe("Succeeded");
    expect(last?.containerStatuses[0]?.state).toMatchObject({ terminated: { reason: "Completed", exitCode: 0 } });
  });
  it("exit 137 is OOMKilled; Always restarts it", () => {
    const s = run("Always", "137");
    expect(s.some((x) => x.containerStatuses[0]?.lastTerminationReason === "OOMKilled")).toBe(true);
    expect(s.at(-1)?.containerStatuses[0]?.restartCount).toBeGreaterThan(0);
  });
});
