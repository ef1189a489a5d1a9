/**
 * Node provisioner (cluster-autoscaler for tenant VMs): sync(tenantId).
 * Guarantees:
 * - Each pool keeps at least minSize nodes; a pool never exceeds maxSize active nodes
 *   and the tenant never exceeds its `nodes` quota (warm standbys are not counted).
 * - Pods the scheduler could not place get capacity: they are first fitted into free room
 *   on Ready nodes and VMs already booting, then into new VMs of the first pool (by name) whose machine type
 *   and labels fit; a warm standby is promoted instead of booting when one exists.
 * - VM creation time is modelled as create + boot + network set-up; `trimmedImage`
 *   and `staticIp` shorten boot and network set-up (SEED design 7).
 * - Each pool keeps warmPoolSize booted standbys, replenished in the background.
 * - A Ready node that held no pods for scaleDownDelayMs is removed while the pool is
 *   above minSize (or above maxSize after a resize).
 */
import { type Ctx, newId, recordPodEvent } from "../core/context";
import { nodeHeadroom } from "../admission/quota";
import { nicCapacityOf } from "../network/qos";
import { guaranteeOf, uncommittedBandwidthOn } from "../scheduler/committed-bandwidth";
import { randomString } from "../queue/rng";
import { EMPTY_MAP, MACHINE_TYPES, type Node, type NodeCapacity, type NodePool, type Pod } from "../kinds/types";

export function bootTimeMs(ctx: Ctx, pool: NodePool): number {
  const v = ctx.config.vm;
  const j = () => 1 + v.jitter * (2 * ctx.rng.next() - 1);
  return Math.round(
    v.createMs * j() +
      (pool.trimmedImage ? v.trimmedBootMs : v.bootMs) * j() +
      (pool.staticIp ? v.staticIpNetworkMs : v.networkMs) * j(),
  );
}

export function syncProvisioner(ctx: Ctx, tenantId: string): void {
  const pools = ctx.state.ofTenant("NodePool", tenantId).sort((a, b) => a.name.localeCompare(b.name));
  if (pools.length === 0) return;
  const now = ctx.clock.now();
  let headroom = nodeHeadroom(ctx.state, tenantId);
  const nodes = ctx.state.ofTenant("Node", tenantId);
  const activeOf = (pool: NodePool) => nodes.filter((n) => n.poolId === pool.id && !n.warm);
  const count = new Map(pools.map((p) => [p.id, activeOf(p).length]));
  const grow = (pool: NodePool): Node | undefined => {
    if (headroom <= 0 || (count.get(pool.id) ?? 0) >= pool.maxSize) return undefined;
    headroom--;
    count.set(pool.id, (count.get(pool.id) ?? 0) + 1);
    const warm = nodes.find(
      (n) => n.poolId === pool.id && n.warm && n.phase === "Ready" && ctx.state.get("Node", n.id)?.warm,
    );
    if (warm) {
      ctx.events.recordFor(pool, "Normal", "WarmNodePromoted", `Promoted warm node ${warm.name}: ready immediately`);
      return ctx.state.put<Node>({ ...warm, warm: false });
    }
    return addNode(ctx, pool, false);
  };

  // 1. minSize
  for (const pool of pools) while ((count.get(pool.id) ?? 0) < pool.minSize && grow(pool));

  // 2. capacity for pods that fit nowhere
  const pending = ctx.scheduler.unschedulablePods(tenantId);
  if (pending.length > 0) {
    // Room that exists or is already coming: usable Ready nodes (pods may just be backing
    // off in the scheduler) and VMs still booting.
    const bins = nodes
      .filter((n) => !n.warm && (n.phase === "Provisioning" || (n.phase === "Ready" && !n.unschedulable)))
      .map((n) => {
        const a = ctx.state.allocatedOn(n.id);
        return {
          pool: n.poolId,
          free: {
            cpuMillis: n.capacity.cpuMillis - a.cpuMillis,
            memoryBytes: n.capacity.memoryBytes - a.memoryBytes,
            pods: n.capacity.pods - a.pods,
            ...uncommittedBandwidthOn(ctx.state, n),
          },
        };
      });
    for (const pod of pending) {
      const bin = bins.find(
        (b) =>
          fitsPool(
            pod,
            pools.find((p) => p.id === b.pool),
          ) && fits(pod, b.free),
      );
      if (bin) {
        take(pod, bin.free);
        continue;
      }
      const pool = pools.find(
        (p) =>
          fitsPool(pod, p) && fits(pod, emptyRoom(MACHINE_TYPES[p.machineType])) && (count.get(p.id) ?? 0) < p.maxSize,
      );
      const node = pool && grow(pool);
      if (node && pool) {
        const free = emptyRoom(node.capacity);
        take(pod, free);
        if (node.phase === "Provisioning") bins.push({ pool: pool.id, free });
        recordPodEvent(
          ctx,
          pod,
          "Normal",
          "TriggeredScaleUp",
          `pod triggered scale-up: ${pool.name} ${(count.get(pool.id) ?? 1) - 1}->${count.get(pool.id)} (max: ${pool.maxSize})`,
        );
      } else {
        const why =
          headroom <= 0
            ? "the tenant's nodes quota is used up"
            : "no node pool has room (maxSize reached) or a machine type and labels that fit";
        ctx.events.recordFor(pod, "Warning", "NotTriggerScaleUp", `pod didn't trigger scale-up: ${why}`);
      }
    }
  }

  // 3. warm standbys
  for (const pool of pools) {
    const warm = nodes.filter((n) => n.poolId === pool.id && n.warm && ctx.state.get("Node", n.id)?.warm).length;
    for (let i = warm; i < pool.warmPoolSize; i++) addNode(ctx, pool, true);
  }

  // 4. scale down empty nodes after the delay
  for (const pool of pools) {
    const active = activeOf(pool)
      .map((n) => ctx.state.get("Node", n.id))
      .filter((n): n is Node => n !== undefined && !n.warm);
    let size = active.length;
    for (const n of active) {
      if (n.phase !== "Ready" || ctx.state.podCountOnNode(n.id) > 0) {
        ctx.emptySince.delete(n.id);
        continue;
      }
      const floor = Math.min(pool.minSize, pool.maxSize);
      if (size <= floor) continue;
      const since = ctx.emptySince.get(n.id) ?? now;
      ctx.emptySince.set(n.id, since);
      const delay = size > pool.maxSize ? 0 : ctx.config.scaleDownDelayMs;
      if (now - since >= delay) {
        ctx.state.remove("Node", n.id);
        ctx.emptySince.delete(n.id);
        size--;
        const after = Math.round((now - since) / 1000);
        ctx.events.recordFor(pool, "Normal", "ScaleDown", `Removed empty node ${n.name} after ${after}s without pods`);
      } else ctx.queues.provisioner.addAfter(tenantId, since + delay - now);
    }
  }
}

