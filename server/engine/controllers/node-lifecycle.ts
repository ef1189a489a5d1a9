/**
 * Node lifecycle controller: sync(nodeId).
 * Guarantees (Kubernetes defaults): a Provisioning VM becomes Ready when its modelled
 * boot completes; a Ready node whose agent has not sent a heartbeat (every 10 s) for
 * nodeMonitorGraceMs (50 s) becomes NotReady and its pods stop counting as available;
 * after podEvictionTimeoutMs (300 s) NotReady its pods are evicted (Terminating, then
 * removed by GC) and their replica sets recreate them on healthy nodes, or they wait
 * Pending with the scheduler's reason. A heartbeat brings a NotReady node back.
 */
import { type Ctx, isLive, terminatePod } from "../core/context";
import type { Node } from "../kinds/types";

export function syncNode(ctx: Ctx, id: string): void {
  const node = ctx.state.get("Node", id);
  if (!node) return;
  const now = ctx.clock.now();
  const { nodeMonitorGraceMs: grace, podEvictionTimeoutMs: evictAfter } = ctx.config;
  const hb = ctx.heartbeats.get(id) ?? node.lastHeartbeat;
  const ev = (type: "Normal" | "Warning", reason: string, message: string) =>
    ctx.events.recordFor(node, type, reason, message);

  if (node.draining && ctx.state.podCountOnNode(id) === 0) {
    ctx.state.put<Node>({ ...node, draining: false });
    ev("Normal", "Drained", `Node ${node.name} drained: no pods left (still cordoned)`);
    return;
  }
  if (node.phase === "Provisioning") {
    if (now >= node.provisionReadyAt) {
      ctx.heartbeats.set(id, now);
      ctx.state.put<Node>({ ...node, phase: "Ready", readyAt: now, lastHeartbeat: now });
      ev(
        "Normal",
        "NodeReady",
        `Node ${node.name} status is now: NodeReady (VM booted in ${Math.round((now - node.createdAt) / 1000)}s)`,
      );
    } else ctx.queues.node.addAfter(id, node.provisionReadyAt - now, "add");
    return;
  }
  if (node.phase === "Ready") {
    if (now - hb > grace) {
      ctx.state.put<Node>({ ...node, phase: "NotReady", notReadySince: now, lastHeartbeat: hb });
      ev(
        "Warning",
        "NodeNotReady",
        `Node ${node.name} status is now: NodeNotReady (no heartbeat for ${Math.round((now - hb) / 1000)}s)`,
      );
      if (ctx.state.podCountOnNode(id) > 0) ctx.queues.node.addAfter(id, evictAfter);
    }
    return;
  }
  // NotReady
  if (now - hb <= grace) {
    ctx.state.put<Node>({ ...node, phase: "Ready", notReadySince: undefined, lastHeartbeat: hb });
    ev("Normal", "NodeReady", `Node ${node.name} status is now: NodeReady`);
    return;
  }
  const since = node.notReadySince ?? now;
  if (now - since >= evictAfter) {
    for (const p of ctx.state.podsOnNode(id)) if (isLive(p)) terminatePod(ctx, p, "NodeLost");
  } else if (ctx.state.podCountOnNode(id) > 0) ctx.queues.node.addAfter(id, since + evictAfter - now);
}

/** Periodic monitor: queue every Ready node whose heartbeat is overdue. O(nodes) per period. */
export function monitorNodes(ctx: Ctx): void {
  const now = ctx.clock.now();
  for (const n of ctx.state.all("Node")) {
    if (n.phase === "Ready" && now - (ctx.heartbeats.get(n.id) ?? n.lastHeartbeat) > ctx.config.nodeMonitorGraceMs)
      ctx.queues.node.add(n.id, "update");
  }
}
