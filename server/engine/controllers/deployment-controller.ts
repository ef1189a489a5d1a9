/**
 * Deployment controller: sync(deploymentId), level-triggered and idempotent.
 * Guarantees (Kubernetes semantics):
 * - A template change creates a new replica set (revision = highest + 1); a template
 *   equal to an older revision re-uses that replica set and makes it the newest
 *   revision (so a rollback to N removes N from the history).
 * - Rolling update: the sum of replica-set sizes never exceeds replicas + maxSurge and
 *   old replica sets shrink only while available pods stay >= replicas - maxUnavailable.
 * - A replicas change while several revisions are active is split proportionally.
 * - Paused: scaling only, no rollout progress. Progress deadline: a rollout without
 *   progress for progressDeadlineSeconds gets Progressing=False/ProgressDeadlineExceeded.
 * - Recreate: old replica sets go to 0 first; the new one is created (or scaled up) only once
 *   none of their pods is left (Terminating ones included), so old and new never run together.
 *   Available needs all replicas then (maxUnavailable 0, as Kubernetes counts for Recreate).
 * - minReadySeconds: a pod is available once ready that long; the deployment is synced again
 *   when the next ready pod becomes available.
 * - Old replica sets with no pods beyond revisionHistoryLimit are deleted.
 */
import { stampChangeCause } from "../kinds/change-cause";
import { type Ctx, isAvailable, isLive, isReady, isTerminal, newId, readySince } from "../core/context";
import { jsonEqual } from "../kinds/json-equal";
import { canonicalJson, stableHash } from "../queue/rng";
import { newReplicaSetSize, oldScaleDown, proportionalSizes, resolveFenceposts, type RsView } from "./rollout";
import { setCondition } from "../scheduler/scheduler";
import {
  type Condition,
  type Deployment,
  type DeploymentStatus,
  EMPTY_MAP,
  type PodTemplate,
  type ReplicaSet,
} from "../kinds/types";

/** The label that ties a pod to its revision (Kubernetes' pod-template-hash). */
export const POD_TEMPLATE_HASH = "pod-template-hash";

const templateHashes = new WeakMap<PodTemplate, string>();

/** The template's hash (the pod-template-hash label); memoised per template value, which never changes. */
export function templateHash(t: PodTemplate): string {
  let hash = templateHashes.get(t);
  if (hash === undefined) {
    hash = stableHash(canonicalJson(t));
    templateHashes.set(t, hash);
  }
  return hash;
}

