/**
 * What needs someone's attention in a tenant, for the overview (pure; `now` is the engine's
 * time). Deployments and pods are judged by health.ts and nothing else, so the overview
 * can never call healthy what the workloads pages call degraded, or the other way round.
 * On top of that: nodes that stopped answering, node pools with no Ready node (VMs still
 * booting while pods wait for them, or booting for far too long), and quota over its limit.
 */
import type { NodePhase } from "../engine/kinds/types";
import { type Health, isUnhealthy } from "./health";

/** Booting a VM takes ~20-60 s; a pool without a Ready node for longer than this is stuck. */
export const NO_READY_NODE_MS = 180_000;

export interface AttentionInput {
  now: number;
  deployments: { id: string; name: string; health: Health }[];
  pods: { name: string; deploymentId?: string; health: Health }[];
  nodes: {
    name: string;
    phase: NodePhase;
    warm: boolean;
    createdAt: number;
    provisionReadyAt: number;
    labels: Record<string, string>;
    poolId: string;
  }[];
  quota?: { limits: Partial<Record<QuotaResource, number>>; used: Record<QuotaResource, number> };
}

export type QuotaResource = "cpuMillis" | "memoryBytes" | "pods" | "nodes";

export type AttentionItem =
  | { kind: "Deployment" | "Pod"; key: string; tone: "bad"; name: string; health: Health }
  | { kind: "Node"; key: string; tone: "bad"; name: string; reason: "NodeNotReady" }
  | {
      kind: "NodePool";
      key: string;
      tone: "bad" | "warn";
      name: string;
      reason: "NoReadyNode" | "WaitingForNode";
      node: string;
      readyInMs: number;
      waitingPods: number;
      sinceMs: number;
    }
  | { kind: "Quota"; key: string; tone: "bad"; name: QuotaResource; reason: "OverQuota"; used: number; limit: number };

export function attentionItems(input: AttentionInput): AttentionItem[] {
  const out: AttentionItem[] = [];
  const flagged = new Set<string>();
  for (const d of input.deployments) {
    if (!isUnhealthy(d.health)) continue;
    flagged.add(d.id);
    out.push({ kind: "Deployment", key: `deployment/${d.name}`, tone: "bad", name: d.name, health: d.health });
  }
  // A pod of a deployment listed above is already explained there (its health names the pod).
  for (const p of input.pods) {
    if (!isUnhealthy(p.health) || (p.deploymentId && flagged.has(p.deploymentId))) continue;
    out.push({ kind: "Pod", key: `pod/${p.name}`, tone: "bad", name: p.name, health: p.health });
  }
  const active = input.nodes.filter((n) => !n.warm);
  for (const n of active)
    if (n.phase === "NotReady")
      out.push({ kind: "Node", key: `node/${n.name}`, tone: "bad", name: n.name, reason: "NodeNotReady" });

  const waitingPods = input.pods.filter((p) => p.health.reason === "Unschedulable").length;
  const pools = new Map<string, typeof active>();
  for (const n of active) pools.set(n.poolId, [...(pools.get(n.poolId) ?? []), n]);
  for (const nodes of pools.values()) {
    if (nodes.some((n) => n.phase === "Ready")) continue;
    const booting = nodes
      .filter((n) => n.phase === "Provisioning")
      .sort((a, b) => a.provisionReadyAt - b.provisionReadyAt);
    const first = booting[0];
    if (!first) continue;
    const since = Math.min(...booting.map((n) => n.createdAt));
    const stuck = input.now - since >= NO_READY_NODE_MS;
    if (!stuck && waitingPods === 0) continue;
    const pool = first.labels["cloud/pool"] ?? first.poolId;
    out.push({
      kind: "NodePool",
      key: `nodepool/${pool}`,
      tone: stuck ? "bad" : "warn",
      name: pool,
      reason: stuck ? "NoReadyNode" : "WaitingForNode",
      node: first.name,
      readyInMs: Math.max(0, first.provisionReadyAt - input.now),
      waitingPods,
      sinceMs: input.now - since,
    });
  }

  if (input.quota) {
    for (const r of ["cpuMillis", "memoryBytes", "pods", "nodes"] as const) {
      const limit = input.quota.limits[r];
      const used = input.quota.used[r];
      if (limit !== undefined && used > limit)
        out.push({ kind: "Quota", key: `quota/${r}`, tone: "bad", name: r, reason: "OverQuota", used, limit });
    }
  }
  return out;
}
