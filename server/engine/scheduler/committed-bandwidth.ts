/**
 * The bandwidth guarantees committed on each node, kept incrementally for the scheduler.
 * Guarantees:
 * - `committedOn(node)` is O(1): per node and direction, Σ guarantees of the pods holding it
 *   (bound, not finished), as network/qos counts them (broken annotations count as none).
 *   No placement walks a node's pods.
 * - Level-based per pod: `sync(pod)` recounts one pod from its current version, so hearing
 *   the same pod twice (its staged binding, then anything later) never counts it twice.
 * - Every way a pod stops holding its node (deleted, finished, unbound) reaches the scheduler
 *   as `tenantChanged(tenant)`; that marks the tenant stale, and the next read for one of its
 *   nodes recounts the tenant's guaranteed pods once (cost: its pods that have a guarantee,
 *   once per burst of changes, not per placement). Pods without a guarantee are never held.
 * - `rebuild(pods)` recounts from scratch; the scheduler calls it whenever the engine (re)loads
 *   its state (bootstrap's `reset`), so a restart or a failed commit starts from the truth.
 * - One ledger per EngineState (`committedBandwidthOf`), so the filter and score plugins,
 *   which see only the state, read the sums the scheduler keeps.
 */
import type { EngineState } from "../core/state";
import { holdsNode } from "../kinds/pod-status";
import type { Node, Pod } from "../kinds/types";
import { type CommittedGuarantees, cachedPodQos, NOTHING_COMMITTED, nicCapacityOf } from "../network/qos";

/** What one pod contributes to its node's sums. */
interface Contribution {
  readonly nodeId: string;
  readonly tenantId: string;
  readonly ingress: number;
  readonly egress: number;
}

function contributionOf(pod: Pod): Contribution | undefined {
  if (pod.nodeId === undefined || !holdsNode(pod)) return undefined;
  const { qos } = cachedPodQos(pod.annotations);
  const ingress = qos.ingress.guaranteeBitsPerSecond;
  const egress = qos.egress.guaranteeBitsPerSecond;
  if (ingress === 0 && egress === 0) return undefined;
  return { nodeId: pod.nodeId, tenantId: pod.tenantId, ingress, egress };
}

export class CommittedBandwidth {
  private readonly byPod = new Map<string, Contribution>();
  private readonly byTenant = new Map<string, Set<string>>();
  private readonly byNode = new Map<string, { ingress: number; egress: number }>();
  private readonly stale = new Set<string>();

  constructor(private readonly state: EngineState) {}

  /** Guarantees committed on the node, per direction, bits per second. */
  committedOn(node: Pick<Node, "id" | "tenantId">): CommittedGuarantees {
    if (this.stale.has(node.tenantId)) this.resyncTenant(node.tenantId);
    return this.byNode.get(node.id) ?? NOTHING_COMMITTED;
  }

  /** Count the pod as it is now (call with the version just written). */
  sync(pod: Pod): void {
    this.set(pod.id, contributionOf(pod));
  }

  /** Something of the tenant stopped holding a node, or may have: recount it on the next read. */
  tenantChanged(tenantId: string): void {
    if (this.byTenant.has(tenantId)) this.stale.add(tenantId);
  }

  /** Forget everything and count `pods` (the engine's state as just loaded). */
  rebuild(pods: Iterable<Pod>): void {
    this.byPod.clear();
    this.byTenant.clear();
    this.byNode.clear();
    this.stale.clear();
    for (const p of pods) this.sync(p);
  }

  private resyncTenant(tenantId: string): void {
    this.stale.delete(tenantId);
    for (const id of [...(this.byTenant.get(tenantId) ?? [])]) {
      const pod = this.state.get("Pod", id);
      this.set(id, pod && contributionOf(pod));
    }
  }

  private set(podId: string, next: Contribution | undefined): void {
    const prev = this.byPod.get(podId);
    if (prev === next || (prev && next && sameContribution(prev, next))) return;
    if (prev) {
      this.add(prev, -1);
      this.byPod.delete(podId);
      const ids = this.byTenant.get(prev.tenantId);
      ids?.delete(podId);
      if (ids?.size === 0) this.byTenant.delete(prev.tenantId);
    }
    if (next) {
      this.add(next, 1);
      this.byPod.set(podId, next);
      let ids = this.byTenant.get(next.tenantId);
      if (!ids) {
        ids = new Set();
        this.byTenant.set(next.tenantId, ids);
      }
      ids.add(podId);
    }
  }

  private add(c: Contribution, sign: 1 | -1): void {
    const sums = this.byNode.get(c.nodeId) ?? { ingress: 0, egress: 0 };
    sums.ingress += sign * c.ingress;
    sums.egress += sign * c.egress;
    if (sums.ingress === 0 && sums.egress === 0) this.byNode.delete(c.nodeId);
    else this.byNode.set(c.nodeId, sums);
  }
}

const sameContribution = (a: Contribution, b: Contribution) =>
  a.nodeId === b.nodeId && a.ingress === b.ingress && a.egress === b.egress && a.tenantId === b.tenantId;

const ledgers = new WeakMap<EngineState, CommittedBandwidth>();

/** The ledger of `state` (made on first use; the scheduler feeds it, the plugins read it). */
export function committedBandwidthOf(state: EngineState): CommittedBandwidth {
  let ledger = ledgers.get(state);
  if (!ledger) {
    ledger = new CommittedBandwidth(state);
    ledgers.set(state, ledger);
  }
  return ledger;
}

/** The pod's guarantees, per direction (none for broken annotations, as the sums count them). */
export function guaranteeOf(pod: Pick<Pod, "annotations">): CommittedGuarantees {
  const { qos } = cachedPodQos(pod.annotations);
  return { ingress: qos.ingress.guaranteeBitsPerSecond, egress: qos.egress.guaranteeBitsPerSecond };
}

/** What the node's NIC could still guarantee, per direction: for capacity planning (the provisioner). */
export function uncommittedBandwidthOn(state: EngineState, node: Node): CommittedGuarantees {
  const nic = nicCapacityOf(node.capacity).bitsPerSecond;
  const committed = committedBandwidthOf(state).committedOn(node);
  return { ingress: Math.max(0, nic - committed.ingress), egress: Math.max(0, nic - committed.egress) };
}
