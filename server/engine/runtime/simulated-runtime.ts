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
 * - logs: a ring buffer of the last `logLines` lines per container instance; when a container
 *   is restarted its last terminated instance's ring is kept as its previous log (`kubectl logs
 *   --previous`), one instance back, nothing for a container that never restarted. Until the
 *   restart (CrashLoopBackOff) the current log is that terminated instance's, as the kubelet answers;
 * - imagePullPolicy: Always pulls even a cached image (a quick pull: layers are cached),
 *   Never starts only a cached image (else ErrImageNeverPull), IfNotPresent as above;
 * - ConfigMap and Secret volumes that cannot be mounted (missing, or a missing `items` key,
 *   not optional) keep the pod ContainerCreating with a FailedMount warning; env sources
 *   (valueFrom, envFrom) that cannot be read give CreateContainerConfigError with a Failed
 *   warning. Both try again when the object changes (`sourceChanged`, from the ConfigMap and
 *   Secret informers) and every `configRetryMs` (10 s, a background timer, as the kubelet's
 *   pod worker re-syncs).
 * - the SIM_* switches read the container's resolved environment (value, valueFrom, envFrom);
 * - probes (probe k at initialDelaySeconds + k × periodSeconds after the start; a result
 *   counts after successThreshold passes / failureThreshold failures in a row). A probe
 *   passes unless a switch says otherwise:
 *   SIM_STARTUP_AFTER_SECONDS=<n|never>: the startup probe fails until n s after the start
 *   (failureThreshold failures first: Unhealthy, Killing, restarted as a crash);
 *   SIM_READY_AFTER_SECONDS=<n|never>: the readiness probe fails until then (not ready;
 *   one Unhealthy event, not one per period);
 *   SIM_LIVENESS_FAIL_AFTER_SECONDS=<n>: the liveness probe fails from n s after each start:
 *   failureThreshold Unhealthy events, then Killing, exit 137 (Error), restart with the
 *   CrashLoopBackOff back-off. A startup probe holds the other two until it passes; a
 *   container with a startup or readiness probe is not ready until they pass.
 * - traffic: SIM_TRAFFIC=<flows> (grammar in traffic/flow-spec.ts) sets the flows a running
 *   container sends; an invalid flow is ignored with a Warning event (InvalidTraffic). With a
 *   network in the context the flows are decided and shaped by its tables (traffic/), the
 *   samples' network figures are the model's and `traffic(podId)` reports rates and drops.
 * While a node is failed its agent sends nothing; on recovery it reports current state.
 */
import type { RuntimeContext, RuntimePort } from "./runtime";
import type { ContainerSpec, ContainerStatus, Node, Pod, PodPhase, Probe, Resources } from "../kinds/types";
import { defaultPullPolicy } from "../kinds/container-schema";
import type { TimerHandle } from "../queue/clock";
import { setCondition } from "../scheduler/scheduler";
import {
  envSeconds,
  firstProbeAtOrAfter,
  literalEnv,
  mountProblem,
  probeFailure,
  probeTime,
  resolveEnv,
} from "./container-config";
import { nicCapacityOf, type NicCapacity } from "../network/qos/nic-capacity";
import { describeFlowProblem, type FlowSpec, parseSimTraffic, SIM_TRAFFIC_ENV } from "./traffic/flow-spec";
import { RuntimeTraffic, withModelTraffic } from "./traffic/runtime-traffic";
import { containerTraffic } from "./traffic/traffic-report";
import type { TrafficPodInput } from "./traffic/traffic-model";
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
  /** How often a pod waiting for a ConfigMap or Secret tries again without being woken. */
  configRetryMs?: number;
}

interface Ctr {
  spec: ContainerSpec;
  status: ContainerStatus;
  backoff: number;
  startedAt?: number;
  final: boolean;
  logs: string[];
  /** The last terminated instance's log, once the container is to restart (absent until then: 150,000 pods). */
  previousLogs?: string[];
  /** The environment of the current run (resolved at start), when it is not the spec's literal values. */
  env?: Map<string, string>;
  /** The valid SIM_TRAFFIC flows of the current run (absent: none, the common case). */
  flows?: readonly FlowSpec[];
}
interface PodRec {
  pod: Pod;
  nodeId: string;
  ctrs: Ctr[];
  timers: Set<TimerHandle>;
  stopping: boolean;
  /** What to try again when a ConfigMap or Secret appears, by what waits ("mount" or a container). */
  retries?: Map<string, () => void>;
  retryTimer?: TimerHandle;
}

export function imageTag(image: string): string {
  const name = image.split("@")[0] ?? image;
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  return colon > slash ? name.slice(colon + 1) : "latest";
}

/**
 * Whether a container's environment differs from its spec's literal values (sources or `$(VAR)`),
 * so its run keeps the resolved map; otherwise the spec is read (memory: 150,000 pods).
 */
const keepsEnv = (spec: ContainerSpec) =>
  (spec.envFrom !== undefined && spec.envFrom.length > 0) ||
  spec.env.some((e) => e.valueFrom !== undefined || e.value.includes("$"));

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
    configRetryMs: 10_000,
    ...opts,
  };
  let ctx: RuntimeContext | undefined;
  const nodes = new Map<string, { failed: boolean; images: Set<string>; hb?: TimerHandle }>();
  const pods = new Map<string, PodRec>();
  const nics = new Map<string, NicCapacity>();
  const traffic = new RuntimeTraffic(nics, () => trafficInputs());
  /** Pods waiting for a ConfigMap or Secret (woken by sourceChanged). */
  const waiting = new Set<PodRec>();
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
    const policy = ctr.spec.imagePullPolicy ?? defaultPullPolicy(image);
    const cached = node?.images.has(image) === true;
    if (cached && policy !== "Always") {
      event(rec, "Normal", "Pulled", `Container image "${image}" already present on machine`);
      return later(rec, o.startMs, () => start(rec, ctr));
    }
    if (policy === "Never") {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      event(rec, "Warning", "ErrImageNeverPull", message);
      ctr.status = { ...ctr.status, state: { waiting: { reason: "ErrImageNeverPull", message } } };
      return report(rec);
    }
    event(rec, "Normal", "Pulling", `Pulling image "${image}"`);
    // Always re-pulls a cached image: only the manifest is fetched (its layers are there).
    later(rec, (cached ? o.pullMs / 8 : o.pullMs) * (0.9 + 0.2 * c().rng.next()), () => {
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

  /** Wait for a ConfigMap or Secret: try `retry` again when woken, or after configRetryMs. */
  const wait = (rec: PodRec, key: string, retry: () => void) => {
    rec.retries ??= new Map();
    rec.retries.set(key, retry);
    waiting.add(rec);
    if (rec.retryTimer === undefined) {
      const h = c().timers.after(o.configRetryMs, () => wake(rec), { background: true });
      rec.retryTimer = h;
      rec.timers.add(h);
    }
  };
  /** Run what waits (after the current call: reports are never re-entrant). */
  const wake = (rec: PodRec) => {
    if (rec.retryTimer !== undefined) {
      c().timers.cancel(rec.retryTimer);
      rec.timers.delete(rec.retryTimer);
      rec.retryTimer = undefined;
    }
    const retries = [...(rec.retries?.values() ?? [])];
    rec.retries?.clear();
    waiting.delete(rec);
    if (!rec.stopping) for (const r of retries) r();
  };

  /** Mount the pod's volumes, then pull and start `fresh` (FailedMount until the sources exist). */
  const mountAndPull = (rec: PodRec, fresh: Ctr[]) => {
    const problem = mountProblem(rec.pod, c().sources);
    if (problem) {
      event(rec, "Warning", "FailedMount", problem);
      return wait(rec, "mount", () => mountAndPull(rec, fresh));
    }
    for (const ctr of fresh) pull(rec, ctr);
  };

  const start = (rec: PodRec, ctr: Ctr) => {
    const resolved = resolveEnv(rec.pod, ctr.spec, c().sources);
    if ("error" in resolved) {
      event(rec, "Warning", "Failed", `Error: ${resolved.error}`);
      ctr.status = {
        ...ctr.status,
        state: { waiting: { reason: "CreateContainerConfigError", message: resolved.error } },
        ready: false,
      };
      report(rec);
      return wait(rec, ctr.spec.name, () => start(rec, ctr));
    }
    const t = now();
    event(rec, "Normal", "Created", `Created container ${ctr.spec.name}`);
    event(rec, "Normal", "Started", `Started container ${ctr.spec.name}`);
    ctr.env = keepsEnv(ctr.spec) ? resolved.env : undefined;
    ctr.flows = flowsOf(rec, ctr, resolved.env, true);
    ctr.startedAt = t;
    const gated = ctr.spec.startupProbe !== undefined || ctr.spec.readinessProbe !== undefined;
    ctr.status = {
      ...ctr.status,
      state: { running: { startedAt: t } },
      ready: !gated,
      ...(ctr.spec.startupProbe ? { started: false } : {}),
    };
    const argv = [...(ctr.spec.command ?? []), ...(ctr.spec.args ?? [])];
    log(ctr, `starting ${ctr.spec.image}${argv.length > 0 ? ` ${argv.join(" ")}` : ""}`);
    for (const p of ctr.spec.ports) log(ctr, `listening on :${p.containerPort}/${p.protocol}`);
    report(rec);
    scheduleProbes(rec, ctr);
    scheduleExit(rec, ctr, 0);
  };

  /**
   * The probes of the current run, from the SIM_* switches: only the transitions get timers
   * (a probe that keeps passing costs nothing). Times are absolute, so an adopted container
   * (engine restart) continues its schedule; events of probes already past are not repeated.
   */
  const scheduleProbes = (rec: PodRec, ctr: Ctr) => {
    const run = ctr.startedAt;
    if (run === undefined) return;
    const { startupProbe, readinessProbe, livenessProbe } = ctr.spec;
    if (!startupProbe && !readinessProbe && !livenessProbe) return;
    const env = ctr.env ?? literalEnv(ctr.spec);
    const alive = () => ctr.startedAt === run && "running" in ctr.status.state;
    const at = (ms: number, fn: () => void, eventOnly = false) => {
      if (eventOnly && ms < now()) return;
      later(rec, Math.max(0, ms - now()), () => {
        if (alive()) fn();
      });
    };
    const unhealthy = (which: "Liveness" | "Readiness" | "Startup", p: Probe) =>
      event(rec, "Warning", "Unhealthy", probeFailure(which, p, ctr.spec, rec.pod));
    /** failureThreshold failures from probe k: Unhealthy each time, then Killing and a restart. */
    const failFrom = (which: "Liveness" | "Startup", p: Probe, k: number) => {
      for (let i = 0; i < p.failureThreshold; i++) {
        const last = i === p.failureThreshold - 1;
        at(
          probeTime(p, run, k + i),
          () => {
            unhealthy(which, p);
            if (!last) return;
            event(
              rec,
              "Normal",
              "Killing",
              `Container ${ctr.spec.name} failed ${which.toLowerCase()} probe, will be restarted`,
            );
            exit(rec, ctr, 137, "Error");
          },
          !last,
        );
      }
    };
    const afterStartup = (startedAt: number) => {
      if (readinessProbe) {
        const readyFrom = envSeconds(env, "SIM_READY_AFTER_SECONDS") ?? 0;
        const first = firstProbeAtOrAfter(readinessProbe, run, startedAt + 1);
        const pass = firstProbeAtOrAfter(readinessProbe, run, Math.max(startedAt + 1, run + readyFrom * 1000));
        if (pass > first) at(probeTime(readinessProbe, run, first), () => unhealthy("Readiness", readinessProbe), true);
        if (Number.isFinite(readyFrom))
          at(probeTime(readinessProbe, run, pass + readinessProbe.successThreshold - 1), () => {
            if (ctr.status.ready) return; // adopted after a restart: already reported
            ctr.status = { ...ctr.status, ready: true };
            report(rec);
          });
      } else if (startupProbe) {
        ctr.status = { ...ctr.status, ready: true };
      }
      const failAfter = envSeconds(env, "SIM_LIVENESS_FAIL_AFTER_SECONDS");
      if (livenessProbe && failAfter !== undefined && Number.isFinite(failAfter))
        failFrom(
          "Liveness",
          livenessProbe,
          firstProbeAtOrAfter(livenessProbe, run, Math.max(startedAt + 1, run + failAfter * 1000)),
        );
    };
    if (!startupProbe) return afterStartup(run);
    const startAfter = envSeconds(env, "SIM_STARTUP_AFTER_SECONDS") ?? 0;
    const pass = Number.isFinite(startAfter)
      ? firstProbeAtOrAfter(startupProbe, run, run + startAfter * 1000)
      : Number.POSITIVE_INFINITY;
    if (pass > startupProbe.failureThreshold) return failFrom("Startup", startupProbe, 1);
    for (let k = 1; k < pass; k++) at(probeTime(startupProbe, run, k), () => unhealthy("Startup", startupProbe), true);
    const passedAt = probeTime(startupProbe, run, pass);
    at(passedAt, () => {
      const before = ctr.status;
      ctr.status = { ...ctr.status, started: true };
      afterStartup(passedAt);
      if (before.started !== true || before.ready !== ctr.status.ready) report(rec);
    });
  };

  const scheduleExit = (rec: PodRec, ctr: Ctr, alreadyRanMs: number) => {
    const env = ctr.env ?? literalEnv(ctr.spec);
    let code: number | undefined;
    let after = 0;
    if (imageTag(ctr.spec.image) === "crash") {
      code = 1;
      after = o.crashAfterMs;
    } else if (env.has("SIM_EXIT")) {
      code = Number(env.get("SIM_EXIT")) || 0;
      after = Number(env.get("SIM_RUN_SECONDS") ?? 0) * 1000;
    }
    const oomAfter = oomKillAfterMs(profileOf(ctr.spec, env));
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

  /** The container's process ends (`reason` given: killed by the agent, e.g. a failed liveness probe). */
  const exit = (rec: PodRec, ctr: Ctr, code: number, killedReason?: string) => {
    const t = now();
    const reason = killedReason ?? (code === 0 ? "Completed" : code === 137 ? "OOMKilled" : "Error");
    log(ctr, `process exited with code ${code}`);
    traffic.invalidate();
    if (code === 137 && killedReason === undefined) {
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
    // The terminated instance's ring: still the current log until the restart, then the previous one.
    ctr.previousLogs = ctr.logs;
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
      ctr.logs = [];
      start(rec, ctr);
    });
  };

  /** The run's valid flows; the invalid ones are reported once per start (`warn`), not on adoption. */
  const flowsOf = (rec: PodRec, ctr: Ctr, env: ReadonlyMap<string, string>, warn: boolean) => {
    const parsed = parseSimTraffic(env.get(SIM_TRAFFIC_ENV));
    if (warn)
      for (const p of parsed.problems) event(rec, "Warning", "InvalidTraffic", describeFlowProblem(ctr.spec.name, p));
    traffic.invalidate();
    return parsed.flows.length > 0 ? parsed.flows : undefined;
  };
  const running = (x: Ctr) => "running" in x.status.state && x.startedAt !== undefined;
  /** What the traffic model sees: the pods on live agents, with their running containers' flows. */
  const trafficInputs = (): TrafficPodInput[] => {
    const inputs: TrafficPodInput[] = [];
    for (const rec of pods.values()) {
      if (rec.stopping || !reachable(rec)) continue;
      const p = rec.pod;
      inputs.push({
        id: p.id,
        tenantId: p.tenantId,
        namespace: p.namespace,
        name: p.name,
        nodeId: rec.nodeId,
        annotations: p.annotations,
        ...(p.podIP !== undefined ? { podIP: p.podIP } : {}),
        containers: rec.ctrs.map((x) => ({ name: x.spec.name, flows: running(x) ? (x.flows ?? []) : [] })),
      });
    }
    return inputs;
  };

  /**
   * Samples of the pod's running containers for the interval ending now; undefined for an unknown
   * pod. `withTraffic`: network figures from the traffic model when a network is attached.
   */
  const containerSamples = (podId: string, intervalMs: number, withTraffic: boolean) => {
    const rec = pods.get(podId);
    if (!rec) return undefined;
    const t = now();
    const reports = withTraffic ? traffic.reportsAt(t, c().network) : undefined;
    const modelled = reports?.get(podId);
    const out: { container: string; sample: ContainerSample }[] = [];
    for (const x of rec.ctrs) {
      if (!running(x)) continue;
      const sample = sampleAt(
        profileOf(x.spec, x.env),
        `${podId}/${x.spec.name}`,
        x.startedAt as number,
        t,
        intervalMs,
      );
      out.push({
        container: x.spec.name,
        sample: reports ? withModelTraffic(sample, containerTraffic(modelled, x.spec.name), intervalMs) : sample,
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
    traffic.invalidate();
    for (const h of rec.timers) c().timers.cancel(h);
    rec.timers.clear();
    rec.retryTimer = undefined;
    rec.retries?.clear();
    waiting.delete(rec);
  };

  return {
    attach(x) {
      ctx = x;
    },
    startNode(node: Node) {
      if (nodes.has(node.id)) return;
      const rec: { failed: boolean; images: Set<string>; hb?: TimerHandle } = { failed: false, images: new Set() };
      nodes.set(node.id, rec);
      // A node without a capacity (a test double) is not shaped: its pods send what they offer.
      if (node.capacity !== undefined) nics.set(node.id, nicCapacityOf(node.capacity));
      c().sink.heartbeat(node.id);
      // First beat at a random offset so thousands of agents do not beat in lockstep.
      rec.hb = c().timers.after(o.heartbeatMs * c().rng.next(), () => heartbeat(node.id), { background: true });
    },
    removeNode(nodeId) {
      const n = nodes.get(nodeId);
      if (n?.hb !== undefined) c().timers.cancel(n.hb);
      nodes.delete(nodeId);
      nics.delete(nodeId);
      for (const rec of pods.values()) if (rec.nodeId === nodeId) drop(rec);
    },
    failNode(nodeId) {
      const n = nodes.get(nodeId);
      if (n) n.failed = true;
    },
    recoverNode(nodeId) {
      const n = nodes.get(nodeId);
      if (!n?.failed) return;
      n.failed = false;
      c().sink.heartbeat(nodeId);
      for (const rec of pods.values()) if (rec.nodeId === nodeId) report(rec);
    },
    runPod(pod) {
      if (pods.has(pod.id) || !pod.nodeId || !nodes.has(pod.nodeId)) return;
      const rec: PodRec = { pod, nodeId: pod.nodeId, ctrs: [], timers: new Set(), stopping: false };
      pods.set(pod.id, rec);
      const fresh: Ctr[] = [];
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
          const resolved = resolveEnv(pod, spec, c().sources);
          ctr.env = "env" in resolved && keepsEnv(spec) ? resolved.env : undefined;
          if ("env" in resolved) ctr.flows = flowsOf(rec, ctr, resolved.env, false);
          scheduleProbes(rec, ctr);
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
          fresh.push(ctr);
        }
      }
      if (fresh.length > 0) mountAndPull(rec, fresh);
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
      for (const [id, rec] of pods)
        if (rec.nodeId === nodeId && !keep.has(id)) {
          drop(rec);
          pods.delete(id);
        }
    },
    sourceChanged(tenantId, namespace) {
      for (const rec of [...waiting])
        if (rec.pod.tenantId === tenantId && rec.pod.namespace === namespace && !rec.stopping)
          later(rec, 0, () => wake(rec));
    },
    resync() {
      for (const rec of pods.values()) report(rec);
    },
    getLogs(podId, container, opts = {}) {
      const rec = pods.get(podId);
      const ctr = rec?.ctrs.find((x) => container === undefined || x.spec.name === container);
      const lines = opts.previous ? ctr?.previousLogs : ctr?.logs;
      return lines ? [...lines] : [];
    },
    usage(podId): Resources | undefined {
      const samples = containerSamples(podId, 10_000, false);
      if (!samples) return undefined;
      return samples.reduce(
        (sum, x) => ({
          cpuMillis: sum.cpuMillis + x.sample.cpuMillis,
          memoryBytes: sum.memoryBytes + x.sample.memoryWorkingSetBytes,
        }),
        { cpuMillis: 0, memoryBytes: 0 },
      );
    },
    stats: (podId, intervalMs) => containerSamples(podId, intervalMs, true),
    traffic(podId) {
      const rec = pods.get(podId);
      if (!rec || rec.stopping || !reachable(rec)) return undefined;
      return traffic.reportsAt(now(), c().network)?.get(podId);
    },
    publicIpTraffic: () => traffic.publicIpReportsAt(now(), c().network),
    shutdown() {
      for (const rec of pods.values()) drop(rec);
      for (const n of nodes.values()) if (n.hb !== undefined) c().timers.cancel(n.hb);
      pods.clear();
      nodes.clear();
      nics.clear();
    },
  };
}
