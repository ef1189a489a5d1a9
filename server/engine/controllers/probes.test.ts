import { describe, expect, it } from "vitest";
import type { CreateDeploymentInput } from "../api/deployment-commands";
import { onPodSourceChange } from "../kinds/pod-sources";
import type { ContainerStatus, Pod } from "../kinds/types";
import { type Harness, livePods, startHarness } from "../test-kit";

const T = "tenant-a";

type Container = CreateDeploymentInput["template"]["spec"]["containers"][number];

async function world(): Promise<Harness> {
  const h = await startHarness();
  await h.engine.ensureTenantNamespace(T, "acme");
  await h.engine.createNodePool(T, { name: "pool", machineType: "8c16g", minSize: 3, maxSize: 3 });
  await h.engine.settle();
  return h;
}

function app(
  container: Partial<Container>,
  extra: Partial<CreateDeploymentInput> = {},
  spec = {},
): CreateDeploymentInput {
  return {
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
        ...spec,
      },
    },
    ...extra,
  };
}

const first = (h: Harness): Pod | undefined => livePods(h.engine, T, "app")[0];
const ctr = (h: Harness): ContainerStatus | undefined => first(h)?.status.containerStatuses[0];
const events = (h: Harness, p: Pod) => h.engine.listEvents(T, { objectName: p.name }).items;
const startedAt = (c: ContainerStatus | undefined) =>
  c && "running" in c.state ? c.state.running.startedAt : undefined;

describe("readiness probes", () => {
  it("gate a container's ready, the pod's Ready condition and availability", async () => {
    const h = await world();
    await h.engine.createDeployment(
      T,
      app({
        env: [{ name: "SIM_READY_AFTER_SECONDS", value: "20" }],
        readinessProbe: {
          httpGet: { path: "/", port: "http" },
          initialDelaySeconds: 5,
          periodSeconds: 10,
          successThreshold: 2,
        },
      }),
    );
    let start: number | undefined;
    let readyAt: number | undefined;
    await h.engine.runFor(120_000, () => {
      const c = ctr(h);
      start ??= startedAt(c);
      if (c?.ready && readyAt === undefined) {
        readyAt = h.clock.now();
        expect(first(h)?.status.conditions.find((x) => x.type === "Ready")?.status).toBe("True");
      }
      if (start !== undefined && readyAt === undefined) {
        expect(first(h)?.status.phase).toBe("Running");
        expect(h.engine.getDeployment(T, "app").status.availableReplicas).toBe(0);
      }
    });
    // Probes at 5 + 10k s: failing at 15 s, passing from 25 s; two passes needed: ready at 35 s.
    expect((readyAt ?? 0) - (start ?? 0)).toBe(35_000);
    expect(h.engine.getDeployment(T, "app").status.availableReplicas).toBe(1);
    const unhealthy = events(h, first(h) as Pod).find((e) => e.reason === "Unhealthy");
    expect(unhealthy).toMatchObject({
      type: "Warning",
      message: "Readiness probe failed: HTTP probe failed with statuscode: 503",
    });
  });

  it("a new revision that never gets ready stalls the rollout: old pods stay, Available stays, Progressing times out", async () => {
    const h = await world();
    const probe = { httpGet: { path: "/", port: "http" }, periodSeconds: 5 };
    await h.engine.createDeployment(T, app({ readinessProbe: probe }, { replicas: 4, progressDeadlineSeconds: 120 }));
    await h.engine.runFor(60_000);
    expect(h.engine.getDeployment(T, "app").status.availableReplicas).toBe(4);
    const oldHash = first(h)?.templateHash;
    await h.engine.updateDeployment(T, "app", {
      template: app({
        image: "nginx:1.28",
        readinessProbe: probe,
        env: [{ name: "SIM_READY_AFTER_SECONDS", value: "never" }],
      }).template,
    });
    await h.engine.runFor(300_000, () => {
      const d = h.engine.getDeployment(T, "app");
      // 4 replicas, maxUnavailable 25 %: never fewer than 3 available, never more than 5 pods.
      expect(d.status.availableReplicas).toBeGreaterThanOrEqual(3);
      expect(livePods(h.engine, T, "app").length).toBeLessThanOrEqual(5);
      expect(d.status.conditions.find((c) => c.type === "Available")?.status).toBe("True");
    });
    const d = h.engine.getDeployment(T, "app");
    const pods = livePods(h.engine, T, "app");
    expect(pods.filter((p) => p.templateHash === oldHash).length).toBe(3);
    const fresh = pods.filter((p) => p.templateHash !== oldHash);
    expect(fresh.length).toBe(2);
    expect(fresh.every((p) => p.status.phase === "Running" && !p.status.containerStatuses[0]?.ready)).toBe(true);
    expect(d.status.conditions.find((c) => c.type === "Progressing")).toMatchObject({
      status: "False",
      reason: "ProgressDeadlineExceeded",
    });
  });
});

