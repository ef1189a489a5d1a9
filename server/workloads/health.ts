/**
 * One health for deployments and pods, derived from the engine's status alone (pure: no
 * React, no database, no clock of its own; `now` is the engine's time).
 *
 * Every view that says how a workload is doing (the console's lists and detail pages, the
 * overview's "Needs attention", `cloudctl get|describe`) shows this derivation, so they
 * cannot disagree. The rules, in order:
 *
 * Pod: Terminating (deletion started) > Succeeded / Failed (terminal phase) > Degraded:
 * NodeNotReady (bound to a node that does not answer) > Degraded: a waiting reason that
 * will not resolve by itself (CrashLoopBackOff, ErrImagePull, ImagePullBackOff...) or a
 * container that exited and waits to restart > Unschedulable: Progressing for a grace
 * period (a VM may be booting for it), then Degraded > Progressing (scheduling, pulling,
 * starting) > Degraded: BackOff (running again, but restarted after an exit less than the
 * kubelet's back-off reset ago: a crash loop between two crashes) > Available (running
 * and ready).
 *
 * Deployment: Failed (Progressing=False/ProgressDeadlineExceeded) > Degraded (one of its
 * live pods is Degraded, or the replica set cannot create pods: FailedCreate) > Paused >
 * Scaled to zero > Available (every desired pod updated, ready and available, no old pod
 * left, latest spec observed) > Progressing. Failed, Degraded and Progressing carry the
 * blocking pod's reason as `cause`, so the page can say what the rollout waits for.
 *
 * Reasons are Kubernetes' reason codes; messages are the engine's own words (English, as
 * Kubernetes writes them) or empty: display texts belong to the console's catalogs.
 */
import type { Deployment, NodePhase, Pod } from "../engine/kinds/types";

export const HEALTH_STATES = [
  "Available",
  "Progressing",
  "Degraded",
  "Failed",
  "Paused",
  "ScaledToZero",
  "Terminating",
  "Succeeded",
] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

/** What holds a deployment back: the reason of one of its pods, and how many pods share it. */
export interface HealthCause {
  reason: string;
  message: string;
  /** The pod the reason was read from (empty when it is the replica set's). */
  pod: string;
  pods: number;
}

export interface Health {
  state: HealthState;
  /** A Kubernetes reason code (CrashLoopBackOff, Unschedulable, ProgressDeadlineExceeded, Running...). */
  reason: string;
  /** The engine's message for that reason; may be empty. */
  message: string;
  cause?: HealthCause;
}

/** Needs someone to act: the overview lists these, and they are never shown in green. */
export const isUnhealthy = (h: Pick<Health, "state">) => h.state === "Degraded" || h.state === "Failed";

/** A VM takes ~20-60 s to boot; a pod unschedulable for longer is not waiting for one. */
export const UNSCHEDULABLE_GRACE_MS = 120_000;
/** The kubelet forgets a container's back-off after 10 minutes of running (K8S-SEMANTICS). */
export const BACKOFF_RESET_MS = 600_000;

/** Waiting reasons that mean "starting", not "stuck". */
const STARTING = new Set(["ContainerCreating", "PodInitializing"]);

export interface HealthInput {
  now: number;
  /** The phase of a pod's node; a pod on a node that is not Ready is not available. */
  nodePhase?: (nodeId: string) => NodePhase | undefined;
}

const health = (state: HealthState, reason: string, message = "", cause?: HealthCause): Health =>
  cause ? { state, reason, message, cause } : { state, reason, message };

export function podHealth(pod: Pod, input: HealthInput): Health {
  if (pod.deletionTimestamp !== undefined) return health("Terminating", "Terminating");
  const statuses = pod.status.containerStatuses;
  const terminated = statuses
    .map((c) => ("terminated" in c.state ? c.state.terminated : undefined))
    .find((t) => t !== undefined);
  if (pod.status.phase === "Succeeded") return health("Succeeded", "Completed", pod.status.message ?? "");
  if (pod.status.phase === "Failed") {
    const failed = statuses
      .map((c) => ("terminated" in c.state && c.state.terminated.exitCode !== 0 ? c.state.terminated : undefined))
      .find((t) => t !== undefined);
    return health("Failed", pod.status.reason ?? failed?.reason ?? "Failed", pod.status.message ?? "");
  }
  if (pod.status.phase === "Unknown")
    return health("Degraded", pod.status.reason ?? "Unknown", pod.status.message ?? "");
  if (pod.nodeId !== undefined && input.nodePhase) {
    const phase = input.nodePhase(pod.nodeId);
    if (phase === "NotReady") return health("Degraded", "NodeNotReady");
  }
  for (const c of statuses) {
    if ("waiting" in c.state && !STARTING.has(c.state.waiting.reason))
      return health("Degraded", c.state.waiting.reason, c.state.waiting.message ?? "");
  }
  if (terminated) return health("Degraded", terminated.reason, "");
  if (pod.nodeId === undefined) {
    const scheduled = pod.status.conditions.find((c) => c.type === "PodScheduled");
    if (scheduled?.status === "False") {
      const since = scheduled.lastTransitionTime;
      return health(
        input.now - since >= UNSCHEDULABLE_GRACE_MS ? "Degraded" : "Progressing",
        scheduled.reason || "Unschedulable",
        scheduled.message,
      );
    }
    return health("Progressing", "Pending");
  }
  const ready = statuses.length > 0 && statuses.every((c) => c.ready && "running" in c.state);
  if (!ready) return health("Progressing", "ContainerCreating");
  for (const c of statuses) {
    if (
      "running" in c.state &&
      c.restartCount > 0 &&
      c.lastTerminationReason &&
      input.now - c.state.running.startedAt < BACKOFF_RESET_MS
    ) {
      return health("Degraded", "BackOff", `Back-off restarting failed container ${c.name} in pod ${pod.name}`);
    }
  }
  return health("Available", "Running");
}

