/**
 * The health derivation, driven through the engine on the virtual clock: each case is a
 * real deployment whose pods crash, cannot pull, cannot be scheduled, roll out, scale or
 * pause, read through the same views the API serves.
 */
import { describe, expect, it } from "vitest";
import type { Pod } from "../engine";
import { startHarness, webDeployment, type Harness } from "../engine/test-kit";
import {
  BACKOFF_RESET_MS,
  deploymentHealth,
  type Health,
  isUnhealthy,
  podHealth,
  UNSCHEDULABLE_GRACE_MS,
} from "./health";
import { getDeploymentWithPods, listDeploymentsWithHealth, listPodsWithHealth } from "./views";

const T = "tenant-h";

async function world(machineType: "2c4g" | "4c8g" = "4c8g", nodes = 1): Promise<Harness> {
  const h = await startHarness();
  await h.engine.createNodePool(T, { name: "pool", machineType, minSize: nodes, maxSize: nodes });
  await h.engine.settle();
  return h;
}

const detail = (h: Harness, name = "web") => getDeploymentWithPods(h.engine, T, name, h.clock.now());
const healthOf = (h: Harness, name = "web") => detail(h, name).health;

describe("deployment and pod health, through the engine", () => {
  it("available: every pod running and ready", async () => {
    const h = await world();
    await h.engine.createDeployment(T, webDeployment("web", 2));
    await h.engine.settle();
    const d = detail(h);
    expect(d.health).toMatchObject({ state: "Available", reason: "NewReplicaSetAvailable" });
    expect(d.pods.map((p) => p.health)).toEqual([
      { state: "Available", reason: "Running", message: "" },
      { state: "Available", reason: "Running", message: "" },
    ]);
  });

  it("crash loop: Degraded with the back-off reason from the first crash on, never green again", async () => {
    const h = await world();
    await h.engine.createDeployment(T, webDeployment("web", 2, "myapp:crash"));
    await h.engine.settle(10_000);
    const seen = new Set<string>();
    let crashed = false;
    await h.engine.runFor(20 * 60_000, () => {
      const d = detail(h);
      crashed ||= d.pods.some((p) => p.status.containerStatuses.some((c) => c.lastTerminationReason !== undefined));
      if (!crashed) return;
      seen.add(`${d.health.state}:${d.health.reason}`);
      for (const p of d.pods)
        if (p.deletionTimestamp === undefined) expect(p.health.state, p.health.reason).toBe("Degraded");
    });
    expect(crashed).toBe(true);
    // Between crashes the container runs for 2 s: still in its back-off, not Available.
    expect([...seen].sort()).toEqual(["Degraded:BackOff", "Degraded:CrashLoopBackOff"]);
    const d = detail(h);
    const waiting = d.pods.find((p) => p.health.reason === "CrashLoopBackOff");
    expect(waiting?.health.message).toMatch(/^back-off \d+s restarting failed container=app pod=web-/);
    // The list and the pods page say the same as the detail.
    expect(listDeploymentsWithHealth(h.engine, T, {}, h.clock.now()).items[0]?.health).toEqual(d.health);
    expect(listPodsWithHealth(h.engine, T, {}, h.clock.now()).items.map((p) => p.health)).toEqual(
      d.pods.map((p) => p.health),
    );
  });

  it("image pull failure: Degraded with the pull error", async () => {
    const h = await world();
    await h.engine.createDeployment(T, webDeployment("web", 1, "nginx:missing"));
    await h.engine.runFor(30_000);
    const health = healthOf(h);
    expect(health.state).toBe("Degraded");
    expect(["ErrImagePull", "ImagePullBackOff"]).toContain(health.reason);
    expect(health.cause).toMatchObject({ pods: 1, pod: expect.stringMatching(/^web-/) });
    expect(health.message).toMatch(/nginx:missing/);
  });

  it("unschedulable: Progressing with the scheduler's message for a grace period (a VM may boot), then Degraded", async () => {
    const h = await world("2c4g");
    await h.engine.createDeployment(T, {
      ...webDeployment("web", 1),
      template: {
        spec: {
          containers: [{ name: "app", image: "nginx:1.27", resources: { requests: { cpu: "3", memory: "256Mi" } } }],
        },
      },
    });
    await h.engine.runFor(5_000);
    const early = healthOf(h);
    expect(early.state).toBe("Progressing");
    expect(early.cause).toMatchObject({
      reason: "Unschedulable",
      message: expect.stringMatching(/^0\/1 nodes are available: 1 Insufficient cpu/),
      pods: 1,
    });
    await h.engine.runFor(UNSCHEDULABLE_GRACE_MS);
    const late = healthOf(h);
    expect(late).toMatchObject({
      state: "Degraded",
      reason: "Unschedulable",
      message: expect.stringMatching(/Insufficient cpu/),
    });
    expect(detail(h).pods[0]?.health.state).toBe("Degraded");
  });

  it("deadline exceeded: Failed, with what blocked the rollout", async () => {
    const h = await world("2c4g");
    const big = { name: "app", image: "nginx:1.27", resources: { requests: { cpu: "3", memory: "256Mi" } } };
    await h.engine.createDeployment(T, {
      ...webDeployment("web", 1),
      progressDeadlineSeconds: 60,
      template: { spec: { containers: [big] } },
    });
    await h.engine.runFor(UNSCHEDULABLE_GRACE_MS + 10_000);
    const health = healthOf(h);
    expect(detail(h).status.conditions.find((c) => c.type === "Progressing")?.reason).toBe("ProgressDeadlineExceeded");
    expect(health).toMatchObject({
      state: "Failed",
      reason: "ProgressDeadlineExceeded",
      message: expect.stringContaining("has timed out progressing"),
    });
    expect(health.cause).toMatchObject({ reason: "Unschedulable", pods: 1 });
  });

  it("rollout in progress: Progressing while pods are replaced, Available when done", async () => {
    const h = await world("4c8g", 2);
    await h.engine.createDeployment(T, webDeployment("web", 4));
    await h.engine.settle();
    await h.engine.updateDeployment(T, "web", { template: webDeployment("web", 4, "nginx:1.28").template });
    const states = new Set<string>();
    await h.engine.runFor(60_000, () => states.add(healthOf(h).state));
    expect(states.has("Progressing")).toBe(true);
    expect([...states].every((s) => s === "Progressing" || s === "Available")).toBe(true);
    expect(healthOf(h).state).toBe("Available");
  });

  it("scaled to zero, and paused", async () => {
    const h = await world();
    await h.engine.createDeployment(T, webDeployment("web", 2));
    await h.engine.settle();
    await h.engine.pauseDeployment(T, "web");
    await h.engine.settle();
    expect(healthOf(h)).toMatchObject({ state: "Paused", reason: "DeploymentPaused" });
    await h.engine.resumeDeployment(T, "web");
    await h.engine.scaleDeployment(T, "web", 0);
    await h.engine.settle();
    expect(healthOf(h)).toEqual({ state: "ScaledToZero", reason: "ScaledToZero", message: "" });
  });

  it("a pod on a node that stopped answering is Degraded: NodeNotReady", async () => {
    const h = await world();
    await h.engine.createDeployment(T, webDeployment("web", 1));
    await h.engine.settle();
    const node = h.engine.listNodes(T).items[0];
    if (!node) throw new Error("no node");
    await h.engine.injectNodeFailure(node.id);
    await h.engine.runFor(60_000);
    expect(healthOf(h)).toMatchObject({ state: "Degraded", reason: "NodeNotReady" });
  });
});