describe("liveness probes", () => {
  it("failing failureThreshold times restart the container: Unhealthy, Killing, back-off as a crash loop", async () => {
    const h = await world();
    await h.engine.createDeployment(
      T,
      app({
        env: [{ name: "SIM_LIVENESS_FAIL_AFTER_SECONDS", value: "30" }],
        livenessProbe: { exec: { command: ["cat", "/tmp/healthy"] }, periodSeconds: 5 },
      }),
    );
    const starts: number[] = [];
    await h.engine.runFor(200_000, () => {
      const s = startedAt(ctr(h));
      if (s !== undefined && !starts.includes(s)) starts.push(s);
    });
    // Fails from 30 s: probes at 30, 35, 40 s kill it at 40 s; restarts after 10 s, then 20 s.
    const gaps = starts.slice(1).map((s, i) => (s - (starts[i] as number)) / 1000);
    expect(gaps.slice(0, 2)).toEqual([50, 60]);
    const c = ctr(h) as ContainerStatus;
    expect(c.restartCount).toBeGreaterThanOrEqual(2);
    expect(c.lastTerminationReason).toBe("Error");
    const evs = events(h, first(h) as Pod);
    expect(evs.find((e) => e.reason === "Unhealthy")).toMatchObject({
      type: "Warning",
      message: 'Liveness probe failed: command "cat /tmp/healthy" exited with 1',
    });
    expect(evs.find((e) => e.reason === "Unhealthy")?.count).toBeGreaterThanOrEqual(6);
    expect(evs.find((e) => e.reason === "Killing")?.message).toBe(
      "Container app failed liveness probe, will be restarted",
    );
    expect(evs.some((e) => e.reason === "BackOff")).toBe(true);
  });

  it("a passing one changes nothing", async () => {
    const h = await world();
    await h.engine.createDeployment(T, app({ livenessProbe: { tcpSocket: { port: "http" } } }));
    await h.engine.runFor(600_000);
    expect(ctr(h)).toMatchObject({ ready: true, restartCount: 0 });
    expect(events(h, first(h) as Pod).some((e) => e.reason === "Unhealthy")).toBe(false);
  });
});

describe("startup probes", () => {
  it("hold readiness and liveness until they pass", async () => {
    const h = await world();
    await h.engine.createDeployment(
      T,
      app({
        env: [
          { name: "SIM_STARTUP_AFTER_SECONDS", value: "45" },
          { name: "SIM_LIVENESS_FAIL_AFTER_SECONDS", value: "0" },
        ],
        startupProbe: { httpGet: { path: "/healthz", port: 80 }, periodSeconds: 10, failureThreshold: 30 },
        readinessProbe: { httpGet: { path: "/ready", port: 80 }, periodSeconds: 5 },
        livenessProbe: { httpGet: { path: "/live", port: 80 }, periodSeconds: 10 },
      }),
    );
    let start: number | undefined;
    let startedFlagAt: number | undefined;
    let readyAt: number | undefined;
    let killedAt: number | undefined;
    await h.engine.runFor(200_000, () => {
      const c = ctr(h);
      start ??= startedAt(c);
      if (c?.started && startedFlagAt === undefined) startedFlagAt = h.clock.now();
      if (c?.ready && readyAt === undefined) readyAt = h.clock.now();
      if (c?.restartCount === 0 && c.state && "terminated" in c.state) killedAt ??= h.clock.now();
      if (c && killedAt === undefined && start !== undefined && "waiting" in c.state) killedAt = h.clock.now();
    });
    const s = start ?? 0;
    // Startup passes at 50 s (probes every 10 s, failing until 45 s); readiness next at 55 s;
    // liveness counts only after 50 s: fails at 60, 70, 80 s and restarts the container at 80 s.
    expect((startedFlagAt ?? 0) - s).toBe(50_000);
    expect((readyAt ?? 0) - s).toBe(55_000);
    expect((killedAt ?? 0) - s).toBe(80_000);
    const evs = events(h, first(h) as Pod).map((e) => e.message);
    expect(evs).toContain("Startup probe failed: HTTP probe failed with statuscode: 503");
  });

  it("that never passes restarts the container after failureThreshold failures", async () => {
    const h = await world();
    await h.engine.createDeployment(
      T,
      app({
        env: [{ name: "SIM_STARTUP_AFTER_SECONDS", value: "never" }],
        startupProbe: { tcpSocket: { port: 80 }, periodSeconds: 10, failureThreshold: 3 },
      }),
    );
    await h.engine.runFor(45_000);
    const c = ctr(h) as ContainerStatus;
    expect(c.ready).toBe(false);
    expect(c.lastTerminationReason).toBe("Error");
    expect(events(h, first(h) as Pod).find((e) => e.reason === "Killing")?.message).toBe(
      "Container app failed startup probe, will be restarted",
    );
  });
});

