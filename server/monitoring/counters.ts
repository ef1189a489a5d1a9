/**
 * Cumulative per-container counters, as cAdvisor reads them from a container's cgroup: cpu and
 * throttled seconds, disk and network bytes, operations and packets since the container was first
 * sampled. A sample carries deltas over its interval; the collector adds them here at sample time,
 * so `/api/metrics` can serve real Prometheus counters (`rate()` works on them) without summing
 * stored samples on every scrape.
 *
 * Guarantees: a container's totals never decrease while this process collects; a round at a time
 * already counted adds nothing, and one closer than a full interval to the last adds only the part
 * of its interval not yet counted, so a round collected on demand beside the timer's never counts
 * twice. Totals live in this process's memory: they start at zero when it starts collecting (a
 * counter reset, which Prometheus' `rate()` expects) and a standby, which collects nothing, has
 * none. A container keeps its totals across restarts of the container (one series per pod and
 * container name); they are dropped once its pod is gone. One set per engine, so services side
 * by side in one process never share.
 */
import type { SeriesKey } from "@/db/queries/monitoring";
import type { ContainerSample } from "../engine/runtime/workload-profile";

export interface ContainerTotals {
  cpuSeconds: number;
  cpuThrottledSeconds: number;
  fsReadBytes: number;
  fsWriteBytes: number;
  fsReads: number;
  fsWrites: number;
  netRxBytes: number;
  netTxBytes: number;
  netRxPackets: number;
  netTxPackets: number;
  netRxDropped: number;
  netTxDropped: number;
}

interface Entry extends ContainerTotals {
  /** Engine time of the newest sample counted. */
  lastAt: number;
}

export interface ContainerCounters {
  /** Adds one round's samples (taken at `at`, each covering `intervalMs` before it). */
  record(at: number, intervalMs: number, samples: readonly { key: SeriesKey; sample: ContainerSample }[]): void;
  /** The totals of a pod's containers, by container name (undefined when none was sampled). */
  ofPod(tenantId: string, podId: string): ReadonlyMap<string, Readonly<ContainerTotals>> | undefined;
  /** Drops the pods not sampled at `at` for which `exists` says no. */
  prune(at: number, exists: (tenantId: string, podId: string) => boolean): void;
}

const zero = (lastAt: number): Entry => ({
  lastAt,
  cpuSeconds: 0,
  cpuThrottledSeconds: 0,
  fsReadBytes: 0,
  fsWriteBytes: 0,
  fsReads: 0,
  fsWrites: 0,
  netRxBytes: 0,
  netTxBytes: 0,
  netRxPackets: 0,
  netTxPackets: 0,
  netRxDropped: 0,
  netTxDropped: 0,
});

export function createContainerCounters(): ContainerCounters {
  /** tenant → pod → container → entry. */
  const tenants = new Map<string, Map<string, Map<string, Entry>>>();

  return {
    record(at, intervalMs, samples) {
      for (const { key, sample: s } of samples) {
        const pods = tenants.get(key.tenantId) ?? new Map<string, Map<string, Entry>>();
        tenants.set(key.tenantId, pods);
        const containers = pods.get(key.podId) ?? new Map<string, Entry>();
        pods.set(key.podId, containers);
        const entry = containers.get(key.container) ?? zero(at - intervalMs);
        containers.set(key.container, entry);
        if (at <= entry.lastAt || intervalMs <= 0) continue;
        // The share of this sample's interval not counted yet (1 for a round a full interval after the last).
        const share = Math.min(intervalMs, at - entry.lastAt) / intervalMs;
        const seconds = (intervalMs * share) / 1000;
        const t = entry;
        t.cpuSeconds += (s.cpuMillis / 1000) * seconds;
        t.cpuThrottledSeconds += (s.cpuThrottledMs / 1000) * share;
        t.fsReadBytes += s.diskReadBytes * share;
        t.fsWriteBytes += s.diskWriteBytes * share;
        t.fsReads += s.diskReadOps * share;
        t.fsWrites += s.diskWriteOps * share;
        t.netRxBytes += s.netRxBytes * share;
        t.netTxBytes += s.netTxBytes * share;
        t.netRxPackets += s.netRxPackets * share;
        t.netTxPackets += s.netTxPackets * share;
        t.netRxDropped += s.netRxDrops * share;
        t.netTxDropped += s.netTxDrops * share;
        entry.lastAt = at;
      }
    },
    ofPod(tenantId, podId) {
      return tenants.get(tenantId)?.get(podId);
    },
    prune(at, exists) {
      for (const [tenantId, pods] of tenants) {
        for (const [podId, containers] of pods) {
          let sampledNow = false;
          for (const e of containers.values()) sampledNow ||= e.lastAt >= at;
          if (!sampledNow && !exists(tenantId, podId)) pods.delete(podId);
        }
        if (pods.size === 0) tenants.delete(tenantId);
      }
    },
  };
}
