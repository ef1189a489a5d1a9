/**
 * Cumulative drops by reason per pod, from the traffic model's reports (the runtime's
 * `traffic(podId)`): what `/api/metrics` serves as `tenant_network_drops_total` and the pod
 * page's "drops by reason". One series per pod, direction and reason, and for a security group
 * rule's deny also per group and rule, so summing over a pod never counts a packet twice.
 *
 * Guarantees, as the container counters (counters.ts), for these totals and every other kept
 * with `createPodRateTotals` (network-rule-hit-counters.ts): totals never decrease while this
 * process collects; a round at a time already counted adds nothing, one closer than a full
 * interval adds only the part not yet counted; totals start at zero when collection starts
 * and are dropped once the pod is gone.
 */
import type { Direction } from "../engine/network/qos/qos-annotations";
import type { PodTrafficReport, TrafficDrop, TrafficDropReason } from "../engine/runtime/traffic/traffic-report";

export interface DropTotal {
  readonly direction: Direction;
  readonly reason: TrafficDropReason;
  readonly group?: string;
  readonly rule?: number;
  packets: number;
  bytes: number;
}

/** A report's row of rates, and the total it adds to. */
interface RateRow {
  readonly packetsPerSecond: number;
  readonly bytesPerSecond: number;
}
interface Total {
  packets: number;
  bytes: number;
}

/** Per pod, totals of one kind of report row, each integrated over the rounds (the guarantees above). */
export interface PodRateTotals<T extends Total> {
  /** Adds one pod's rows over the `intervalMs` before `at`. */
  record(at: number, intervalMs: number, tenantId: string, podId: string, report: PodTrafficReport): void;
  /** The pod's totals (empty when it had none, or was never modelled). */
  ofPod(tenantId: string, podId: string): readonly Readonly<T>[];
  /** Every total of the tenant's pods, pod by pod. */
  ofTenant(tenantId: string): Iterable<Readonly<T>>;
  /** Drops the pods not recorded at `at` for which `exists` says no. */
  prune(at: number, exists: (tenantId: string, podId: string) => boolean): void;
}

interface PodEntry<T> {
  lastAt: number;
  totals: Map<string, T>;
}

/** `rowsOf` picks the rows, `keyOf` names a row's series, `totalOf` starts its total (at zero). */
export function createPodRateTotals<R extends RateRow, T extends Total>(
  rowsOf: (report: PodTrafficReport) => readonly R[],
  keyOf: (row: R) => string,
  totalOf: (row: R) => T,
): PodRateTotals<T> {
  const tenants = new Map<string, Map<string, PodEntry<T>>>();
  return {
    record(at, intervalMs, tenantId, podId, report) {
      const pods = tenants.get(tenantId) ?? new Map<string, PodEntry<T>>();
      tenants.set(tenantId, pods);
      const entry = pods.get(podId) ?? { lastAt: at - intervalMs, totals: new Map<string, T>() };
      pods.set(podId, entry);
      if (at <= entry.lastAt || intervalMs <= 0) return;
      const seconds = Math.min(intervalMs, at - entry.lastAt) / 1000;
      entry.lastAt = at;
      for (const row of rowsOf(report)) {
        const key = keyOf(row);
        let t = entry.totals.get(key);
        if (t === undefined) {
          t = totalOf(row);
          entry.totals.set(key, t);
        }
        t.packets += row.packetsPerSecond * seconds;
        t.bytes += row.bytesPerSecond * seconds;
      }
    },
    ofPod(tenantId, podId) {
      return [...(tenants.get(tenantId)?.get(podId)?.totals.values() ?? [])];
    },
    *ofTenant(tenantId) {
      for (const entry of tenants.get(tenantId)?.values() ?? []) yield* entry.totals.values();
    },
    prune(at, exists) {
      for (const [tenantId, pods] of tenants) {
        for (const [podId, entry] of pods) if (entry.lastAt < at && !exists(tenantId, podId)) pods.delete(podId);
        if (pods.size === 0) tenants.delete(tenantId);
      }
    },
  };
}

export interface NetworkDropCounters {
  /** Adds one pod's drops over the `intervalMs` before `at`. */
  record(at: number, intervalMs: number, tenantId: string, podId: string, report: PodTrafficReport): void;
  /** The pod's totals (empty when it never dropped, or was never modelled). */
  dropsOfPod(tenantId: string, podId: string): readonly Readonly<DropTotal>[];
  /** Drops the pods not recorded at `at` for which `exists` says no. */
  prune(at: number, exists: (tenantId: string, podId: string) => boolean): void;
}

const keyOf = (d: { direction: string; reason: string; group?: string; rule?: number }) =>
  d.group === undefined ? `${d.direction}|${d.reason}` : `${d.direction}|${d.reason}|${d.group}|${d.rule}`;

export function createNetworkDropCounters(): NetworkDropCounters {
  const totals = createPodRateTotals<TrafficDrop, DropTotal>(
    (report) => report.drops,
    keyOf,
    (d): DropTotal => ({
      direction: d.direction,
      reason: d.reason,
      ...(d.group !== undefined ? { group: d.group, rule: d.rule ?? 0 } : {}),
      packets: 0,
      bytes: 0,
    }),
  );
  return { record: totals.record, dropsOfPod: totals.ofPod, prune: totals.prune };
}
