/**
 * Public IP binding controller. Keys: `pip/<id>` (a PublicIP's phase and holder) and
 * `svc/<tenant>/<namespace>/<name>` (a Service's LoadBalancer ingress). Level-triggered and
 * idempotent: each sync computes what the state says and writes only what differs.
 *
 * Rules (a PublicIP's `spec.target` is what the tenant asked; `status` and `holder` what holds it):
 * - Service target: Bound while the Service exists and is type LoadBalancer, else Pending; the
 *   Service's `status.loadBalancer.ingress` is `[{ ip }]` of its Bound PublicIP, `{}` without one.
 * - Pod target: the named pod holds it once live; Bound once it has its private address (Pending
 *   until then). When the holder stops being live (Terminating, finished, gone):
 *   - sticky: the replacement holds it: the holder's copy made by movePod (`migrationOf`), else the
 *     first pod its ReplicaSet creates from that moment (an eviction, a drain, a deletion) that no
 *     other PublicIP holds (event PublicIpFollowed); Pending while one is expected (the ReplicaSet
 *     has fewer live pods than replicas);
 *   - otherwise, or when no replacement will come (scaled down, ReplicaSet gone): the binding ends,
 *     `spec.target` is cleared and the address stays the tenant's, Allocated (event PublicIpUnbound).
 * Events are recorded on the PublicIP. Cost: O(1) lookups per key, O(pods of one ReplicaSet) when a
 * sticky binding looks for its replacement; nothing scans the cluster's pods.
 */
import { type Ctx, isLive } from "../core/context";
import { jsonEqual } from "../kinds/json-equal";
import {
  PUBLIC_IPS_BY_HOLDER,
  PUBLIC_IPS_BY_TARGET,
  type PublicIp,
  type PublicIpHolder,
  type PublicIpStatus,
  publicIpTargetKey,
} from "../kinds/public-ip";
import type { Pod } from "../kinds/types";

export function syncPublicIpBinding(ctx: Ctx, key: string): void {
  if (key.startsWith("pip/")) {
    const p = ctx.state.get("PublicIP", key.slice(4));
    if (!p) return;
    const next = reconcileBinding(ctx, p);
    if (next !== p) ctx.state.put(next);
  } else if (key.startsWith("svc/")) {
    const [tenantId, namespace, name] = key.slice(4).split("/") as [string, string, string];
    syncServiceIngress(ctx, tenantId, namespace, name);
  }
}

/** The PublicIP as its target and holder say it should be now (the same object when nothing changes); records its events. */
export function reconcileBinding(ctx: Ctx, p: PublicIp): PublicIp {
  const target = p.spec.target;
  if (target === undefined) return withBinding(p, { phase: "Allocated" }, undefined);
  if (target.kind === "Service") {
    const svc = ctx.state.byName("Service", p.tenantId, target.name, p.namespace);
    const bound = svc?.spec.type === "LoadBalancer";
    const next = withBinding(p, { phase: bound ? "Bound" : "Pending" }, undefined);
    if (bound && p.status.phase !== "Bound")
      ctx.events.recordFor(p, "Normal", "PublicIpBound", `Bound ${p.status.address} to service ${target.name}`);
    return next;
  }
  const holder = p.holder;
  const held = holder === undefined ? undefined : ctx.state.get("Pod", holder.podUid);
  if (holder === undefined || (held !== undefined && isLive(held) && holder.waitingSince === undefined)) {
    const pod = held ?? ctx.state.byName("Pod", p.tenantId, target.name, p.namespace);
    if (pod === undefined || !isLive(pod)) return withBinding(p, { phase: "Pending" }, undefined);
    return holdBy(ctx, p, pod, "PublicIpBound", `Bound ${p.status.address} to pod ${pod.name}`);
  }
  // The holder stopped being live (or a sticky binding waits for its replacement).
  const lastName = p.status.boundPod ?? held?.name ?? target.name;
  if (p.spec.sticky) {
    const since = holder.waitingSince ?? held?.deletionTimestamp ?? ctx.clock.now();
    const rsId = holder.replicaSetUid ?? held?.ownerReplicaSetId;
    const replacement = findReplacement(ctx, p, holder.podUid, rsId, since);
    if (replacement)
      return holdBy(
        ctx,
        p,
        replacement,
        "PublicIpFollowed",
        `${p.status.address} followed pod ${lastName} to its replacement ${replacement.name}`,
      );
    if (replacementExpected(ctx, rsId))
      return withBinding(p, { phase: "Pending" }, { podUid: holder.podUid, replicaSetUid: rsId, waitingSince: since });
  }
  ctx.events.recordFor(
    p,
    "Normal",
    "PublicIpUnbound",
    p.spec.sticky
      ? `Pod ${lastName} is gone and nothing replaces it: ${p.status.address} is unbound and stays allocated`
      : `Pod ${lastName} is gone: ${p.status.address} is unbound and stays allocated (the binding is not sticky)`,
  );
  const { target: _, sticky: __, ...spec } = p.spec;
  return withBinding({ ...p, spec, generation: p.generation + 1 }, { phase: "Allocated" }, undefined);
}