export function syncDeployment(ctx: Ctx, id: string): void {
  const d = ctx.state.get("Deployment", id);
  if (!d) return;
  const hash = templateHash(d.spec.template);
  const rss = ctx.state.replicaSetsOf(id).sort((a, b) => a.revision - b.revision);
  let newRs = rss.find((r) => r.templateHash === hash);
  const olds = rss.filter((r) => r !== newRs);
  const { maxSurge, maxUnavailable } = resolveFenceposts(
    d.spec.strategy.maxSurge,
    d.spec.strategy.maxUnavailable,
    d.spec.replicas,
  );
  const scaleTo = (rs: ReplicaSet, size: number): ReplicaSet => {
    const next = {
      ...rs,
      replicas: size,
      desiredReplicas: d.spec.replicas,
      maxReplicas: d.spec.replicas + maxSurge,
      // spec.replicas is the replica set's spec: a new size is a new generation.
      generation: rs.generation + (size !== rs.replicas ? 1 : 0),
    };
    if (
      next.replicas === rs.replicas &&
      next.desiredReplicas === rs.desiredReplicas &&
      next.maxReplicas === rs.maxReplicas
    )
      return rs;
    if (size !== rs.replicas) {
      const verb = size > rs.replicas ? "up" : "down";
      ctx.events.recordFor(
        d,
        "Normal",
        "ScalingReplicaSet",
        `Scaled ${verb} replica set ${rs.name} to ${size} from ${rs.replicas}`,
      );
    }
    return ctx.state.put(next);
  };
  const view = (r: ReplicaSet): RsView => ({
    id: r.id,
    replicas: r.replicas,
    available: Math.min(r.replicas, availableOf(ctx, r, d.spec.minReadySeconds)),
    createdAt: r.createdAt,
    revision: r.revision,
    maxReplicas: r.maxReplicas,
  });
  let progressed = false;
  let created = false;

  const active = [newRs, ...olds].filter((r): r is ReplicaSet => r !== undefined && r.replicas > 0);
  const scalingEvent = active.some((r) => r.desiredReplicas !== d.spec.replicas);
  const recreate = d.spec.strategy.type === "Recreate";
  if (d.spec.paused || scalingEvent) {
    progressed = scale(ctx, d, newRs, olds, maxSurge, scaleTo, view);
  } else if (recreate) {
    ({ newRs, progressed, created } = rolloutRecreate(ctx, d, hash, newRs, olds, rss, scaleTo));
  } else {
    const maxRev = rss.reduce((m, r) => Math.max(m, r.revision), 0);
    const all = rss.reduce((s, r) => s + r.replicas, 0);
    if (!newRs) {
      newRs = createReplicaSet(
        ctx,
        d,
        hash,
        maxRev + 1,
        newReplicaSetSize(d.spec.replicas, maxSurge, all, 0),
        maxSurge,
      );
      progressed = created = true;
    } else {
      if (newRs.revision < maxRev) newRs = ctx.state.put({ ...newRs, revision: maxRev + 1 });
      const target = newReplicaSetSize(d.spec.replicas, maxSurge, all, newRs.replicas);
      if (target !== newRs.replicas) {
        newRs = scaleTo(newRs, target);
        progressed = true;
      } else {
        const downs = oldScaleDown(d.spec.replicas, maxUnavailable, view(newRs), olds.map(view));
        for (const r of olds) {
          const size = downs.get(r.id);
          if (size !== undefined) scaleTo(r, size);
        }
        progressed = downs.size > 0;
      }
    }
  }
  if (newRs) newRs = stampChangeCause(ctx, d, newRs); // kube copies the change-cause annotation to the new replica set
  writeStatus(ctx, d, newRs, recreate ? 0 : maxUnavailable, progressed, created);
  cleanupHistory(ctx, d, newRs);
  requeueForMinReady(ctx, d);
}

/**
 * Kubernetes' rolloutRecreate: scale every old replica set to 0; once none of their pods is
 * left (not even Terminating), create the new replica set at full size (or scale it up).
 */
function rolloutRecreate(
  ctx: Ctx,
  d: Deployment,
  hash: string,
  current: ReplicaSet | undefined,
  olds: ReplicaSet[],
  rss: ReplicaSet[],
  scaleTo: ScaleTo,
): { newRs: ReplicaSet | undefined; progressed: boolean; created: boolean } {
  const maxRev = rss.reduce((m, r) => Math.max(m, r.revision), 0);
  let newRs = current;
  if (newRs && newRs.revision < maxRev) newRs = ctx.state.put({ ...newRs, revision: maxRev + 1 });
  let scaledDown = false;
  for (const r of olds)
    if (r.replicas > 0) {
      scaleTo(r, 0);
      scaledDown = true;
    }
  if (scaledDown) return { newRs, progressed: true, created: false };
  const oldPodsLeft = olds.some((r) => ctx.state.podsOfReplicaSet(r.id).some((p) => !isTerminal(p)));
  if (oldPodsLeft) return { newRs, progressed: false, created: false };
  if (!newRs)
    return { newRs: createReplicaSet(ctx, d, hash, maxRev + 1, d.spec.replicas, 0), progressed: true, created: true };
  if (newRs.replicas === d.spec.replicas) return { newRs, progressed: false, created: false };
  return { newRs: scaleTo(newRs, d.spec.replicas), progressed: true, created: false };
}

