/**
 * Garbage collector and namespace controller. Keys: `pod/<id>`, `rs/<id>`, `ns/<id>`, `all`.
 * Guarantees: a Terminating pod is removed once its grace period has passed (the agent
 * of an unreachable node cannot confirm, so this is also the force-delete); a pod whose
 * replica set is gone is terminated; a pod bound to a node that no longer exists is
 * removed at once; a finished pod is removed after terminalPodRetentionMs; a replica set
 * whose deployment is gone is removed (its pods follow). A Terminating namespace is
 * emptied: its deployments, replica sets, quotas, limit ranges, config maps, secrets, services
 * and their endpoint slices, network policies and public IPs (released) are deleted at once, its pods terminate gracefully; once no pod is
 * left its events and then the namespace go.
 */
import { type Ctx, isTerminal, terminatePod } from "../core/context";

export function syncGc(ctx: Ctx, key: string): void {
  if (key === "all") {
    for (const p of [...ctx.state.all("Pod")]) gcPod(ctx, p.id);
    for (const r of [...ctx.state.all("ReplicaSet")]) gcReplicaSet(ctx, r.id);
    for (const ns of [...ctx.state.all("Namespace")]) if (ns.status.phase === "Terminating") gcNamespace(ctx, ns.id);
    return;
  }
  const slash = key.indexOf("/");
  const id = key.slice(slash + 1);
  if (key.startsWith("pod/")) gcPod(ctx, id);
  else if (key.startsWith("rs/")) gcReplicaSet(ctx, id);
  else if (key.startsWith("ns/")) gcNamespace(ctx, id);
}

function gcNamespace(ctx: Ctx, id: string): void {
  const { state } = ctx;
  const ns = state.get("Namespace", id);
  if (ns?.status.phase !== "Terminating") return;
  const inside = <T extends { namespace: string }>(objects: T[]) => objects.filter((o) => o.namespace === ns.name);
  const tenant = ns.tenantId;
  for (const d of inside(state.ofTenant("Deployment", tenant))) state.remove("Deployment", d.id);
  for (const r of inside(state.ofTenant("ReplicaSet", tenant))) state.remove("ReplicaSet", r.id);
  for (const q of inside(state.ofTenant("ResourceQuota", tenant))) state.remove("ResourceQuota", q.id);
  for (const l of inside(state.ofTenant("LimitRange", tenant))) state.remove("LimitRange", l.id);
  for (const c of inside(state.ofTenant("ConfigMap", tenant))) state.remove("ConfigMap", c.id);
  for (const s of inside(state.ofTenant("Secret", tenant))) state.remove("Secret", s.id);
  for (const s of inside(state.ofTenant("Service", tenant))) state.remove("Service", s.id);
  for (const s of inside(state.ofTenant("EndpointSlice", tenant))) state.remove("EndpointSlice", s.id);
  for (const n of inside(state.ofTenant("NetworkPolicy", tenant))) state.remove("NetworkPolicy", n.id);
  // Their addresses go back to the pool (after the hold) once the deletions are committed.
  for (const p of inside(state.ofTenant("PublicIP", tenant))) state.remove("PublicIP", p.id);
  const pods = inside(state.ofTenant("Pod", tenant));
  for (const p of pods) {
    // A pod that never ran or has finished holds nothing to stop: it goes at once.
    if (!p.nodeId || isTerminal(p)) state.remove("Pod", p.id);
    else terminatePod(ctx, p, "Killing");
  }
  // The pods still terminating bring this key back as each one goes (informers).
  if (inside(state.ofTenant("Pod", tenant)).length > 0) return;
  for (const e of inside(state.ofTenant("Event", tenant))) state.remove("Event", e.id);
  state.remove("Namespace", ns.id);
}

function gcPod(ctx: Ctx, id: string): void {
  const p = ctx.state.get("Pod", id);
  if (!p) return;
  const now = ctx.clock.now();
  if (p.deletionTimestamp !== undefined) {
    const due = p.deletionTimestamp + (p.deletionGraceMs ?? 0);
    if (now >= due) ctx.state.remove("Pod", id);
    else ctx.queues.gc.addAfter(`pod/${id}`, due - now);
    return;
  }
  if (p.nodeId && !ctx.state.get("Node", p.nodeId)) {
    ctx.state.remove("Pod", id);
    return;
  }
  if (p.ownerReplicaSetId && !ctx.state.get("ReplicaSet", p.ownerReplicaSetId)) {
    terminatePod(ctx, p, "Killing");
    return;
  }
  if (isTerminal(p)) {
    const finished = Math.max(
      0,
      ...p.status.containerStatuses.map((c) => ("terminated" in c.state ? c.state.terminated.finishedAt : 0)),
    );
    const due = finished + ctx.config.terminalPodRetentionMs;
    if (now >= due) ctx.state.remove("Pod", id);
    else ctx.queues.gc.addAfter(`pod/${id}`, due - now);
  }
}

function gcReplicaSet(ctx: Ctx, id: string): void {
  const rs = ctx.state.get("ReplicaSet", id);
  if (rs && !ctx.state.get("Deployment", rs.deploymentId)) ctx.state.remove("ReplicaSet", id);
}