function holdBy(ctx: Ctx, p: PublicIp, pod: Pod, reason: string, message: string): PublicIp {
  const phase = pod.podIP === undefined ? "Pending" : "Bound";
  const holder: PublicIpHolder = {
    podUid: pod.id,
    ...(pod.ownerReplicaSetId !== undefined ? { replicaSetUid: pod.ownerReplicaSetId } : {}),
  };
  const next = withBinding(p, phase === "Bound" ? { phase, boundPod: pod.name } : { phase }, holder);
  if (phase === "Bound" && (p.status.phase !== "Bound" || p.status.boundPod !== pod.name))
    ctx.events.recordFor(p, "Normal", reason, message);
  return next;
}

/** `p` with this phase, bound pod and holder (the same object when they are already so). */
function withBinding(
  p: PublicIp,
  binding: Pick<PublicIpStatus, "phase" | "boundPod">,
  holder: PublicIpHolder | undefined,
): PublicIp {
  const { boundPod: _, phase: __, ...rest } = p.status;
  const status: PublicIpStatus = { ...rest, ...binding };
  if (jsonEqual(status, p.status) && jsonEqual(holder, p.holder)) return p;
  const next: PublicIp = { ...p, status };
  if (holder === undefined) delete next.holder;
  else next.holder = holder;
  return next;
}

/** The pod replacing `holderUid`: its movePod copy, else the first new pod of its ReplicaSet that no other PublicIP holds. */
function findReplacement(
  ctx: Ctx,
  p: PublicIp,
  holderUid: string,
  rsId: string | undefined,
  since: number,
): Pod | undefined {
  if (rsId === undefined) return undefined;
  const free = (pod: Pod) =>
    isLive(pod) &&
    pod.id !== holderUid &&
    ctx.state.indexed("PublicIP", PUBLIC_IPS_BY_HOLDER, pod.id).every((o) => o.id === p.id) &&
    ctx.state
      .indexed("PublicIP", PUBLIC_IPS_BY_TARGET, publicIpTargetKey(p.tenantId, p.namespace, "Pod", pod.name))
      .every((o) => o.id === p.id);
  const pods = ctx.state.podsOfReplicaSet(rsId);
  const copy = pods.find((pod) => pod.migrationOf === holderUid && free(pod));
  if (copy) return copy;
  return pods
    .filter((pod) => pod.createdAt >= since && pod.migrationOf === undefined && free(pod))
    .sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1))[0];
}

/** Whether the ReplicaSet will create a pod: it exists and has fewer live pods than it wants. */
function replacementExpected(ctx: Ctx, rsId: string | undefined): boolean {
  const rs = ctx.state.get("ReplicaSet", rsId);
  if (!rs || !ctx.state.get("Deployment", rs.deploymentId)) return false;
  return ctx.state.podsOfReplicaSet(rs.id).filter(isLive).length < rs.replicas;
}

/** The Service's LoadBalancer ingress: its Bound PublicIP's address, or none. */
function syncServiceIngress(ctx: Ctx, tenantId: string, namespace: string, name: string): void {
  const svc = ctx.state.byName("Service", tenantId, name, namespace);
  if (!svc) return;
  const bound = ctx.state
    .indexed("PublicIP", PUBLIC_IPS_BY_TARGET, publicIpTargetKey(tenantId, namespace, "Service", name))
    .filter((p) => p.status.phase === "Bound")
    .sort((a, b) => a.createdAt - b.createdAt)[0];
  const loadBalancer =
    bound && svc.spec.type === "LoadBalancer" ? { ingress: [{ ip: bound.status.address }] } : undefined;
  if (jsonEqual(loadBalancer, svc.status.loadBalancer)) return;
  const { loadBalancer: _, ...rest } = svc.status;
  ctx.state.put({ ...svc, status: loadBalancer ? { ...rest, loadBalancer } : rest });
}
