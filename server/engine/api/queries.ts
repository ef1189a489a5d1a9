/**
 * Read side. Tenant queries only ever see the tenant's own objects (by the tenant
 * index) and page with an opaque cursor (the sort key of the last item returned).
 * Namespaced lists take `namespace` (absent: every namespace of the tenant; another
 * tenant's or a missing one: NOT_FOUND); a namespaced object named without a namespace is
 * looked up in the tenant's default namespace (an id is found in any of its namespaces).
 * Operator queries (stats) see everything. Results are the engine's immutable objects:
 * callers must not mutate them.
 */
import { type Ctx, isAvailable, isLive } from "../core/context";
import type { EngineCore } from "../core/core";
import { checkTenant, inNamespace, mustFind, type Page, paginate } from "../core/lookup";
import { claimOf } from "../admission/quota";
import type { EngineEvent, Node, NodePool, Pod, PodPhase, ReplicaSet, Deployment, Resources } from "../kinds/types";

export interface ListOptions {
  cursor?: string;
  limit?: number;
}
/** Which namespace a query reads: one by name, or (absent) every namespace of the tenant. */
export interface NamespaceOption {
  namespace?: string;
}
export interface NamespacedListOptions extends ListOptions, NamespaceOption {}
export interface PodFilter extends NamespacedListOptions {
  deployment?: string;
  phase?: PodPhase;
  node?: string;
}
export interface NodeView extends Node {
  allocated: Resources & { pods: number };
  podsRemaining: number;
}
export interface DeploymentView extends Deployment {
  revisions: ReplicaSet[];
}

/** Sort key of namespaced lists: by namespace, then name (one namespace: by name). */
const namespacedKey = (o: { namespace: string; name: string }) => `${o.namespace}/${o.name}`;

