/**
 * Baseline for benchmarks: a kube-scheduler-shaped algorithm over the WHOLE cluster.
 * It walks all nodes from a rotating start index, filters (tenant ownership first, then
 * the same plugins as the tenant scheduler) until it has found an adaptive number of
 * feasible nodes (50 % - nodes/125 %, at least 5 %, at least 100 nodes), and scores
 * those. Placement results obey the same rules as the tenant scheduler; its cost grows
 * with the cluster, which is what the comparison is meant to show. Its unschedulable
 * message counts every node in the cluster, as kube-scheduler's would.
 */
import {
  DEFAULT_FILTERS,
  DEFAULT_SCORES,
  type Placement,
  pluginsFor,
  runFilters,
  scoreNode,
  tenantOwnership,
  unschedulableMessage,
} from "./scheduler-plugins";
import type { EngineState } from "../core/state";
import type { Node, Pod } from "../kinds/types";

export function numFeasibleNodesToFind(total: number): number {
  if (total < 100) return total;
  const pct = Math.max(5, 50 - total / 125);
  return Math.max(100, Math.floor((total * pct) / 100));
}

export interface PlacementAlgorithm {
  readonly name: "tenant" | "global";
  place(pod: Pod, state: EngineState): Placement;
}

export function createGlobalAlgorithm(): PlacementAlgorithm {
  let start = 0;
  let nodes: Node[] = [];
  let builtFor = -1;
  const filters = [tenantOwnership, ...DEFAULT_FILTERS];
  return {
    name: "global",
    place(pod, state) {
      // A cluster-wide node list, rebuilt when nodes come or go (kube keeps a snapshot);
      // each node's current version is read from the state as it is evaluated.
      if (state.nodeSetVersion !== builtFor) {
        nodes = [...state.all("Node")];
        builtFor = state.nodeSetVersion;
      }
      const total = nodes.length; // includes warm standbys, which the filters skip
      const want = numFeasibleNodesToFind(total);
      const reasons = new Map<string, number>();
      let best: Node | undefined;
      let bestScore = -Infinity;
      let found = 0;
      let evaluated = 0;
      const podFilters = pluginsFor(pod, filters);
      const podScores = pluginsFor(pod, DEFAULT_SCORES);
      for (let i = 0; i < total && found < want; i++) {
        const node = state.get("Node", (nodes[(start + i) % total] as Node).id);
        if (!node || node.warm) continue;
        evaluated++;
        const s = runFilters(pod, node, state, podFilters);
        if (!s.ok) {
          for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
          continue;
        }
        found++;
        const sc = scoreNode(pod, node, state, podScores);
        if (sc > bestScore) {
          best = node;
          bestScore = sc;
        }
      }
      start = total === 0 ? 0 : (start + evaluated) % total;
      if (best) return { nodeId: best.id, nodeName: best.name, evaluated };
      // Nothing feasible means every non-warm node was evaluated: that is the total to report.
      return { message: unschedulableMessage(evaluated, reasons, "the cluster has no nodes"), evaluated };
    },
  };
}
