/**
 * Replica-set controller: sync(replicaSetId) makes the number of live pods equal
 * spec.replicas. Guarantees:
 * - Creates at most `podCreateBurst` pods per sync (the rest on the next pass); each
 *   creation is checked against the tenant quota (actual usage); a refusal records a
 *   FailedCreate warning and retries with back-off through the queue.
 * - Deletes the cheapest pods first: unscheduled, then Pending, then not ready, then on
 *   unhealthy nodes, then most restarted, then newest, so scaling down costs as little
 *   availability as possible (the rollout arithmetic relies on this).
 * - movePod pairs: a pod with `migrationOf` counts instead of the old one; once the new
 *   pod is available the old one is terminated (make-before-break).
 */
import { type Ctx, isAvailable, isLive, isReady, newId, terminatePod } from "../core/context";
import { admitPod, templateRequests } from "../admission/quota";
import { randomString } from "../queue/rng";
import { type Deployment, EMPTY_MAP, type Pod, type ReplicaSet } from "../kinds/types";

export function syncReplicaSet(ctx: Ctx, id: string): void {
  const rs = ctx.state.get("ReplicaSet", id);
  if (!rs) return;
  const d = ctx.state.get("Deployment", rs.deploymentId);
  if (!d) {
    ctx.queues.gc.add(`rs/${id}`);
    return;
  }
  const live = ctx.state.podsOfReplicaSet(id).filter(isLive);
  const replaced = new Set<string>();
  for (const p of live) {
    if (!p.migrationOf) continue;
    const old = ctx.state.get("Pod", p.migrationOf);
    if (!old || !isLive(old)) continue;
    // Either way the old pod no longer counts: its copy stands in for it.
    if (isAvailable(ctx, p)) terminatePod(ctx, old, "Moved");
    replaced.add(old.id);
  }
  const active = live.filter((p) => !replaced.has(p.id));
  const diff = active.length - rs.replicas;
  if (diff < 0) {
    const want = Math.min(-diff, ctx.config.podCreateBurst);
    const requests = templateRequests(rs.template);
    for (let i = 0; i < want; i++) {
      const refusal = admitPod(ctx.state, rs.tenantId, requests, rs.namespace);
      if (refusal) {
        ctx.events.recordFor(
          rs,
          "Warning",
          "FailedCreate",
          `Error creating: pods "${rs.name}-" is forbidden: ${refusal}`,
        );
        ctx.queues.replicaSet.addRateLimited(id);
        return;
      }
      createPod(ctx, d, rs, requests);
    }
    if (want < -diff) ctx.queues.replicaSet.add(id, "update");
  } else if (diff > 0) {
    const victims = [...active]
      .sort((a, b) => deletionRank(ctx, a) - deletionRank(ctx, b) || b.createdAt - a.createdAt)
      .slice(0, diff);
    for (const p of victims) {
      terminatePod(ctx, p, "Killing");
      if (ctx.config.podEvents) ctx.events.recordFor(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${p.name}`);
    }
  }
  if (diff >= 0) ctx.queues.replicaSet.forget(id);
}

/** Lower ranks are deleted first (Kubernetes' ActivePodsWithRanks, simplified). */
function deletionRank(ctx: Ctx, p: Pod): number {
  if (!p.nodeId) return 0;
  if (p.status.phase === "Pending") return 1;
  if (p.status.phase === "Unknown") return 2;
  if (!isReady(p)) return 3;
  if (ctx.state.get("Node", p.nodeId)?.phase !== "Ready") return 4;
  const restarts = p.status.containerStatuses.reduce((s, c) => s + c.restartCount, 0);
  return 10 + 1 / (1 + restarts);
}

export function createPod(
  ctx: Ctx,
  d: Deployment,
  rs: ReplicaSet,
  requests = templateRequests(rs.template),
  extra: Partial<Pod> = {},
): Pod {
  let name = `${d.name}-${rs.templateHash}-${randomString(ctx.rng, 5)}`;
  while (ctx.state.byName("Pod", d.tenantId, name, rs.namespace))
    name = `${d.name}-${rs.templateHash}-${randomString(ctx.rng, 5)}`;
  const annotations = rs.template.annotations;
  // Shared, never copied per pod: the replica set's labels (with pod-template-hash), the
  // template's annotations and spec (memory: 150,000 pods).
  const pod: Pod = {
    kind: "Pod",
    id: newId(ctx, "Pod", "pod"),
    tenantId: d.tenantId,
    namespace: rs.namespace,
    name,
    labels: rs.labels,
    annotations: Object.keys(annotations).length === 0 ? EMPTY_MAP : annotations,
    generation: 1,
    ownerReplicaSetId: rs.id,
    deploymentId: d.id,
    templateHash: rs.templateHash,
    spec: rs.template.spec,
    requests,
    status: { phase: "Pending", conditions: [], containerStatuses: [] },
    createdAt: ctx.clock.now(),
    resourceVersion: 0,
    ...extra,
  };
  if (ctx.config.podEvents) ctx.events.recordFor(rs, "Normal", "SuccessfulCreate", `Created pod: ${name}`);
  return ctx.state.put(pod);
}
