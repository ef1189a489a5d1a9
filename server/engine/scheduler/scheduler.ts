/**
 * Pod scheduler, parallel by tenant.
 * Guarantees:
 * - Each tenant has its own queue of pending pods; a cycle takes a bounded batch from
 *   each tenant in round-robin order, so a huge or failing tenant never delays another.
 * - The default algorithm considers only the pod's own tenant's nodes (tenant index),
 *   so the cost of placing a pod grows with its tenant, not the cluster.
 * - A pod that fits nowhere stays Pending with PodScheduled=False/Unschedulable and the
 *   kube message, gets a FailedScheduling event (de-duplicated), and waits in the
 *   tenant's unschedulable set until something in that tenant changes (tenantChanged),
 *   and after a second failure no sooner than its back-off (1 s doubling to 10 s, as
 *   kube-scheduler), so a burst of node events does not re-try every pending pod each time.
 * - A pod is bound together with its private address and MAC (network/pod-addresses.ts), in
 *   the same write; when its subnet has none to give, it stays Pending like a pod that fits
 *   nowhere, with the subnet's reason, and is tried again when an address comes free.
 * - A pod with a bandwidth guarantee lands only where Σ guarantees per NIC direction still fit
 *   (scheduler-plugins.ts); the sums per node are kept as pods bind and leave
 *   (committed-bandwidth.ts; a pod bound elsewhere, movePod's copy, is reported with `bound`) and
 *   rebuilt from the state whenever it is (re)loaded (reset). A pod
 *   that fits nowhere waits like one short of cpu, and is tried again when a pod of its tenant
 *   stops holding a node (tenantChanged), which is when bandwidth comes free.
 * - Binding is a staged write like any other; the runtime hears of it after commit.
 */
import type { TimerHandle } from "../queue/clock";
import type { EventRecorder } from "../core/events";
import type { TimerSet } from "../queue/timers";
import type { PlacementAlgorithm } from "./global-scheduler";
import { placeOnCandidates } from "./scheduler-plugins";
import type { EngineState } from "../core/state";
import type { Condition, Pod } from "../kinds/types";
import type { PodAddresses } from "../network/pod-addresses";
import { type CommittedBandwidth, committedBandwidthOf } from "./committed-bandwidth";

export const tenantAlgorithm: PlacementAlgorithm = {
  name: "tenant",
  place: (pod, state) =>
    placeOnCandidates(
      pod,
      state.ofTenant("Node", pod.tenantId).filter((n) => !n.warm),
      state,
    ),
};

export interface SchedulerStats {
  algorithm: string;
  attempts: number;
  scheduled: number;
  unschedulable: number;
  nodesEvaluated: number;
  pendingByTenant: Record<string, { active: number; unschedulable: number }>;
}

export class PodScheduler {
  private readonly active = new Map<string, Set<string>>();
  private readonly parked = new Map<string, Set<string>>();
  private ring: string[] = [];
  private ringPos = 0;
  private readonly counters = { attempts: 0, scheduled: 0, unschedulable: 0, nodesEvaluated: 0 };
  private readonly backoff = new Map<string, { failures: number; until: number }>();
  private readonly retryTimers = new Map<string, { at: number; handle: TimerHandle }>();
  private readonly bandwidth: CommittedBandwidth;

  constructor(
    private readonly state: EngineState,
    private readonly events: EventRecorder,
    private readonly now: () => number,
    readonly algorithm: PlacementAlgorithm,
    private readonly onUnschedulable: (tenantId: string) => void,
    private readonly podEvents = true,
    private readonly timers?: TimerSet,
    private readonly addresses?: PodAddresses,
    private readonly perTenantBatch = 64,
  ) {
    this.bandwidth = committedBandwidthOf(state);
  }

  /**
   * Queue a pod the scheduler has not seen yet; a pod it already holds (queued, or parked
   * as unschedulable) keeps its place and back-off. For pods that are new to the engine.
   */
  admit(pod: Pod): void {
    if (this.active.get(pod.tenantId)?.has(pod.id) || this.parked.get(pod.tenantId)?.has(pod.id)) return;
    this.enqueue(pod);
  }

  /**
   * A pod bound by someone other than the scheduler (movePod's copy, created on its target
   * node): count the guarantees it now holds there, in the same step as the write.
   */
  bound(pod: Pod): void {
    this.bandwidth.sync(pod);
  }

  enqueue(pod: Pod): void {
    this.parked.get(pod.tenantId)?.delete(pod.id);
    let s = this.active.get(pod.tenantId);
    if (!s) {
      s = new Set();
      this.active.set(pod.tenantId, s);
      this.ring.push(pod.tenantId);
    }
    s.add(pod.id);
  }

  /** Something in the tenant changed (node added/ready/uncordoned, capacity freed): retry its parked pods. */
  tenantChanged(tenantId: string): void {
    this.bandwidth.tenantChanged(tenantId);
    const parked = this.parked.get(tenantId);
    if (!parked || parked.size === 0) return;
    const now = this.now();
    let next = Infinity;
    for (const id of parked) {
      const until = this.backoff.get(id)?.until ?? 0;
      if (until > now) {
        next = Math.min(next, until);
        continue;
      }
      parked.delete(id);
      const p = this.state.get("Pod", id);
      if (p) this.enqueue(p);
      else this.backoff.delete(id);
    }
    if (parked.size === 0) this.parked.delete(tenantId);
    // Pods still backing off get their chance when the back-off ends (the change happened).
    if (next !== Infinity) this.retryAt(tenantId, next);
  }

