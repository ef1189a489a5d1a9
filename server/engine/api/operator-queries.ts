/**
 * Operator read side: across every tenant. Never exposed to a tenant (the API checks the
 * operator role before calling these).
 */
import type { EngineCore } from "../core/core";
import { injectedFailures } from "../runtime/injected-failures";
import { type Page, paginate } from "../core/lookup";
import { countsForQuota } from "../core/state";
import type { Node, NodeCapacity, Pod, Resources } from "../kinds/types";

/** A pod bound to a node, with the names a monitoring series is filed under. */
export interface PodPlacement {
  pod: Pod;
  revision?: number;
  deploymentName?: string;
}

export interface OperatorNodeView extends Node {
  allocated: Resources & { pods: number };
  /** An operator injected a failure on this node and has not recovered it. */
  agentFailed: boolean;
}

export interface TenantUsage {
  tenantId: string;
  nodes: number;
  capacity: NodeCapacity;
  /**
   * Requests of the pods bound to those nodes: what takes room on them. Pending pods take
   * none (they are what is still waiting for room), so they are counted apart.
   */
  used: Resources & { pods: number };
  /** Live pods not bound to a node yet. */
  pending: number;
  quota: { cpuMillis?: number; memoryBytes?: number; pods?: number; nodes?: number; publicIps?: number };
  deployments: number;
}

export function operatorQueries(core: EngineCore) {
  const { state } = core.ctx;
  return {
    /** Every node of the cluster (warm standbys included), by tenant then name; `search` matches a part of the name. */
    listAllNodes(
      opts: { cursor?: string; limit?: number; tenantId?: string; search?: string } = {},
    ): Page<OperatorNodeView> {
      const all = opts.tenantId ? state.ofTenant("Node", opts.tenantId) : [...state.all("Node")];
      const needle = opts.search?.toLowerCase();
      const nodes = needle ? all.filter((n) => n.name.toLowerCase().includes(needle)) : all;
      const failed = injectedFailures(core.ctx);
      const views = nodes.map((n) => ({
        ...n,
        lastHeartbeat: core.ctx.heartbeats.get(n.id) ?? n.lastHeartbeat,
        allocated: { ...state.allocatedOn(n.id) },
        agentFailed: failed.has(n.id),
      }));
      return paginate(views, (n) => `${n.tenantId}/${n.name}`, opts);
    },

    /**
     * Every live (non-warm) node with the Running pods bound to it: what each node's
     * monitoring agent collects. A node's pods are always its own tenant's.
     */
    runningPodsByNode(): { node: Node; pods: PodPlacement[] }[] {
      const out: { node: Node; pods: PodPlacement[] }[] = [];
      for (const node of state.all("Node")) {
        if (node.warm) continue;
        const pods: PodPlacement[] = [];
        for (const pod of state.podsOnNode(node.id)) {
          if (pod.status.phase !== "Running") continue;
          const rs = pod.ownerReplicaSetId ? state.get("ReplicaSet", pod.ownerReplicaSetId) : undefined;
          const deployment = pod.deploymentId ? state.get("Deployment", pod.deploymentId) : undefined;
          pods.push({ pod, revision: rs?.revision, deploymentName: deployment?.name });
        }
        out.push({ node, pods });
      }
      return out;
    },

    /** Capacity, usage and quota of every tenant known to the engine. */
    usageByTenant(): TenantUsage[] {
      const tenants = new Set([
        ...state.tenantIds("Quota"),
        ...state.tenantIds("NodePool"),
        ...state.tenantIds("Node"),
        ...state.tenantIds("Deployment"),
      ]);
      return [...tenants].sort().map((tenantId) => {
        const capacity = { cpuMillis: 0, memoryBytes: 0, pods: 0 };
        const used = { cpuMillis: 0, memoryBytes: 0, pods: 0 };
        let nodes = 0;
        for (const n of state.ofTenant("Node", tenantId)) {
          if (n.warm) continue;
          nodes++;
          capacity.cpuMillis += n.capacity.cpuMillis;
          capacity.memoryBytes += n.capacity.memoryBytes;
          capacity.pods += n.capacity.pods;
          const a = state.allocatedOn(n.id);
          used.cpuMillis += a.cpuMillis;
          used.memoryBytes += a.memoryBytes;
          used.pods += a.pods;
        }
        const pending = state
          .ofTenant("Pod", tenantId)
          .filter((p) => p.nodeId === undefined && countsForQuota(p)).length;
        const q = state.get("Quota", tenantId);
        return {
          tenantId,
          nodes,
          capacity,
          used,
          pending,
          quota: {
            cpuMillis: q?.cpuMillis,
            memoryBytes: q?.memoryBytes,
            pods: q?.pods,
            nodes: q?.nodes,
            publicIps: q?.publicIps,
          },
          deployments: state.ofTenant("Deployment", tenantId).length,
        };
      });
    },
  };
}
