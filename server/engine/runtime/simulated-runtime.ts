/**
 * Simulated node agent, driven entirely by the engine clock (no real processes).
 * Behaviour chosen by the pod spec:
 * - image pull: first pull of an image on a node takes `pullMs`, later ones are cached;
 *   tag `:missing` fails with ErrImagePull, then ImagePullBackOff with back-off retries;
 * - tag `:crash` exits 1 `crashAfterMs` after start; env SIM_EXIT=<code> exits with that
 *   code after SIM_RUN_SECONDS (default 0); 137 is reported as OOMKilled;
 *   SIM_CPU=<millis> sets modelled cpu usage; SIM_PROFILE=leak with a memory limit is
 *   OOM-killed (137) when its working set reaches the limit (workload-profile.ts);
 * - usage samples (cAdvisor-style) come from workload-profile.ts, deterministic per time;
 * - restartPolicy Always/OnFailure/Never; restarts wait 10 s doubling to 5 min
 *   (CrashLoopBackOff), reset after 10 min of running;
 * - logs: a ring buffer of the last `logLines` lines per container.
 * While a node is failed its agent sends nothing; on recovery it reports current state.
 */
import type { RuntimeContext, RuntimePort } from "./runtime";
import type { ContainerSpec, ContainerStatus, Node, Pod, PodPhase, Resources } from "../kinds/types";
import type { TimerHandle } from "../queue/clock";
import { setCondition } from "../scheduler/scheduler";
import { oomKillAfterMs, profileOf, sampleAt, type ContainerSample } from "./workload-profile";

export interface SimulatedRuntimeOptions {
  heartbeatMs?: number;
  pullMs?: number;
  startMs?: number;
  crashAfterMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  backoffResetMs?: number;
  logLines?: number;
}

interface Ctr {
  spec: ContainerSpec;
  status: ContainerStatus;
  backoff: number;
  startedAt?: number;
  final: boolean;
  logs: string[];
}
interface PodRec {
  pod: Pod;
  nodeId: string;
  ctrs: Ctr[];
  timers: Set<TimerHandle>;
  stopping: boolean;
}

export function imageTag(image: string): string {
  const name = image.split("@")[0] ?? image;
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  return colon > slash ? name.slice(colon + 1) : "latest";
}

