/**
 * Informers: after a batch commits, turn each change (before -> after) into work:
 * queue keys for the controllers, scheduler entries, and runtime calls. This is the only
 * place that fans out, and it runs only on committed changes, so nothing acts on a write
 * that might still be lost. Priorities: the object's own key gets add/update/delete;
 * dependants (a pod's replica set, a replica set's deployment) get update.
 */
import { type Ctx, isLive, isTerminal } from "./context";
import { isPending } from "../scheduler/scheduler";
import type { Change } from "./state";
import { holdsNode } from "./state";
import type { Deployment, Node, Pod, ReplicaSet } from "../kinds/types";
import type { Priority } from "../queue/work-queue";

const priorityOf = (c: Change): Priority => (!c.before ? "add" : !c.after ? "delete" : "update");

export function dispatch(ctx: Ctx, changes: Change[]): void {
  for (const c of changes) {
    switch (c.kind) {
      case "Pod":
        onPod(ctx, c.before as Pod | undefined, c.after as Pod | undefined);
        break;
      case "ReplicaSet":
        onReplicaSet(ctx, c, c.before as ReplicaSet | undefined, c.after as ReplicaSet | undefined);
        break;
      case "Deployment":
        onDeployment(ctx, c, c.before as Deployment | undefined, c.after as Deployment | undefined);
        break;
      case "Node":
        onNode(ctx, c, c.before as Node | undefined, c.after as Node | undefined);
        break;
      case "NodePool":
      case "Quota":
        ctx.queues.provisioner.add((c.after ?? c.before)?.tenantId ?? "", priorityOf(c));
        break;
      default:
        break;
    }
  }
}

function onPod(ctx: Ctx, b: Pod | undefined, a: Pod | undefined): void {
  const p = (a ?? b) as Pod;
  const q = ctx.queues;
  if (p.ownerReplicaSetId) q.replicaSet.add(p.ownerReplicaSetId, a ? "update" : "delete");
  if (p.deploymentId) q.deployment.add(p.deploymentId, "update");
  // Pods created by a controller pass were usually tried in that same pass (admit is a no-op then).
  if (a && !b && isPending(a)) ctx.scheduler.admit(a);
  if (a?.nodeId && a.deletionTimestamp === undefined && b?.nodeId !== a.nodeId) ctx.runtime.runPod(a);
  if (a && a.deletionTimestamp !== undefined && b?.deletionTimestamp === undefined) {
    ctx.runtime.stopPod(a.id, a.deletionGraceMs ?? 0);
    q.gc.addAfter(`pod/${a.id}`, a.deletionGraceMs ?? 0, "delete");
  }
  if (!a && b) {
    ctx.runtime.forgetPod(b.id);
    if (b.nodeId && ctx.state.get("Node", b.nodeId)?.draining) q.node.add(b.nodeId, "update");
  }
  if (b && holdsNode(b) && (!a || !holdsNode(a))) {
    ctx.scheduler.tenantChanged(b.tenantId);
    if (b.nodeId && ctx.state.podCountOnNode(b.nodeId) === 0) q.provisioner.add(b.tenantId, "update");
  } else if (b && isLive(b) && a && !isLive(a)) ctx.scheduler.tenantChanged(b.tenantId);
  if (a && a.ownerReplicaSetId && !ctx.state.get("ReplicaSet", a.ownerReplicaSetId)) q.gc.add(`pod/${a.id}`, "delete");
  if (a && isTerminal(a) && (!b || !isTerminal(b))) q.gc.add(`pod/${a.id}`, "update");
}

function onReplicaSet(ctx: Ctx, c: Change, b: ReplicaSet | undefined, a: ReplicaSet | undefined): void {
  const r = (a ?? b) as ReplicaSet;
  ctx.queues.replicaSet.add(r.id, priorityOf(c));
  ctx.queues.deployment.add(r.deploymentId, "update");
  if (!a) for (const p of ctx.state.podsOfReplicaSet(r.id)) ctx.queues.gc.add(`pod/${p.id}`, "delete");
}

function onDeployment(ctx: Ctx, c: Change, b: Deployment | undefined, a: Deployment | undefined): void {
  if (!a && b) {
    for (const r of ctx.state.replicaSetsOf(b.id)) ctx.queues.gc.add(`rs/${r.id}`, "delete");
    const t = ctx.deadlineTimers.get(b.id);
    if (t !== undefined) ctx.timers.cancel(t);
    ctx.deadlineTimers.delete(b.id);
    return;
  }
  // Status-only writes come from the controller itself: nothing new to reconcile.
  if (a && (!b || a.generation !== b.generation || a.spec !== b.spec)) ctx.queues.deployment.add(a.id, priorityOf(c));
}

function onNode(ctx: Ctx, c: Change, b: Node | undefined, a: Node | undefined): void {
  const n = (a ?? b) as Node;
  ctx.queues.node.add(n.id, priorityOf(c));
  // Parked pods only get a new chance when a node became usable (or changed labels/capacity).
  if (a && usable(a) && (!b || !usable(b) || a.labels !== b.labels)) ctx.scheduler.tenantChanged(n.tenantId);
  ctx.queues.provisioner.add(n.tenantId, "update");
  if (!a) {
    ctx.runtime.removeNode(n.id);
    ctx.heartbeats.delete(n.id);
    ctx.emptySince.delete(n.id);
    for (const p of ctx.state.podsOnNode(n.id)) ctx.queues.gc.add(`pod/${p.id}`, "delete");
    return;
  }
  if (a.phase === "Ready" && b?.phase !== "Ready") {
    ctx.runtime.startNode(a);
    const pods = ctx.state.podsOnNode(a.id).filter((p) => p.deletionTimestamp === undefined);
    if (b?.phase === "NotReady") {
      ctx.runtime.recoverNode(a.id);
      ctx.runtime.reconcileNode(a.id, new Set(pods.map((p) => p.id)));
    }
    for (const p of pods) ctx.runtime.runPod(p);
  }
  if (a.phase !== b?.phase) {
    for (const p of ctx.state.podsOnNode(a.id)) {
      if (p.ownerReplicaSetId) ctx.queues.replicaSet.add(p.ownerReplicaSetId, "update");
      if (p.deploymentId) ctx.queues.deployment.add(p.deploymentId, "update");
    }
  }
}

const usable = (n: Node) => n.phase === "Ready" && !n.warm && !n.unschedulable;