/** Which pod reason speaks for a deployment when several pods are unwell: the one least likely to fix itself. */
const CAUSE_RANK = [
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
  "CrashLoopBackOff",
  "BackOff",
  "OOMKilled",
  "Error",
  "NodeNotReady",
  "Unknown",
  "FailedCreate",
  "Unschedulable",
];
const rankOf = (reason: string) => {
  const i = CAUSE_RANK.indexOf(reason);
  return i < 0 ? CAUSE_RANK.length : i;
};

/** The most telling reason among pods of one state, with how many pods share it. */
function causeAmong(pods: { name: string; health: Health }[]): HealthCause | undefined {
  if (pods.length === 0) return undefined;
  const best = [...pods].sort(
    (a, b) => rankOf(a.health.reason) - rankOf(b.health.reason) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  )[0];
  if (!best) return undefined;
  const same = pods.filter((p) => p.health.reason === best.health.reason).length;
  return { reason: best.health.reason, message: best.health.message, pod: best.name, pods: same };
}

export interface DeploymentHealthInput extends HealthInput {
  /** The deployment's pods (any revision, terminating ones too), each with its podHealth. */
  pods: { name: string; health: Health; deletionTimestamp?: number }[];
  /**
   * The replica set's latest refusal to create a pod (a FailedCreate event, e.g. over quota),
   * if it is recent; it counts only while pods are missing.
   */
  replicaFailure?: { message: string };
}

export function deploymentHealth(
  d: Pick<Deployment, "spec" | "status" | "generation">,
  input: DeploymentHealthInput,
): Health {
  // As in the deployment's status, pods on their way out (terminating, or finished and waiting for GC) do not count.
  const live = input.pods.filter(
    (p) => p.deletionTimestamp === undefined && !["Terminating", "Succeeded", "Failed"].includes(p.health.state),
  );
  const degraded = causeAmong(live.filter((p) => isUnhealthy(p.health)));
  const missing = d.spec.replicas - live.length;
  const refused =
    input.replicaFailure && missing > 0
      ? { reason: "FailedCreate", message: input.replicaFailure.message, pod: "", pods: missing }
      : undefined;
  const blocker = degraded ?? refused;
  const progressing = d.status.conditions.find((c) => c.type === "Progressing");

  if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return health(
      "Failed",
      "ProgressDeadlineExceeded",
      progressing.message,
      blocker ?? causeAmong(live.filter((p) => p.health.state === "Progressing")),
    );
  }
  if (blocker) return health("Degraded", blocker.reason, blocker.message, blocker);
  if (d.spec.paused)
    return health("Paused", "DeploymentPaused", progressing?.reason === "DeploymentPaused" ? progressing.message : "");
  if (d.spec.replicas === 0 && live.length === 0) return health("ScaledToZero", "ScaledToZero");
  if (rolloutComplete(d) && live.length === d.spec.replicas) {
    return health(
      "Available",
      "NewReplicaSetAvailable",
      progressing?.reason === "NewReplicaSetAvailable" ? progressing.message : "",
    );
  }
  const waiting = causeAmong(live.filter((p) => p.health.state === "Progressing"));
  const reason =
    d.status.observedGeneration < d.generation
      ? "ObservedGenerationLag"
      : (progressing?.reason ?? "MinimumReplicasUnavailable");
  return health("Progressing", reason, progressing?.message ?? "", waiting);
}

/** kubectl rollout status's "successfully rolled out": every desired pod updated and available, no old pod left. */
export function rolloutComplete(d: Pick<Deployment, "spec" | "status" | "generation">): boolean {
  const s = d.status;
  const want = d.spec.replicas;
  return (
    s.observedGeneration >= d.generation &&
    s.updatedReplicas === want &&
    s.replicas === want &&
    s.availableReplicas === want &&
    s.readyReplicas >= want
  );
}