  /** Retry the tenant's parked pods at `at` (the earliest such retry wins). */
  private retryAt(tenantId: string, at: number): void {
    const armed = this.retryTimers.get(tenantId);
    if (!this.timers || (armed && armed.at <= at)) return;
    if (armed) this.timers.cancel(armed.handle);
    const handle = this.timers.at(at, () => {
      this.retryTimers.delete(tenantId);
      this.tenantChanged(tenantId);
    });
    this.retryTimers.set(tenantId, { at, handle });
  }

  unschedulablePods(tenantId: string): Pod[] {
    const out: Pod[] = [];
    for (const id of this.parked.get(tenantId) ?? []) {
      const p = this.state.get("Pod", id);
      if (p && isPending(p)) out.push(p);
    }
    return out;
  }

  hasWork(): boolean {
    return this.ring.length > 0;
  }

  /** One round-robin pass; returns the number of pods considered. */
  runCycle(budget: number): number {
    let done = 0;
    while (done < budget && this.ring.length > 0) {
      if (this.ringPos >= this.ring.length) this.ringPos = 0;
      const tenantId = this.ring[this.ringPos] as string;
      const q = this.active.get(tenantId);
      let n = 0;
      if (q) {
        for (const id of q) {
          if (n >= this.perTenantBatch || done >= budget) break;
          q.delete(id);
          n++;
          done++;
          this.scheduleOne(id);
        }
      }
      if (!q || q.size === 0) {
        this.active.delete(tenantId);
        this.ring.splice(this.ringPos, 1);
      } else this.ringPos++;
    }
    return done;
  }

  stats(): SchedulerStats {
    const pendingByTenant: SchedulerStats["pendingByTenant"] = {};
    for (const t of new Set([...this.active.keys(), ...this.parked.keys()])) {
      pendingByTenant[t] = { active: this.active.get(t)?.size ?? 0, unschedulable: this.parked.get(t)?.size ?? 0 };
    }
    return { algorithm: this.algorithm.name, ...this.counters, pendingByTenant };
  }

  /** Forget every queue; bootstrap calls it after each (re)load, so the bandwidth sums are recounted here. */
  reset(): void {
    this.bandwidth.rebuild(this.state.all("Pod"));
    this.active.clear();
    this.parked.clear();
    this.backoff.clear();
    for (const t of this.retryTimers.values()) this.timers?.cancel(t.handle);
    this.retryTimers.clear();
    this.ring = [];
  }

  private scheduleOne(id: string): void {
    const pod = this.state.get("Pod", id);
    if (!pod || !isPending(pod)) {
      this.backoff.delete(id);
      return;
    }
    this.counters.attempts++;
    const r = this.algorithm.place(pod, this.state);
    this.counters.nodesEvaluated += r.evaluated;
    const now = this.now();
    const address = "nodeId" in r ? this.addresses?.assign(pod, now) : undefined;
    if ("nodeId" in r && address?.ok !== false) {
      this.counters.scheduled++;
      this.backoff.delete(id);
      const bound = this.state.put({
        ...pod,
        nodeId: r.nodeId,
        nodeName: r.nodeName,
        ...(address && { podIP: address.podIP, macAddress: address.macAddress }),
        scheduledAt: now,
        status: { ...pod.status, conditions: setCondition(pod.status.conditions, "PodScheduled", "True", "", "", now) },
      });
      this.bandwidth.sync(bound);
      if (this.podEvents)
        this.events.recordFor(pod, "Normal", "Scheduled", `Successfully assigned ${pod.name} to ${r.nodeName}`);
      return;
    }
    this.counters.unschedulable++;
    const message = address?.ok === false ? address.message : "message" in r ? r.message : "";
    if (address?.ok === false && address.availableAt !== undefined) this.retryAt(pod.tenantId, address.availableAt);
    const failures = (this.backoff.get(id)?.failures ?? 0) + 1;
    // The first failure may retry on the very next change (a warm node must place at once).
    this.backoff.set(id, { failures, until: failures < 2 ? now : now + Math.min(10_000, 1_000 * 2 ** (failures - 2)) });
    let parked = this.parked.get(pod.tenantId);
    if (!parked) {
      parked = new Set();
      this.parked.set(pod.tenantId, parked);
    }
    parked.add(pod.id);
    const prev = pod.status.conditions.find((c) => c.type === "PodScheduled");
    if (prev?.message !== message) {
      this.state.put({
        ...pod,
        status: {
          ...pod.status,
          conditions: setCondition(pod.status.conditions, "PodScheduled", "False", "Unschedulable", message, now),
        },
      });
    }
    this.events.recordFor(pod, "Warning", "FailedScheduling", message, { aggregate: true });
    // A pod waiting for an address fits its nodes: no capacity to provision for it.
    if (address === undefined) this.onUnschedulable(pod.tenantId);
  }
}

export function isPending(p: Pod): boolean {
  return p.nodeId === undefined && p.deletionTimestamp === undefined && p.status.phase === "Pending";
}

export function setCondition(
  list: Condition[],
  type: string,
  status: Condition["status"],
  reason: string,
  message: string,
  now: number,
): Condition[] {
  const prev = list.find((c) => c.type === type);
  const c: Condition = {
    type,
    status,
    reason,
    message,
    lastUpdateTime: now,
    lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now,
  };
  return [...list.filter((x) => x.type !== type), c];
}