/** With minReadySeconds, sync again when the next ready pod becomes available (nothing else would wake it). */
function requeueForMinReady(ctx: Ctx, d: Deployment): void {
  const minReadyMs = (d.spec.minReadySeconds ?? 0) * 1000;
  if (minReadyMs <= 0) return;
  const now = ctx.clock.now();
  let next = Number.POSITIVE_INFINITY;
  for (const rs of ctx.state.replicaSetsOf(d.id))
    for (const p of ctx.state.podsOfReplicaSet(rs.id)) {
      const since = isLive(p) ? readySince(p) : undefined;
      if (since !== undefined && since + minReadyMs > now) next = Math.min(next, since + minReadyMs);
    }
  if (Number.isFinite(next)) ctx.queues.deployment.addAfter(d.id, next - now, "update");
}

type ScaleTo = (rs: ReplicaSet, size: number) => ReplicaSet;

/** Kubernetes' `scale`: one active revision takes the new size, several share it proportionally. */
function scale(
  ctx: Ctx,
  d: Deployment,
  newRs: ReplicaSet | undefined,
  olds: ReplicaSet[],
  maxSurge: number,
  scaleTo: ScaleTo,
  view: (r: ReplicaSet) => RsView,
): boolean {
  const all = [...(newRs ? [newRs] : []), ...olds];
  const active = all.filter((r) => r.replicas > 0);
  const latest = active.length === 0 ? (newRs ?? olds[olds.length - 1]) : active.length === 1 ? active[0] : undefined;
  if (latest) {
    const changed = latest.replicas !== d.spec.replicas;
    scaleTo(latest, d.spec.replicas);
    return changed;
  }
  if (
    newRs &&
    newRs.replicas === d.spec.replicas &&
    availableOf(ctx, newRs, d.spec.minReadySeconds) >= d.spec.replicas
  ) {
    for (const r of olds) if (r.replicas > 0) scaleTo(r, 0);
    return true;
  }
  const sizes = proportionalSizes(d.spec.replicas, maxSurge, active.map(view));
  let changed = false;
  for (const r of active) {
    const size = sizes.get(r.id) ?? r.replicas;
    changed ||= size !== r.replicas;
    scaleTo(r, size);
  }
  return changed;
}

