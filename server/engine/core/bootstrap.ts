/**
 * Start-up and recovery: after the cache was (re)loaded from the store, hand every
 * object to the controllers as an Add (level-triggered: they work out what is missing),
 * re-arm the runtime (adopting running containers) and rebuild in-memory indexes; tenants
 * without Vpc and Subnet objects get their defaults (one batch, committed by the first pass).
 * Heartbeat clocks restart at "now", as Kubernetes' node controller does on start.
 */
import type { Ctx } from "./context";
import { isPending } from "../scheduler/scheduler";
import { jsonEqual } from "../kinds/json-equal";
import type { PodStatus } from "../kinds/types";
import { SLICES_BY_SERVICE } from "../kinds/endpoint-slice";
import { forwardingOf } from "../runtime/traffic/traffic-network";
import { migrateTenantNetworks } from "../network/tenant-network-objects";

export function attachRuntime(ctx: Ctx, kick: () => void): void {
  ctx.runtime.attach({
    clock: ctx.clock,
    timers: ctx.timers,
    rng: ctx.rng,
    sources: (kind, tenantId, namespace, name) => ctx.state.byName(kind, tenantId, name, namespace),
    // The traffic model decides every flow by the same tables as the connectivity check.
    network: {
      security: ctx.securityState,
      services: forwardingOf(() => ctx.serviceNetwork.tables),
      publicIps: ctx.publicIps,
    },
    sink: {
      podStatus(podId, status) {
        const pod = ctx.state.get("Pod", podId);
        if (!pod) return;
        // An agent re-reporting what is already stored (after a restart it re-reports every
        // adopted container) changes nothing: no write, so recovery does not rewrite every pod.
        if (sameStatus(pod.status, status)) return;
        const running = status.phase === "Running" && status.containerStatuses.every((c) => "running" in c.state);
        ctx.state.put({ ...pod, status, runningAt: pod.runningAt ?? (running ? ctx.clock.now() : undefined) });
        kick();
      },
      podEvent(podId, type, reason, message) {
        const pod = ctx.state.get("Pod", podId);
        if (!pod || (type === "Normal" && !ctx.config.podEvents)) return;
        ctx.events.recordFor(pod, type, reason, message);
        kick();
      },
      heartbeat(nodeId) {
        ctx.heartbeats.set(nodeId, ctx.clock.now());
        if (ctx.state.get("Node", nodeId)?.phase === "NotReady") ctx.queues.node.add(nodeId, "update");
      },
    },
  });
}

export function bootstrap(ctx: Ctx, fresh: boolean): void {
  const { state, queues, runtime, scheduler } = ctx;
  const now = ctx.clock.now();
  ctx.events.rebuild();
  scheduler.reset();
  if (fresh) ctx.heartbeats.clear();
  for (const n of state.all("Node")) {
    if (!ctx.heartbeats.has(n.id)) ctx.heartbeats.set(n.id, now);
    if (n.phase !== "Provisioning") runtime.startNode(n);
    queues.node.add(n.id, "add");
  }
  // Tenants older than the Vpc and Subnet kinds get theirs (staged: the first pass commits them).
  migrateTenantNetworks(ctx);
  restoreAddresses(ctx, now);
  restoreServiceNetwork(ctx);
  restorePublicIps(ctx, now);
  // Rebuilt lazily from the committed groups, policies, bans and pods on its next read.
  ctx.securityState.reset();
  for (const p of state.all("Pod")) {
    if (isPending(p)) scheduler.enqueue(p);
    else if (p.nodeId && p.deletionTimestamp === undefined) runtime.runPod(p);
    if (p.deletionTimestamp !== undefined)
      runtime.stopPod(p.id, Math.max(0, p.deletionTimestamp + (p.deletionGraceMs ?? 0) - now));
  }
  for (const d of state.all("Deployment")) queues.deployment.add(d.id, "add");
  for (const r of state.all("ReplicaSet")) queues.replicaSet.add(r.id, "add");
  for (const t of state.tenantIds("NodePool")) queues.provisioner.add(t, "add");
  for (const s of state.all("Service")) queues.endpoints.add(s.id, "add");
  for (const p of state.all("PublicIP")) queues.publicIps.add(`pip/${p.id}`, "add");
  queues.gc.add("all", "add");
  // After a failed commit the agents' last reports may be lost with it: ask again.
  if (!fresh) runtime.resync();
}

/**
 * The committed pods' addresses are the truth: rebuild the allocators from them. Two live pods
 * recorded with one address cannot both keep it; the older keeps it, the other is told by an event.
 */
function restoreAddresses(ctx: Ctx, now: number): void {
  const pods = [...ctx.state.all("Pod")].sort((a, b) => a.createdAt - b.createdAt);
  for (const problem of ctx.addresses.restore(pods, now)) {
    const pod = ctx.state.get("Pod", problem.owner);
    if (pod) ctx.events.recordFor(pod, "Warning", "AddressConflict", problem.message);
  }
}

/**
 * The committed Services' ClusterIPs and the committed slices are the truth: rebuild the allocators and
 * the forwarding tables from them. Two services recorded with one address: the older keeps it, the
 * other is told by an event and left out of the table.
 */
function restoreServiceNetwork(ctx: Ctx): void {
  const { state } = ctx;
  const problems = ctx.serviceNetwork.restore(state.all("Service"), (id) =>
    state.indexed("EndpointSlice", SLICES_BY_SERVICE, id),
  );
  for (const problem of problems) {
    const svc = state.get("Service", problem.serviceId);
    if (svc) ctx.events.recordFor(svc, "Warning", "ClusterIPConflict", problem.message);
  }
}

/**
 * The committed pools and PublicIPs are the truth: rebuild the allocator, the bindings and the DDoS
 * state from them. Two PublicIPs recorded with one address: the older keeps it, the other is told.
 */
function restorePublicIps(ctx: Ctx, now: number): void {
  for (const problem of ctx.publicIps.restore(now)) {
    const p = ctx.state.get("PublicIP", problem.owner);
    if (p) ctx.events.recordFor(p, "Warning", "AddressConflict", problem.message);
  }
}

const restatedOnly: ReadonlySet<string> = new Set(["lastUpdateTime"]);

/**
 * Equal statuses, ignoring when conditions were last re-stated (lastUpdateTime). Key order
 * does not matter: objects loaded from PostgreSQL's jsonb come back with their keys sorted.
 */
export function sameStatus(a: PodStatus, b: PodStatus): boolean {
  return jsonEqual(a, b, restatedOnly);
}
