/**
 * Quota, node-pool and node commands (tenant), plus operator fault injection.
 * Guarantees: input validated; pool sizes 0 <= minSize <= maxSize; the nodes quota is
 * checked when a pool's minSize would add nodes, and a pool's maxSize (when set) may not
 * exceed it; machineType is immutable (a new type is a new pool); a pool is deleted only
 * when none of its nodes holds a pod, so deleting never stops a workload; drain =
 * cordon + graceful eviction of every pod (replica sets recreate them elsewhere), with
 * progress readable through getNode(); a drained node stays cordoned until uncordoned.
 * Updates and deletes take a `resourceVersion` precondition (stale: CONFLICT, nothing
 * changes); a spec change (pool sizes and options, cordon) bumps `generation`.
 */
import { type Ctx, isLive, newId, terminatePod } from "../core/context";
import type { EngineCore } from "../core/core";
import { EngineError, notFound } from "../core/errors";
import { injectedFailures } from "../runtime/injected-failures";
import { checkResourceVersion, checkTenant, mustFind, mustFindNamespace } from "../core/lookup";
import { parseCpu, parseMemory } from "../kinds/quantity";
import { nodeHeadroom, nodeQuotaError } from "../admission/quota";
import { EMPTY_MAP, type Node, type NodePool, TENANT_QUOTA_NAME, type TenantQuota } from "../kinds/types";
import { nodePoolSchema, type NodePoolInput, parseInput, type QuotaInput, quotaSchema } from "../kinds/validation";

export interface UpdateNodePoolInput {
  minSize?: number;
  maxSize?: number;
  labels?: Record<string, string>;
  trimmedImage?: boolean;
  staticIp?: boolean;
  warmPoolSize?: number;
  machineType?: string;
}

/** The version the caller last saw: refuse with CONFLICT when the object changed since. */
export interface Precondition {
  resourceVersion?: number;
}

