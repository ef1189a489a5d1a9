/**
 * Scheduler framework pieces shared by the per-tenant and the global scheduler.
 * Guarantees: filter and score plugins return a status or a number and never throw;
 * a pod only ever lands on a node of its own tenant that is Ready, not cordoned, not a
 * warm standby, matches its nodeSelector and has room (cpu, memory, pod count, and NIC for
 * its bandwidth guarantees: Σ guarantees per node and direction ≤ the NIC, network/qos).
 * Among feasible nodes, guarantees spread to the node least committed after placement.
 * unschedulableMessage() builds the kube text, e.g.
 * `0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were not ready.`
 */
import type { EngineState } from "../core/state";
import type { Node, Pod } from "../kinds/types";
import { bandwidthFitWith, type CommittedOn, leastCommittedBandwidthWith } from "../network/qos";
import { committedBandwidthOf } from "./committed-bandwidth";

export type FilterStatus = { ok: true } | { ok: false; reasons: string[] };
const OK: FilterStatus = { ok: true };

/**
 * `skip(pod)` true: the plugin has nothing to say about this pod on any node (kube-scheduler's
 * PreFilter / PreScore Skip), so a placement does not call it once per node.
 */
export interface FilterPlugin {
  name: string;
  filter(pod: Pod, node: Node, state: EngineState): FilterStatus;
  skip?(pod: Pod): boolean;
}

export interface ScorePlugin {
  name: string;
  weight: number;
  /** 0..100; higher is better. */
  score(pod: Pod, node: Node, state: EngineState): number;
  skip?(pod: Pod): boolean;
}

/** The plugins that apply to `pod` (the same list when none skips it). */
export function pluginsFor<P extends { skip?(pod: Pod): boolean }>(pod: Pod, plugins: P[]): P[] {
  if (!plugins.some((p) => p.skip?.(pod))) return plugins;
  return plugins.filter((p) => !p.skip?.(pod));
}

export const tenantOwnership: FilterPlugin = {
  name: "TenantOwnership",
  filter: (pod, node) =>
    node.tenantId === pod.tenantId ? OK : { ok: false, reasons: ["node(s) belong to another tenant"] },
};

export const nodeReady: FilterPlugin = {
  name: "NodeReady",
  filter: (_pod, node) =>
    node.phase === "Ready" && !node.warm ? OK : { ok: false, reasons: ["node(s) were not ready"] },
};

export const nodeUnschedulable: FilterPlugin = {
  name: "NodeUnschedulable",
  filter: (_pod, node) => (node.unschedulable ? { ok: false, reasons: ["node(s) were unschedulable"] } : OK),
};

export const nodeSelector: FilterPlugin = {
  name: "NodeAffinity",
  filter: (pod, node) => {
    for (const [k, v] of Object.entries(pod.spec.nodeSelector)) {
      if (node.labels[k] !== v) return { ok: false, reasons: ["node(s) didn't match Pod's node affinity/selector"] };
    }
    return OK;
  },
};

export const resourcesFit: FilterPlugin = {
  name: "NodeResourcesFit",
  filter: (pod, node, state) => {
    const a = state.allocatedOn(node.id);
    const reasons: string[] = [];
    if (a.pods + 1 > node.capacity.pods) reasons.push("Too many pods");
    if (a.cpuMillis + pod.requests.cpuMillis > node.capacity.cpuMillis) reasons.push("Insufficient cpu");
    if (a.memoryBytes + pod.requests.memoryBytes > node.capacity.memoryBytes) reasons.push("Insufficient memory");
    return reasons.length === 0 ? OK : { ok: false, reasons };
  },
};

/** Prefer nodes holding fewer pods of the same deployment (availability across VMs). */
export const spreadReplicas: ScorePlugin = {
  name: "SpreadReplicas",
  weight: 2,
  score: (pod, node, state) => {
    const owner = pod.deploymentId ?? pod.ownerReplicaSetId;
    if (!owner) return 100;
    let same = 0;
    for (const p of state.podsOnNode(node.id))
      if ((p.deploymentId ?? p.ownerReplicaSetId) === owner && p.deletionTimestamp === undefined) same++;
    return 100 / (1 + same);
  },
};

/** Prefer fuller nodes, so empty VMs can be released (MostAllocated). */
export const binPacking: ScorePlugin = {
  name: "BinPacking",
  weight: 1,
  score: (pod, node, state) => {
    const a = state.allocatedOn(node.id);
    const cpu = (a.cpuMillis + pod.requests.cpuMillis) / node.capacity.cpuMillis;
    const mem = (a.memoryBytes + pod.requests.memoryBytes) / node.capacity.memoryBytes;
    return Math.min(100, ((cpu + mem) / 2) * 100);
  },
};

/** The scheduler's incremental sums (committed-bandwidth.ts): O(1) per node, no walk of its pods. */
const committedOn: CommittedOn = (node, state) => committedBandwidthOf(state).committedOn(node);

/** Σ guarantees of the pods holding the node, per direction, stay within its NIC. */
export const bandwidthFit: FilterPlugin = bandwidthFitWith(committedOn);
/** Prefer the node least committed after placement, so guarantees spread and headroom to borrow stays. */
export const leastCommittedBandwidth: ScorePlugin = leastCommittedBandwidthWith(committedOn);

export const DEFAULT_FILTERS: FilterPlugin[] = [nodeReady, nodeUnschedulable, nodeSelector, resourcesFit, bandwidthFit];
export const DEFAULT_SCORES: ScorePlugin[] = [spreadReplicas, binPacking, leastCommittedBandwidth];

export type Placement =
  | { nodeId: string; nodeName: string; evaluated: number }
  | { message: string; evaluated: number };

export function runFilters(pod: Pod, node: Node, state: EngineState, filters: FilterPlugin[]): FilterStatus {
  for (const f of filters) {
    const s = f.filter(pod, node, state);
    if (!s.ok) return s;
  }
  return OK;
}

export function scoreNode(pod: Pod, node: Node, state: EngineState, scores: ScorePlugin[]): number {
  let total = 0;
  for (const s of scores) total += s.weight * s.score(pod, node, state);
  return total;
}

export function unschedulableMessage(total: number, reasons: Map<string, number>, emptyHint?: string): string {
  if (total === 0) return `0/0 nodes are available: ${emptyHint ?? "no nodes"}.`;
  const parts = [...reasons.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([r, n]) => `${n} ${r}`);
  return `0/${total} nodes are available: ${parts.join(", ")}.`;
}

/** Filter every candidate, score the feasible ones; ties go to the first candidate. */
export function placeOnCandidates(
  pod: Pod,
  candidates: Iterable<Node>,
  state: EngineState,
  filters = DEFAULT_FILTERS,
  scores = DEFAULT_SCORES,
): Placement {
  let best: Node | undefined;
  let bestScore = -Infinity;
  let total = 0;
  const reasons = new Map<string, number>();
  const podFilters = pluginsFor(pod, filters);
  const podScores = pluginsFor(pod, scores);
  for (const node of candidates) {
    total++;
    const s = runFilters(pod, node, state, podFilters);
    if (!s.ok) {
      for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
      continue;
    }
    const sc = scoreNode(pod, node, state, podScores);
    if (sc > bestScore) {
      best = node;
      bestScore = sc;
    }
  }
  if (best) return { nodeId: best.id, nodeName: best.name, evaluated: total };
  return {
    message: unschedulableMessage(total, reasons, "the tenant has no nodes; create a node pool"),
    evaluated: total,
  };
}