export function queries(core: EngineCore) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;
  const nodeView = (n: Node): NodeView => ({
    ...n,
    lastHeartbeat: ctx.heartbeats.get(n.id) ?? n.lastHeartbeat,
    allocated: { ...state.allocatedOn(n.id) },
    podsRemaining: state.podCountOnNode(n.id),
  });

  return {
    listDeployments(tenantId: string, opts: NamespacedListOptions = {}): Page<Deployment> {
      const inNs = inNamespace(state, checkTenant(tenantId), opts.namespace);
      return paginate(state.ofTenant("Deployment", tenantId).filter(inNs), namespacedKey, opts);
    },
    getDeployment(tenantId: string, ref: string, opts: NamespaceOption = {}): DeploymentView {
      const d = mustFind(state, "Deployment", checkTenant(tenantId), ref, opts.namespace);
      return { ...d, revisions: state.replicaSetsOf(d.id).sort((a, b) => a.revision - b.revision) };
    },
    /** Kept revisions (replica sets), oldest first. */
    listRevisions: (tenantId: string, ref: string, opts: NamespaceOption = {}): ReplicaSet[] =>
      state
        .replicaSetsOf(mustFind(state, "Deployment", checkTenant(tenantId), ref, opts.namespace).id)
        .sort((a, b) => a.revision - b.revision),
    listPods(tenantId: string, f: PodFilter = {}): Page<Pod> {
      const inNs = inNamespace(state, checkTenant(tenantId), f.namespace);
      const d = f.deployment ? mustFind(state, "Deployment", tenantId, f.deployment, f.namespace) : undefined;
      let pods: Pod[];
      if (f.node) pods = state.podsOnNode(mustFind(state, "Node", tenantId, f.node).id);
      else pods = state.ofTenant("Pod", tenantId);
      if (d || f.phase || f.namespace !== undefined)
        pods = pods.filter(
          (p) => inNs(p) && (!d || p.deploymentId === d.id) && (!f.phase || p.status.phase === f.phase),
        );
      return paginate(pods, namespacedKey, f);
    },
    getPod: (tenantId: string, ref: string, opts: NamespaceOption = {}): Pod =>
      mustFind(state, "Pod", checkTenant(tenantId), ref, opts.namespace),
    getPodLogs(
      tenantId: string,
      ref: string,
      container?: string,
      opts: NamespaceOption & { previous?: boolean } = {},
    ): string[] {
      const p = mustFind(state, "Pod", checkTenant(tenantId), ref, opts.namespace);
      return ctx.runtime.getLogs(p.id, container, { previous: opts.previous === true });
    },
    getPodUsage(tenantId: string, ref: string, opts: NamespaceOption = {}): Resources | undefined {
      return ctx.runtime.usage(mustFind(state, "Pod", checkTenant(tenantId), ref, opts.namespace).id);
    },
    listNodes(tenantId: string, opts: ListOptions & { pool?: string } = {}): Page<NodeView> {
      checkTenant(tenantId);
      const poolId = opts.pool ? mustFind(state, "NodePool", tenantId, opts.pool).id : undefined;
      return paginate(
        state
          .ofTenant("Node", tenantId)
          .filter((n) => !poolId || n.poolId === poolId)
          .map(nodeView),
        (n) => n.name,
        opts,
      );
    },
    getNode: (tenantId: string, ref: string): NodeView => nodeView(mustFind(state, "Node", checkTenant(tenantId), ref)),
    listNodePools: (tenantId: string, opts: ListOptions = {}): Page<NodePool> =>
      paginate(state.ofTenant("NodePool", checkTenant(tenantId)), (p) => p.name, opts),
    getQuota(tenantId: string) {
      checkTenant(tenantId);
      const q = state.get("Quota", tenantId);
      const claimed = { cpuMillis: 0, memoryBytes: 0, pods: 0 };
      for (const d of state.ofTenant("Deployment", tenantId)) {
        const c = claimOf(d.spec, state.replicaSetsOf(d.id).filter((r) => r.replicas > 0).length > 1);
        claimed.cpuMillis += c.cpuMillis;
        claimed.memoryBytes += c.memoryBytes;
        claimed.pods += c.pods;
      }
      const nodes = state.ofTenant("Node", tenantId).filter((n) => !n.warm).length;
      return {
        limits: {
          cpuMillis: q?.cpuMillis,
          memoryBytes: q?.memoryBytes,
          pods: q?.pods,
          nodes: q?.nodes,
          publicIps: q?.publicIps,
        },
        used: { ...state.usageOf(tenantId), nodes, publicIps: state.ofTenant("PublicIP", tenantId).length },
        claimed,
      };
    },
    /** Events newest first; filter by object. */
    listEvents(
      tenantId: string,
      opts: NamespacedListOptions & { objectKind?: string; objectName?: string; type?: "Normal" | "Warning" } = {},
    ): Page<EngineEvent> {
      const inNs = inNamespace(state, checkTenant(tenantId), opts.namespace);
      const evs = state
        .ofTenant("Event", tenantId)
        .filter(
          (e) =>
            inNs(e) &&
            (!opts.objectKind || e.objectKind === opts.objectKind) &&
            (!opts.objectName || e.objectName === opts.objectName) &&
            (!opts.type || e.type === opts.type),
        );
      return paginate(evs, (e) => `${(9e15 - e.lastTime).toString().padStart(16, "0")}:${e.id}`, opts);
    },
    /** Operator view of the whole engine. */
    stats() {
      const capacity = { cpuMillis: 0, memoryBytes: 0, pods: 0 };
      const allocated = { cpuMillis: 0, memoryBytes: 0, pods: 0 };
      const nodesByPhase: Record<string, number> = { Provisioning: 0, Ready: 0, NotReady: 0, warm: 0 };
      for (const n of state.all("Node")) {
        if (n.warm) {
          nodesByPhase.warm = (nodesByPhase.warm ?? 0) + 1;
          continue;
        }
        nodesByPhase[n.phase] = (nodesByPhase[n.phase] ?? 0) + 1;
        capacity.cpuMillis += n.capacity.cpuMillis;
        capacity.memoryBytes += n.capacity.memoryBytes;
        capacity.pods += n.capacity.pods;
        const a = state.allocatedOn(n.id);
        allocated.cpuMillis += a.cpuMillis;
        allocated.memoryBytes += a.memoryBytes;
        allocated.pods += a.pods;
      }
      const podsByPhase: Record<string, number> = {};
      let terminating = 0;
      let available = 0;
      for (const p of state.all("Pod")) {
        podsByPhase[p.status.phase] = (podsByPhase[p.status.phase] ?? 0) + 1;
        if (!isLive(p)) terminating++;
        else if (isAvailable(ctx, p)) available++;
      }
      return {
        tenants: new Set([
          ...state.tenantIds("Deployment"),
          ...state.tenantIds("NodePool"),
          ...state.tenantIds("Quota"),
          ...state.tenantIds("Namespace"),
        ]).size,
        nodes: state.count("Node"),
        nodesByPhase,
        capacity,
        allocated,
        pods: state.count("Pod"),
        podsByPhase,
        podsTerminating: terminating,
        podsAvailable: available,
        deployments: state.count("Deployment"),
        events: state.count("Event"),
        queues: core.queueDepths(),
        scheduler: ctx.scheduler.stats(),
        engine: { ...core.counters, pendingWorkTimers: ctx.timers.pendingWork() },
      };
    },
  };
}