export function nodeCommands(core: EngineCore) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;

  const checkNodeQuota = (tenantId: string, pool: NodePool, newMin: number) => {
    const existing = state.ofTenant("Node", tenantId).filter((n) => n.poolId === pool.id && !n.warm).length;
    const adds = Math.max(0, newMin - existing);
    if (adds > nodeHeadroom(state, tenantId)) throw nodeQuotaError(state, tenantId, adds);
  };
  /** A pool that may grow past the tenant's whole node quota promises nodes it can never get. */
  const checkPoolMax = (tenantId: string, maxSize: number) => {
    const limit = state.get("Quota", tenantId)?.nodes;
    if (limit !== undefined && maxSize > limit) {
      throw new EngineError(
        "INVALID",
        `nodePool.maxSize: ${maxSize} is above the tenant's nodes quota (${limit}); use ${limit} or less`,
      );
    }
  };
  const nodeEvent = (n: Node, type: "Normal" | "Warning", reason: string, message: string) =>
    ctx.events.recordFor(n, type, reason, message);
  const operatorNode = (nodeId: string): Node => {
    const n = state.get("Node", nodeId);
    if (!n) throw notFound("node", String(nodeId));
    return n;
  };

  return {
    /**
     * Record an event from outside the engine (monitoring alerts, billing) in the tenant's
     * event stream, with the same de-duplication as the engine's own events.
     */
    recordEvent: (
      tenantId: string,
      e: {
        objectKind: string;
        objectName: string;
        /** The object's namespace (one of the tenant's), for namespaced objects. */
        objectNamespace?: string;
        type: "Normal" | "Warning";
        reason: string;
        message: string;
      },
    ) =>
      core.command(() => {
        checkTenant(tenantId);
        if (!/^[A-Z][A-Za-z]{0,63}$/.test(e.reason))
          throw new EngineError("INVALID", "reason must be CamelCase, at most 64 letters");
        if (e.objectNamespace !== undefined) mustFindNamespace(state, tenantId, e.objectNamespace);
        core.ctx.events.record({
          tenantId,
          ...(e.objectNamespace !== undefined ? { objectNamespace: e.objectNamespace } : {}),
          objectKind: e.objectKind.slice(0, 63),
          objectName: e.objectName.slice(0, 253),
          type: e.type,
          reason: e.reason,
          message: e.message.slice(0, 1024),
        });
      }),

    /** Set the tenant's limits; omitted fields are unlimited. Lowering below usage blocks new work only. */
    setQuota: (tenantId: string, input: QuotaInput) =>
      core.command(() => {
        checkTenant(tenantId);
        const q = parseInput(quotaSchema, input ?? {}, "quota");
        const prev = state.get("Quota", tenantId);
        const quota: TenantQuota = {
          kind: "Quota",
          id: tenantId,
          tenantId,
          name: TENANT_QUOTA_NAME,
          labels: EMPTY_MAP,
          annotations: EMPTY_MAP,
          generation: (prev?.generation ?? 0) + 1,
          createdAt: prev?.createdAt ?? ctx.clock.now(),
          ...(q.cpu !== undefined ? { cpuMillis: parseCpu(q.cpu) } : {}),
          ...(q.memory !== undefined ? { memoryBytes: parseMemory(q.memory) } : {}),
          ...(q.pods !== undefined ? { pods: q.pods } : {}),
          ...(q.nodes !== undefined ? { nodes: q.nodes } : {}),
          ...(q.publicIps !== undefined ? { publicIps: q.publicIps } : {}),
          resourceVersion: prev?.resourceVersion ?? 0,
        };
        return state.put(quota);
      }),

    createNodePool: (tenantId: string, input: NodePoolInput) =>
      core.command(() => {
        checkTenant(tenantId);
        const p = parseInput(nodePoolSchema, input ?? {}, "nodePool");
        if (p.minSize > p.maxSize)
          throw new EngineError("INVALID", `nodePool: minSize ${p.minSize} is larger than maxSize ${p.maxSize}`);
        if (state.byName("NodePool", tenantId, p.name))
          throw new EngineError("CONFLICT", `node pool "${p.name}" already exists`);
        const pool: NodePool = {
          kind: "NodePool",
          id: newId(ctx, "NodePool", "pool"),
          tenantId,
          ...p,
          labels: Object.keys(p.labels).length === 0 ? EMPTY_MAP : p.labels,
          annotations: EMPTY_MAP,
          generation: 1,
          createdAt: ctx.clock.now(),
          resourceVersion: 0,
        };
        checkNodeQuota(tenantId, pool, p.minSize);
        checkPoolMax(tenantId, p.maxSize);
        return state.put(pool);
      }),

    updateNodePool: (tenantId: string, ref: string, patch: UpdateNodePoolInput, opts: Precondition = {}) =>
      core.command(() => {
        const pool = mustFind(state, "NodePool", checkTenant(tenantId), ref);
        checkResourceVersion(pool, opts.resourceVersion);
        if (patch.machineType !== undefined && patch.machineType !== pool.machineType) {
          throw new EngineError(
            "INVALID",
            `nodePool.machineType cannot be changed (is ${pool.machineType}); create a new pool with the machine type you want`,
          );
        }
        const current = {
          name: pool.name,
          machineType: pool.machineType,
          minSize: pool.minSize,
          maxSize: pool.maxSize,
          labels: pool.labels,
          trimmedImage: pool.trimmedImage,
          staticIp: pool.staticIp,
          warmPoolSize: pool.warmPoolSize,
        };
        const next = parseInput(nodePoolSchema, { ...current, ...patch, machineType: pool.machineType }, "nodePool");
        if (next.minSize > next.maxSize)
          throw new EngineError("INVALID", `nodePool: minSize ${next.minSize} is larger than maxSize ${next.maxSize}`);
        checkNodeQuota(tenantId, pool, next.minSize);
        // Only a patch that sets the maximum is held to the quota: an operator may lower the quota below it.
        if (patch.maxSize !== undefined) checkPoolMax(tenantId, next.maxSize);
        if (patch.labels) {
          for (const n of state.ofTenant("Node", tenantId))
            if (n.poolId === pool.id) state.put({ ...n, labels: { ...n.labels, ...patch.labels } });
        }
        const changed = (Object.keys(current) as (keyof typeof current)[]).some(
          (k) => k !== "labels" && current[k] !== next[k],
        );
        return state.put({
          ...pool,
          ...next,
          labels: patch.labels ? next.labels : pool.labels,
          generation: pool.generation + (changed ? 1 : 0),
        });
      }),

    /** Delete a pool and its VMs; refused while a pod is still on one of them (drain those nodes first). */
    deleteNodePool: (tenantId: string, ref: string, opts: Precondition = {}) =>
      core.command(() => {
        const pool = mustFind(state, "NodePool", checkTenant(tenantId), ref);
        checkResourceVersion(pool, opts.resourceVersion);
        const busy = state
          .ofTenant("Node", tenantId)
          .filter((n) => n.poolId === pool.id && state.podCountOnNode(n.id) > 0);
        if (busy.length > 0) {
          const pods = busy.reduce((sum, n) => sum + state.podCountOnNode(n.id), 0);
          throw new EngineError(
            "CONFLICT",
            `node pool "${pool.name}" still has ${pods} pod(s) on ${busy.length} node(s): set its minimum and maximum to 0 and drain its nodes first, so that the pods move to another pool`,
          );
        }
        for (const n of state.ofTenant("Node", tenantId)) if (n.poolId === pool.id) state.remove("Node", n.id);
        state.remove("NodePool", pool.id);
      }),

    cordonNode: (tenantId: string, ref: string, opts: Precondition = {}) =>
      core.command(() => {
        const n = mustFind(state, "Node", checkTenant(tenantId), ref);
        checkResourceVersion(n, opts.resourceVersion);
        if (n.unschedulable) return n;
        nodeEvent(n, "Normal", "NodeNotSchedulable", `Node ${n.name} status is now: NodeNotSchedulable`);
        return state.put({ ...n, unschedulable: true, generation: n.generation + 1 });
      }),

    uncordonNode: (tenantId: string, ref: string, opts: Precondition = {}) =>
      core.command(() => {
        const n = mustFind(state, "Node", checkTenant(tenantId), ref);
        checkResourceVersion(n, opts.resourceVersion);
        if (!n.unschedulable && !n.draining) return n;
        nodeEvent(n, "Normal", "NodeSchedulable", `Node ${n.name} status is now: NodeSchedulable`);
        const generation = n.generation + (n.unschedulable ? 1 : 0);
        return state.put({ ...n, unschedulable: false, draining: false, generation });
      }),

    /** Cordon and evict every pod gracefully; returns how many pods were evicted. */
    drainNode: (tenantId: string, ref: string, opts: Precondition = {}) =>
      core.command(() => {
        const n = mustFind(state, "Node", checkTenant(tenantId), ref);
        checkResourceVersion(n, opts.resourceVersion);
        const pods = state.podsOnNode(n.id).filter(isLive);
        for (const p of pods) terminatePod(ctx, p, "Evicted");
        nodeEvent(n, "Normal", "Draining", `Draining node ${n.name}: evicting ${pods.length} pod(s)`);
        const generation = n.generation + (n.unschedulable ? 0 : 1);
        state.put({ ...n, unschedulable: true, draining: state.podCountOnNode(n.id) > 0, generation });
        return { evicted: pods.length };
      }),

    /** Operator: the node's agent stops answering (heartbeats and status). */
    injectNodeFailure: (nodeId: string) =>
      core.command(() => {
        const n = operatorNode(nodeId);
        ctx.runtime.failNode(n.id);
        injectedFailures(ctx).add(n.id);
        nodeEvent(
          n,
          "Warning",
          "FailureInjected",
          `Operator injected a failure: the agent on ${n.name} stopped responding`,
        );
        // A work timer, so settle() carries on until the node lifecycle has noticed.
        const hb = ctx.heartbeats.get(n.id) ?? ctx.clock.now();
        ctx.timers.at(Math.max(ctx.clock.now(), hb) + ctx.config.nodeMonitorGraceMs + 1, () =>
          ctx.queues.node.add(n.id, "update"),
        );
      }),

    /** Operator: the node's agent answers again. */
    recoverNode: (nodeId: string) =>
      core.command(() => {
        const n = operatorNode(nodeId);
        ctx.runtime.recoverNode(n.id);
        injectedFailures(ctx).delete(n.id);
        nodeEvent(n, "Normal", "FailureRecovered", `The agent on ${n.name} is responding again`);
      }),
  };
}