export function createSimulatedRuntime(opts: SimulatedRuntimeOptions = {}): RuntimePort {
  const o = {
    heartbeatMs: 10_000,
    pullMs: 4_000,
    startMs: 500,
    crashAfterMs: 2_000,
    backoffBaseMs: 10_000,
    backoffMaxMs: 300_000,
    backoffResetMs: 600_000,
    logLines: 100,
    ...opts,
  };
  let ctx: RuntimeContext | undefined;
  const nodes = new Map<string, { failed: boolean; images: Set<string>; hb?: TimerHandle }>();
  const pods = new Map<string, PodRec>();
  const c = () => ctx as RuntimeContext;
  const now = () => c().clock.now();

  const later = (rec: PodRec, ms: number, fn: () => void) => {
    const h = c().timers.after(ms, () => {
      rec.timers.delete(h);
      if (!rec.stopping) fn();
    });
    rec.timers.add(h);
  };
  const log = (ctr: Ctr, line: string) => {
    ctr.logs.push(`${new Date(now()).toISOString()} ${line}`);
    if (ctr.logs.length > o.logLines) ctr.logs.shift();
  };
  const reachable = (rec: PodRec) => nodes.get(rec.nodeId)?.failed === false;
  const event = (rec: PodRec, type: "Normal" | "Warning", reason: string, msg: string) => {
    if (reachable(rec)) c().sink.podEvent(rec.pod.id, type, reason, msg);
  };
  const report = (rec: PodRec) => {
    if (!reachable(rec) || rec.stopping) return;
    let phase: PodPhase = "Running";
    if (rec.ctrs.every((x) => x.final))
      phase = rec.ctrs.every((x) => "terminated" in x.status.state && x.status.state.terminated.exitCode === 0)
        ? "Succeeded"
        : "Failed";
    else if (rec.ctrs.some((x) => x.startedAt === undefined && x.status.restartCount === 0)) phase = "Pending";
    const ready = rec.ctrs.every((x) => x.status.ready);
    const t = now();
    const conditions = setCondition(
      setCondition(rec.pod.status.conditions, "PodScheduled", "True", "", "", t),
      "Ready",
      ready ? "True" : "False",
      ready ? "" : "ContainersNotReady",
      "",
      t,
    );
    const reason = rec.ctrs
      .map((x) => ("waiting" in x.status.state ? x.status.state.waiting.reason : undefined))
      .find((r) => r !== undefined && r !== "ContainerCreating");
    const status = {
      phase,
      conditions,
      containerStatuses: rec.ctrs.map((x) => ({ ...x.status })),
      ...(reason ? { reason } : {}),
    };
    rec.pod = { ...rec.pod, status };
    c().sink.podStatus(rec.pod.id, status);
  };
  const backoffDelay = (ctr: Ctr) => Math.min(o.backoffMaxMs, o.backoffBaseMs * 2 ** ctr.backoff++);

  const pull = (rec: PodRec, ctr: Ctr) => {
    const node = nodes.get(rec.nodeId);
    const image = ctr.spec.image;
    if (node?.images.has(image)) {
      event(rec, "Normal", "Pulled", `Container image "${image}" already present on machine`);
      return later(rec, o.startMs, () => start(rec, ctr));
    }
    event(rec, "Normal", "Pulling", `Pulling image "${image}"`);
    later(rec, o.pullMs * (0.9 + 0.2 * c().rng.next()), () => {
      if (imageTag(image) === "missing") {
        event(
          rec,
          "Warning",
          "Failed",
          `Failed to pull image "${image}": manifest for ${image} not found: manifest unknown`,
        );
        ctr.status = {
          ...ctr.status,
          state: { waiting: { reason: "ErrImagePull", message: `manifest for ${image} not found` } },
        };
        report(rec);
        const delay = backoffDelay(ctr);
        ctr.status = {
          ...ctr.status,
          state: { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` } },
        };
        event(rec, "Normal", "BackOff", `Back-off pulling image "${image}"`);
        report(rec);
        return later(rec, delay, () => pull(rec, ctr));
      }
      node?.images.add(image);
      ctr.backoff = 0;
      event(rec, "Normal", "Pulled", `Successfully pulled image "${image}"`);
      later(rec, o.startMs, () => start(rec, ctr));
    });
  };

  const start = (rec: PodRec, ctr: Ctr) => {
    const t = now();
    event(rec, "Normal", "Created", `Created container ${ctr.spec.name}`);
    event(rec, "Normal", "Started", `Started container ${ctr.spec.name}`);
    ctr.startedAt = t;
    ctr.status = { ...ctr.status, state: { running: { startedAt: t } }, ready: true };
    log(ctr, `starting ${ctr.spec.image}${ctr.spec.command ? ` ${ctr.spec.command.join(" ")}` : ""}`);
    for (const p of ctr.spec.ports) log(ctr, `listening on :${p.containerPort}/${p.protocol}`);
    report(rec);
    scheduleExit(rec, ctr, 0);
  };

  const scheduleExit = (rec: PodRec, ctr: Ctr, alreadyRanMs: number) => {
    const env = new Map(ctr.spec.env.map((e) => [e.name, e.value]));
    let code: number | undefined;
    let after = 0;
    if (imageTag(ctr.spec.image) === "crash") {
      code = 1;
      after = o.crashAfterMs;
    } else if (env.has("SIM_EXIT")) {
      code = Number(env.get("SIM_EXIT")) || 0;
      after = Number(env.get("SIM_RUN_SECONDS") ?? 0) * 1000;
    }
    const oomAfter = oomKillAfterMs(profileOf(ctr.spec));
    if (oomAfter !== undefined && (code === undefined || oomAfter < after)) {
      code = 137;
      after = oomAfter;
    }
    if (code === undefined) return;
    const run = ctr.startedAt;
    // A timer of an earlier run (before a restart) must not end this one.
    later(rec, Math.max(0, after - alreadyRanMs), () => {
      if (ctr.startedAt === run && "running" in ctr.status.state) exit(rec, ctr, code as number);
    });
  };

  const exit = (rec: PodRec, ctr: Ctr, code: number) => {
    const t = now();
    const reason = code === 0 ? "Completed" : code === 137 ? "OOMKilled" : "Error";
    log(ctr, `process exited with code ${code}`);
    if (code === 137) {
      const limit = ctr.spec.resources.limits.memory;
      event(
        rec,
        "Warning",
        "OOMKilled",
        `Container ${ctr.spec.name} reached its memory limit${limit ? ` (${limit})` : ""} and was killed (exit code 137)`,
      );
    }
    if (ctr.startedAt !== undefined && t - ctr.startedAt >= o.backoffResetMs) ctr.backoff = 0;
    ctr.status = {
      ...ctr.status,
      state: { terminated: { reason, exitCode: code, finishedAt: t } },
      ready: false,
      lastTerminationReason: reason,
    };
    const policy = rec.pod.spec.restartPolicy;
    const restart = policy === "Always" || (policy === "OnFailure" && code !== 0);
    if (!restart) {
      ctr.final = true;
      return report(rec);
    }
    report(rec);
    const delay = backoffDelay(ctr);
    ctr.status = {
      ...ctr.status,
      state: {
        waiting: {
          reason: "CrashLoopBackOff",
          message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${ctr.spec.name} pod=${rec.pod.name}`,
        },
      },
    };
    event(rec, "Warning", "BackOff", `Back-off restarting failed container ${ctr.spec.name} in pod ${rec.pod.name}`);
    report(rec);
    later(rec, delay, () => {
      ctr.status = { ...ctr.status, restartCount: ctr.status.restartCount + 1 };
      start(rec, ctr);
    });
  };

  /** Samples of the pod's running containers for the interval ending now; undefined for an unknown pod. */
  const containerSamples = (podId: string, intervalMs: number) => {
    const rec = pods.get(podId);
    if (!rec) return undefined;
    const t = now();
    const out: { container: string; sample: ContainerSample }[] = [];
    for (const x of rec.ctrs) {
      if (!("running" in x.status.state) || x.startedAt === undefined) continue;
      out.push({
        container: x.spec.name,
        sample: sampleAt(profileOf(x.spec), `${podId}/${x.spec.name}`, x.startedAt, t, intervalMs),
      });
    }
    return out;
  };

  const heartbeat = (nodeId: string) => {
    const n = nodes.get(nodeId);
    if (!n) return;
    if (!n.failed) c().sink.heartbeat(nodeId);
    n.hb = c().timers.after(o.heartbeatMs, () => heartbeat(nodeId), { background: true });
  };

  const drop = (rec: PodRec) => {
    for (const h of rec.timers) c().timers.cancel(h);
    rec.timers.clear();
  };

  return {
    attach(x) {
      ctx = x;
    },
    startNode(node: Node) {
      if (nodes.has(node.id)) return;
      const rec: { failed: boolean; images: Set<string>; hb?: TimerHandle } = { failed: false, images: new Set() };
      nodes.set(node.id, rec);
      c().sink.heartbeat(node.id);
      // First beat at a random offset so thousands of agents do not beat in lockstep.
      rec.hb = c().timers.after(o.heartbeatMs * c().rng.next(), () => heartbeat(node.id), { background: true });
    },
    removeNode(nodeId) {
      const n = nodes.get(nodeId);
      if (n?.hb !== undefined) c().timers.cancel(n.hb);
      nodes.delete(nodeId);
      for (const rec of pods.values()) if (rec.nodeId === nodeId) drop(rec);
    },
    failNode(nodeId) {
      const n = nodes.get(nodeId);
      if (n) n.failed = true;
    },
    recoverNode(nodeId) {
      const n = nodes.get(nodeId);
      if (!n || !n.failed) return;
      n.failed = false;
      c().sink.heartbeat(nodeId);
      for (const rec of pods.values()) if (rec.nodeId === nodeId) report(rec);
    },
    runPod(pod) {
      if (pods.has(pod.id) || !pod.nodeId || !nodes.has(pod.nodeId)) return;
      const rec: PodRec = { pod, nodeId: pod.nodeId, ctrs: [], timers: new Set(), stopping: false };
      pods.set(pod.id, rec);
      for (const spec of pod.spec.containers) {
        const prev = pod.status.containerStatuses.find((s) => s.name === spec.name);
        const ctr: Ctr = {
          spec,
          backoff: 0,
          final: false,
          logs: [],
          status: prev ?? {
            name: spec.name,
            image: spec.image,
            state: { waiting: { reason: "ContainerCreating" } },
            ready: false,
            restartCount: 0,
          },
        };
        rec.ctrs.push(ctr);
        if (prev && "running" in prev.state) {
          // Adopt after an engine restart: the container kept running on its VM.
          ctr.startedAt = prev.state.running.startedAt;
          nodes.get(rec.nodeId)?.images.add(spec.image);
          scheduleExit(rec, ctr, now() - ctr.startedAt);
        } else if (
          prev &&
          "terminated" in prev.state &&
          pod.status.phase !== "Running" &&
          pod.status.phase !== "Pending"
        ) {
          ctr.final = true;
        } else {
          ctr.status = { ...ctr.status, state: { waiting: { reason: "ContainerCreating" } }, ready: false };
          pull(rec, ctr);
        }
      }
      report(rec);
    },
    stopPod(podId, graceMs) {
      const rec = pods.get(podId);
      if (!rec || rec.stopping) return;
      for (const ctr of rec.ctrs) log(ctr, `received SIGTERM, grace period ${Math.round(graceMs / 1000)}s`);
      drop(rec);
      rec.stopping = true;
    },
    forgetPod(podId) {
      const rec = pods.get(podId);
      if (rec) drop(rec);
      pods.delete(podId);
    },
    reconcileNode(nodeId, keep) {
      for (const [id, rec] of pods) if (rec.nodeId === nodeId && !keep.has(id)) drop(rec), pods.delete(id);
    },
    resync() {
      for (const rec of pods.values()) report(rec);
    },
    getLogs(podId, container) {
      const rec = pods.get(podId);
      const ctr = rec?.ctrs.find((x) => container === undefined || x.spec.name === container);
      return ctr ? [...ctr.logs] : [];
    },
    usage(podId): Resources | undefined {
      const samples = containerSamples(podId, 10_000);
      if (!samples) return undefined;
      return samples.reduce(
        (sum, x) => ({
          cpuMillis: sum.cpuMillis + x.sample.cpuMillis,
          memoryBytes: sum.memoryBytes + x.sample.memoryWorkingSetBytes,
        }),
        { cpuMillis: 0, memoryBytes: 0 },
      );
    },
    stats: (podId, intervalMs) => containerSamples(podId, intervalMs),
    shutdown() {
      for (const rec of pods.values()) drop(rec);
      for (const n of nodes.values()) if (n.hb !== undefined) c().timers.cancel(n.hb);
      pods.clear();
      nodes.clear();
    },
  };
}
