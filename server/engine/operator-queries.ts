/**
 * Operator read side: across every tenant. Never exposed to a tenant (the API checks the
 * operator role before calling these).
 */
import type { EngineCore } from "./core";
import { type Page, paginate } from "./lookup";
import type { Node, NodeCapacity, Resources } from "./types";

export interface OperatorNodeView extends Node {
  allocated: Resources & { pods: number };
}

export interface TenantUsage {
  tenantId: string;
  nodes: number;
  capacity: NodeCapacity;
  /** Requests of the tenant's live pods (what counts against quota). */
  used: Resources & { pods: number };
  quota: { cpuMillis?: number; memoryBytes?: number; pods?: number; nodes?: number };
  deployments: number;
}

export function operatorQueries(core: EngineCore) {
  const { state } = core.ctx;
  return {
    /** Every node of the cluster (warm standbys included), by tenant then name. */
    listAllNodes(opts: { cursor?: string; limit?: number; tenantId?: string } = {}): Page<OperatorNodeView> {
      const nodes = opts.tenantId ? state.ofTenant("Node", opts.tenantId) : [...state.all("Node")];
      const views = nodes.map((n) => ({ ...n, lastHeartbeat: core.ctx.heartbeats.get(n.id) ?? n.lastHeartbeat, allocated: { ...state.allocatedOn(n.id) } }));
      return paginate(views, (n) => `${n.tenantId}/${n.name}`, opts);
    },

    /** Capacity, usage and quota of every tenant known to the engine. */
    usageByTenant(): TenantUsage[] {
      const tenants = new Set([...state.tenantIds("Quota"), ...state.tenantIds("NodePool"), ...state.tenantIds("Node"), ...state.tenantIds("Deployment")]);
      return [...tenants].sort().map((tenantId) => {
        const capacity = { cpuMillis: 0, memoryBytes: 0, pods: 0 };
        let nodes = 0;
        for (const n of state.ofTenant("Node", tenantId)) {
          if (n.warm) continue;
          nodes++;
          capacity.cpuMillis += n.capacity.cpuMillis;
          capacity.memoryBytes += n.capacity.memoryBytes;
          capacity.pods += n.capacity.pods;
        }
        const q = state.get("Quota", tenantId);
        return {
          tenantId,
          nodes,
          capacity,
          used: { ...state.usageOf(tenantId) },
          quota: { cpuMillis: q?.cpuMillis, memoryBytes: q?.memoryBytes, pods: q?.pods, nodes: q?.nodes },
          deployments: state.ofTenant("Deployment", tenantId).length,
        };
      });
    },
  };
}