export function addNode(ctx: Ctx, pool: NodePool, warm: boolean): Node {
  const now = ctx.clock.now();
  let name = `${pool.name}-${randomString(ctx.rng, 5)}`;
  while (ctx.state.byName("Node", pool.tenantId, name)) name = `${pool.name}-${randomString(ctx.rng, 5)}`;
  const node: Node = {
    kind: "Node",
    id: newId(ctx, "Node", "node"),
    tenantId: pool.tenantId,
    poolId: pool.id,
    name,
    capacity: { ...MACHINE_TYPES[pool.machineType] },
    labels: { ...pool.labels, "node.kubernetes.io/instance-type": pool.machineType, "cloud/pool": pool.name },
    annotations: EMPTY_MAP,
    generation: 1,
    phase: "Provisioning",
    unschedulable: false,
    draining: false,
    warm,
    lastHeartbeat: now,
    createdAt: now,
    provisionReadyAt: now + bootTimeMs(ctx, pool),
    resourceVersion: 0,
  };
  ctx.events.recordFor(
    node,
    "Normal",
    "Provisioning",
    `Creating VM ${name} (${pool.machineType}${warm ? ", warm standby" : ""}), ready in about ${Math.round((node.provisionReadyAt - now) / 1000)}s`,
  );
  return ctx.state.put(node);
}

function fitsPool(pod: Pod, pool: NodePool | undefined): boolean {
  if (!pool) return false;
  const labels: Record<string, string> = {
    ...pool.labels,
    "node.kubernetes.io/instance-type": pool.machineType,
    "cloud/pool": pool.name,
  };
  return Object.entries(pod.spec.nodeSelector).every(([k, v]) => labels[k] === v);
}

/** Free room on a node: requests, pod slots and NIC not yet guaranteed (bits/s per direction). */
interface Room {
  cpuMillis: number;
  memoryBytes: number;
  pods: number;
  ingress: number;
  egress: number;
}

/** A new node's room: its whole capacity and NIC. */
function emptyRoom(capacity: NodeCapacity): Room {
  const nic = nicCapacityOf(capacity).bitsPerSecond;
  return { ...capacity, ingress: nic, egress: nic };
}

function fits(pod: Pod, free: Room): boolean {
  const g = guaranteeOf(pod);
  return (
    free.pods >= 1 &&
    free.cpuMillis >= pod.requests.cpuMillis &&
    free.memoryBytes >= pod.requests.memoryBytes &&
    free.ingress >= g.ingress &&
    free.egress >= g.egress
  );
}

function take(pod: Pod, free: Room): void {
  const g = guaranteeOf(pod);
  free.pods--;
  free.cpuMillis -= pod.requests.cpuMillis;
  free.memoryBytes -= pod.requests.memoryBytes;
  free.ingress -= g.ingress;
  free.egress -= g.egress;
}