describe("ConfigMaps and Secrets a pod needs", () => {
  it("a missing env source: CreateContainerConfigError and a Failed warning, then Running once it exists", async () => {
    const h = await world();
    await h.engine.createDeployment(
      T,
      app({
        env: [
          { name: "SIM_EXIT", valueFrom: { configMapKeyRef: { name: "app-config", key: "exit" } } },
          { name: "SIM_RUN_SECONDS", value: "5" },
          { name: "OPTIONAL", valueFrom: { secretKeyRef: { name: "nope", key: "k", optional: true } } },
        ],
      }),
    );
    await h.engine.runFor(30_000);
    const p = first(h) as Pod;
    expect(p.status.phase).toBe("Pending");
    expect(ctr(h)?.state).toEqual({
      waiting: { reason: "CreateContainerConfigError", message: 'configmap "app-config" not found' },
    });
    expect(events(h, p).find((e) => e.reason === "Failed")).toMatchObject({
      type: "Warning",
      message: 'Error: configmap "app-config" not found',
    });
    // A key missing from it is said as the kubelet says it.
    await h.engine.createConfigMap(T, { name: "app-config", data: { other: "1" } });
    await h.engine.runFor(11_000);
    expect(ctr(h)?.state).toMatchObject({
      waiting: { message: "couldn't find key exit in ConfigMap acme/app-config" },
    });
    // The value comes from the ConfigMap: SIM_EXIT=1 after 5 s makes it crash, proving the env is resolved.
    await h.engine.replaceConfigMap(T, { name: "app-config", data: { exit: "1" } });
    let ran = false;
    await h.engine.runFor(30_000, () => {
      if (startedAt(ctr(h)) !== undefined) ran = true;
    });
    expect(ran).toBe(true);
    expect(ctr(h)?.lastTerminationReason).toBe("Error");
  });

  it("a missing volume source: ContainerCreating with FailedMount; the informer hook starts it at once", async () => {
    const h = await world();
    await h.engine.createDeployment(
      T,
      app(
        { volumeMounts: [{ name: "config", mountPath: "/etc/app" }] },
        {},
        { volumes: [{ name: "config", secret: { secretName: "app-secret" } }] },
      ),
    );
    await h.engine.settle();
    const p = first(h) as Pod;
    expect(p.status.phase).toBe("Pending");
    expect(ctr(h)?.state).toEqual({ waiting: { reason: "ContainerCreating" } });
    expect(events(h, p).find((e) => e.reason === "FailedMount")).toMatchObject({
      type: "Warning",
      message: 'MountVolume.SetUp failed for volume "config" : secret "app-secret" not found',
    });
    const s = await h.engine.createSecret(T, { name: "app-secret", stringData: { token: "t" } });
    // What the Secret kind's onChange does (kinds/pod-sources.ts): the waiting pod tries again now.
    onPodSourceChange(h.engine.internals.ctx, undefined, s);
    const t0 = h.clock.now();
    await h.engine.settle();
    expect(first(h)?.status.phase).toBe("Running");
    expect(h.clock.now() - t0).toBeLessThan(10_000);
  });

  it("a volume's items must name keys of its ConfigMap", async () => {
    const h = await world();
    await h.engine.createConfigMap(T, { name: "cfg", data: { a: "1" } });
    await h.engine.createDeployment(
      T,
      app({}, {}, { volumes: [{ name: "v", configMap: { name: "cfg", items: [{ key: "b", path: "b.txt" }] } }] }),
    );
    await h.engine.settle();
    expect(events(h, first(h) as Pod).find((e) => e.reason === "FailedMount")?.message).toBe(
      'MountVolume.SetUp failed for volume "v" : configmap references non-existent config key: b',
    );
  });
});