describe("health rules on hand-made status", () => {
  const now = 1_000_000;
  const base: Pod = {
    kind: "Pod",
    id: "p1",
    tenantId: T,
    name: "web-abc-1",
    namespace: "default",
    labels: {},
    annotations: {},
    generation: 1,
    nodeId: "n1",
    nodeName: "n1",
    spec: { containers: [], restartPolicy: "Always", terminationGracePeriodSeconds: 30, nodeSelector: {} },
    requests: { cpuMillis: 0, memoryBytes: 0 },
    status: {
      phase: "Running",
      conditions: [],
      containerStatuses: [
        { name: "app", image: "x", state: { running: { startedAt: now - 1000 } }, ready: true, restartCount: 0 },
      ],
    },
    createdAt: 0,
    resourceVersion: 1,
  };
  const pod = (patch: Partial<Pod>): Pod => ({ ...base, ...patch });
  const running = (startedAt: number, restartCount: number) =>
    pod({
      status: {
        ...base.status,
        containerStatuses: [
          {
            name: "app",
            image: "x",
            state: { running: { startedAt } },
            ready: true,
            restartCount,
            lastTerminationReason: "Error",
          },
        ],
      },
    });

  it("a restarted container is in back-off until it has run for the kubelet's reset period", () => {
    expect(podHealth(running(now - 1000, 3), { now }).state).toBe("Degraded");
    expect(podHealth(running(now - BACKOFF_RESET_MS, 3), { now })).toEqual({
      state: "Available",
      reason: "Running",
      message: "",
    });
  });

  it("terminating and finished pods", () => {
    expect(podHealth(pod({ deletionTimestamp: now }), { now }).state).toBe("Terminating");
    expect(podHealth(pod({ status: { ...base.status, phase: "Succeeded" } }), { now }).state).toBe("Succeeded");
    const failed = pod({
      status: {
        ...base.status,
        phase: "Failed",
        containerStatuses: [
          {
            name: "app",
            image: "x",
            state: { terminated: { reason: "OOMKilled", exitCode: 137, finishedAt: now } },
            ready: false,
            restartCount: 0,
          },
        ],
      },
    });
    expect(podHealth(failed, { now })).toMatchObject({ state: "Failed", reason: "OOMKilled" });
    expect(isUnhealthy(podHealth(failed, { now }))).toBe(true);
  });

  it("a replica set refused pods (FailedCreate) while pods are missing: Degraded with the refusal", () => {
    const d = {
      generation: 1,
      spec: { ...webDeployment().template, replicas: 3, paused: false } as never,
      status: {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
        unavailableReplicas: 2,
        currentRevision: 1,
        conditions: [],
      },
    };
    const ok: Health = { state: "Available", reason: "Running", message: "" };
    const message =
      'Error creating: pods "web-abc-" is forbidden: exceeded quota: tenant-quota, requested: pods=1, used: pods=1, limited: pods=1';
    expect(
      deploymentHealth(d, { now, pods: [{ name: "web-abc-1", health: ok }], replicaFailure: { message } }),
    ).toMatchObject({ state: "Degraded", reason: "FailedCreate", message, cause: { pods: 2 } });
    expect(deploymentHealth(d, { now, pods: [{ name: "web-abc-1", health: ok }] }).state).toBe("Progressing");
  });
});
