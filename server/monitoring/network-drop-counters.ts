/**
 * Cumulative drops by reason per pod, from the traffic model's reports (the runtime's
 * `traffic(podId)`): what `/api/metrics` serves as `tenant_network_drops_total` and the pod
 * page's "drops by reason". One series per pod, direction and reason, and for a security group
 * rule's deny also per group and rule, so summing over a pod never counts a packet twice.
 *
 * Guarantees, as the container counters (counters.ts): totals never decrease while this
 * process collects; a round at a time already counted adds nothing, one closer than a full
 * interval adds only the part not yet counted; totals start at zero when collection starts
 * and are dropped once the pod is gone.
 */
import type { Direction } from "../engine/network/qos/qos-annotations";
import type { PodTrafficReport, TrafficDropReason } from "../engine/runtime/traffic/traffic-report";

export interface DropTotal {
  readonly direction: Direction;
  readonly reason: TrafficDropReason;
  readonly group?: string;
  readonly rule?: number;
  packets: number;
  bytes: number;
}

interface PodEntry {
  lastAt: number;
  totals: Map<string, DropTotal>;
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
  const tenants = new Map<string, Map<string, PodEntry>>();
  return {
    record(at, intervalMs, tenantId, podId, report) {
      const pods = tenants.get(tenantId) ?? new Map<string, PodEntry>();
      tenants.set(tenantId, pods);
      const entry = pods.get(podId) ?? { lastAt: at - intervalMs, totals: new Map<string, DropTotal>() };
      pods.set(podId, entry);
      if (at <= entry.lastAt || intervalMs <= 0) return;
      const seconds = Math.min(intervalMs, at - entry.lastAt) / 1000;
      entry.lastAt = at;
      for (const d of report.drops) {
        const key = keyOf(d);
        let t = entry.totals.get(key);
        if (t === undefined) {
          t = {
            direction: d.direction,
            reason: d.reason,
            ...(d.group !== undefined ? { group: d.group, rule: d.rule ?? 0 } : {}),
            packets: 0,
            bytes: 0,
          };
          entry.totals.set(key, t);
        }
        t.packets += d.packetsPerSecond * seconds;
        t.bytes += d.bytesPerSecond * seconds;
      }
    },
    dropsOfPod(tenantId, podId) {
      return [...(tenants.get(tenantId)?.get(podId)?.totals.values() ?? [])];
    },
    prune(at, exists) {
      for (const [tenantId, pods] of tenants) {
        for (const [podId, entry] of pods) if (entry.lastAt < at && !exists(tenantId, podId)) pods.delete(podId);
        if (pods.size === 0) tenants.delete(tenantId);
      }
    },
  };
}