function createReplicaSet(
  ctx: Ctx,
  d: Deployment,
  hash: string,
  revision: number,
  size: number,
  maxSurge: number,
): ReplicaSet {
  const rs: ReplicaSet = {
    kind: "ReplicaSet",
    id: newId(ctx, "ReplicaSet", "rs"),
    tenantId: d.tenantId,
    namespace: d.namespace,
    deploymentId: d.id,
    name: `${d.name}-${hash}`,
    // The one labels object every pod of this revision holds (createPod shares it).
    labels: { ...d.spec.template.labels, [POD_TEMPLATE_HASH]: hash },
    annotations: EMPTY_MAP,
    generation: 1,
    revision,
    templateHash: hash,
    template: d.spec.template,
    replicas: size,
    desiredReplicas: d.spec.replicas,
    maxReplicas: d.spec.replicas + maxSurge,
    createdAt: ctx.clock.now(),
    resourceVersion: 0,
  };
  ctx.events.recordFor(d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${rs.name} to ${size}`);
  return ctx.state.put(rs);
}

export function availableOf(ctx: Ctx, rs: ReplicaSet, minReadySeconds = 0): number {
  let n = 0;
  for (const p of ctx.state.podsOfReplicaSet(rs.id)) if (isAvailable(ctx, p, minReadySeconds)) n++;
  return n;
}

function writeStatus(
  ctx: Ctx,
  d: Deployment,
  newRs: ReplicaSet | undefined,
  maxUnavailable: number,
  progressed: boolean,
  created: boolean,
): void {
  const now = ctx.clock.now();
  let replicas = 0,
    updated = 0,
    ready = 0,
    available = 0,
    oldPods = 0;
  for (const rs of ctx.state.replicaSetsOf(d.id)) {
    for (const p of ctx.state.podsOfReplicaSet(rs.id)) {
      if (!isLive(p)) continue;
      replicas++;
      if (rs === newRs || rs.id === newRs?.id) updated++;
      else oldPods++;
      if (isReady(p)) ready++;
      if (isAvailable(ctx, p, d.spec.minReadySeconds)) available++;
    }
  }
  const prev = d.status;
  const counts = {
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    unavailableReplicas: Math.max(0, d.spec.replicas - available),
  };
  const countsChanged = (Object.keys(counts) as (keyof typeof counts)[]).some((k) => counts[k] !== prev[k]);
  let conds: Condition[] = prev.conditions;
  const minAvail = available >= d.spec.replicas - maxUnavailable;
  const avail = conds.find((c) => c.type === "Available");
  if (!avail || (avail.status === "True") !== minAvail) {
    conds = setCondition(
      conds,
      "Available",
      minAvail ? "True" : "False",
      minAvail ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
      minAvail ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
      now,
    );
  }
  const rsName = newRs?.name ?? d.name;
  const complete =
    newRs !== undefined &&
    updated === d.spec.replicas &&
    replicas === d.spec.replicas &&
    available === d.spec.replicas &&
    oldPods === 0 &&
    newRs.replicas === d.spec.replicas;
  const prog = conds.find((c) => c.type === "Progressing");
  const set = (status: Condition["status"], reason: string, message: string) => {
    if (
      prog &&
      prog.status === status &&
      prog.reason === reason &&
      prog.message === message &&
      !progressed &&
      !countsChanged
    )
      return;
    conds = setCondition(conds, "Progressing", status, reason, message, now);
  };
  const timer = ctx.deadlineTimers.get(d.id);
  const clearTimer = () => {
    if (timer !== undefined) ctx.timers.cancel(timer);
    ctx.deadlineTimers.delete(d.id);
  };
  if (d.spec.paused) {
    set("Unknown", "DeploymentPaused", "Deployment is paused");
    clearTimer();
  } else if (complete) {
    set("True", "NewReplicaSetAvailable", `ReplicaSet "${rsName}" has successfully progressed.`);
    clearTimer();
  } else if (created) {
    set("True", "NewReplicaSetCreated", `Created new replica set "${rsName}"`);
  } else if (
    progressed ||
    countsChanged ||
    prog?.reason === "DeploymentPaused" ||
    prog?.reason === "NewReplicaSetAvailable"
  ) {
    set(
      "True",
      prog?.reason === "DeploymentPaused" ? "DeploymentResumed" : "ReplicaSetUpdated",
      prog?.reason === "DeploymentPaused" ? "Deployment is resumed" : `ReplicaSet "${rsName}" is progressing.`,
    );
  } else if (prog && prog.status === "True" && now - prog.lastUpdateTime >= d.spec.progressDeadlineSeconds * 1000) {
    set("False", "ProgressDeadlineExceeded", `ReplicaSet "${rsName}" has timed out progressing.`);
    ctx.events.recordFor(d, "Warning", "ProgressDeadlineExceeded", `Deployment "${d.name}" has timed out progressing.`);
  }
  const progNow = conds.find((c) => c.type === "Progressing");
  if (!d.spec.paused && !complete && progNow?.status === "True") {
    clearTimer();
    const at = progNow.lastUpdateTime + d.spec.progressDeadlineSeconds * 1000;
    ctx.deadlineTimers.set(
      d.id,
      ctx.timers.at(at, () => {
        ctx.deadlineTimers.delete(d.id);
        ctx.queues.deployment.add(d.id, "update");
      }),
    );
  }
  const status: DeploymentStatus = {
    observedGeneration: d.generation,
    ...counts,
    currentRevision: newRs?.revision ?? prev.currentRevision,
    conditions: conds,
  };
  if (!jsonEqual(status, prev)) ctx.state.put({ ...d, status });
}

function cleanupHistory(ctx: Ctx, d: Deployment, newRs: ReplicaSet | undefined): void {
  const idle = ctx.state
    .replicaSetsOf(d.id)
    .filter((r) => r.id !== newRs?.id && r.replicas === 0 && ctx.state.podsOfReplicaSet(r.id).length === 0)
    .sort((a, b) => a.revision - b.revision);
  for (let i = 0; i < idle.length - d.spec.revisionHistoryLimit; i++)
    ctx.state.remove("ReplicaSet", (idle[i] as ReplicaSet).id);
}