describe("Recreate", () => {
  it("stops every old pod before a new one starts, and reports availability as Kubernetes does", async () => {
    const h = await world();
    await h.engine.createDeployment(T, app({}, { replicas: 3, strategy: { type: "Recreate" } }));
    await h.engine.settle();
    const oldHash = first(h)?.templateHash;
    expect(livePods(h.engine, T, "app").filter((p) => p.status.phase === "Running").length).toBe(3);
    await h.engine.updateDeployment(T, "app", { template: app({ image: "nginx:1.28" }).template });
    let sawUnavailable = false;
    let sawNew = false;
    await h.engine.runFor(120_000, () => {
      // Every pod the engine holds, Terminating ones included.
      const all = h.engine
        .listPods(T, { deployment: "app", limit: 100 })
        .items.filter((p) => p.status.phase !== "Succeeded" && p.status.phase !== "Failed");
      const old = all.filter((p) => p.templateHash === oldHash);
      const fresh = all.filter((p) => p.templateHash !== oldHash);
      expect(old.length > 0 && fresh.length > 0, `t=${h.clock.now()} old=${old.length} new=${fresh.length}`).toBe(
        false,
      );
      if (fresh.length > 0) sawNew = true;
      const avail = h.engine.getDeployment(T, "app").status.conditions.find((c) => c.type === "Available");
      if (avail?.status === "False") sawUnavailable = true;
    });
    expect(sawNew).toBe(true);
    expect(sawUnavailable).toBe(true);
    const pods = livePods(h.engine, T, "app");
    expect(pods.length).toBe(3);
    expect(pods.every((p) => p.templateHash !== oldHash && p.status.phase === "Running")).toBe(true);
    const d = h.engine.getDeployment(T, "app");
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3, currentRevision: 2 });
    expect(d.status.conditions.find((c) => c.type === "Progressing")?.reason).toBe("NewReplicaSetAvailable");
    expect(d.status.conditions.find((c) => c.type === "Available")?.status).toBe("True");
  });
});

describe("minReadySeconds", () => {
  it("counts a pod available only once it has been ready that long", async () => {
    const h = await world();
    await h.engine.createDeployment(T, app({}, { minReadySeconds: 30 }));
    let readyAt: number | undefined;
    let availableAt: number | undefined;
    await h.engine.runFor(120_000, () => {
      if (ctr(h)?.ready) readyAt ??= h.clock.now();
      if (h.engine.getDeployment(T, "app").status.availableReplicas === 1) availableAt ??= h.clock.now();
    });
    expect(readyAt).toBeDefined();
    expect((availableAt ?? 0) - (readyAt ?? 0)).toBeGreaterThanOrEqual(30_000);
    expect((availableAt ?? 0) - (readyAt ?? 0)).toBeLessThan(31_000);
  });
});

describe("imagePullPolicy", () => {
  it("Never starts only an image already on the node", async () => {
    const h = await world();
    await h.engine.createDeployment(T, app({ image: "nginx:1.29", imagePullPolicy: "Never" }));
    await h.engine.settle();
    expect(ctr(h)?.state).toMatchObject({ waiting: { reason: "ErrImageNeverPull" } });
  });
});

describe("after an engine restart", () => {
  it("an adopted container keeps its probe schedule: ready on time, not restarted", async () => {
    const h = await world();
    await h.engine.createDeployment(
      T,
      app({
        env: [{ name: "SIM_READY_AFTER_SECONDS", value: "60" }],
        readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 10 },
      }),
    );
    await h.engine.runFor(30_000);
    const start = startedAt(ctr(h)) as number;
    expect(start).toBeDefined();
    expect(ctr(h)?.ready).toBe(false);
    await h.engine.stop();
    const next = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now(), seed: 7 });
    let readyAt: number | undefined;
    await next.engine.runFor(120_000, () => {
      if (ctr(next)?.ready) readyAt ??= next.clock.now();
    });
    expect(ctr(next)).toMatchObject({ restartCount: 0, ready: true });
    expect(startedAt(ctr(next))).toBe(start);
    // Probes at 10 s steps from the same start: the first passing one is at 60 s.
    expect((readyAt ?? 0) - start).toBe(60_000);
  });
});
