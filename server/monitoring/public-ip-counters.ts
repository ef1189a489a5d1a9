/**
 * Cumulative traffic per public IP, from the traffic model's reports (the runtime's
 * `publicIpTraffic()`): what `/api/metrics` serves as `public_ip_receive_bytes_total`,
 * `public_ip_transmit_bytes_total`, `public_ip_blackholed_packets_total` and the gauge
 * `public_ip_blackholed`. One entry per PublicIP object and address (an address given back
 * and allocated again is a new series).
 *
 * Guarantees, as the drop counters (network-drop-counters.ts): totals never decrease while
 * this process collects; a round at a time already counted adds nothing, one closer than a
 * full interval adds only the part not yet counted; totals start at zero when collection
 * starts. The report lists every public IP the model knows, so one missing from a round is
 * gone (released) and loses its totals.
 */
import type { PublicIpTrafficReport } from "../engine/runtime/traffic/traffic-report";

export interface PublicIpTotal {
  readonly namespace: string;
  readonly name: string;
  readonly address: string;
  receiveBytes: number;
  transmitBytes: number;
  blackholedPackets: number;
  /** As of the last round. */
  blackholed: boolean;
}

interface Entry {
  lastAt: number;
  total: PublicIpTotal;
}

export interface PublicIpCounters {
  /** Adds one round of reports, each over the `intervalMs` before `at`. */
  record(at: number, intervalMs: number, reports: readonly PublicIpTrafficReport[]): void;
  /** The tenant's public IPs' totals by namespace and name (empty when none was modelled). */
  ofTenant(tenantId: string): readonly Readonly<PublicIpTotal>[];
}

export function createPublicIpCounters(): PublicIpCounters {
  const tenants = new Map<string, Map<string, Entry>>();
  return {
    record(at, intervalMs, reports) {
      const seen = new Set<string>();
      for (const r of reports) {
        const key = `${r.tenantId}|${r.namespace}|${r.name}|${r.address}`;
        seen.add(key);
        const ips = tenants.get(r.tenantId) ?? new Map<string, Entry>();
        tenants.set(r.tenantId, ips);
        let entry = ips.get(key);
        if (!entry) {
          entry = {
            lastAt: at - intervalMs,
            total: {
              namespace: r.namespace,
              name: r.name,
              address: r.address,
              receiveBytes: 0,
              transmitBytes: 0,
              blackholedPackets: 0,
              blackholed: false,
            },
          };
          ips.set(key, entry);
        }
        entry.total.blackholed = r.blackholed;
        if (at <= entry.lastAt || intervalMs <= 0) continue;
        const seconds = Math.min(intervalMs, at - entry.lastAt) / 1000;
        entry.lastAt = at;
        entry.total.receiveBytes += (r.rxBitsPerSecond / 8) * seconds;
        entry.total.transmitBytes += (r.txBitsPerSecond / 8) * seconds;
        entry.total.blackholedPackets += r.blackholedPacketsPerSecond * seconds;
      }
      for (const [tenantId, ips] of tenants) {
        for (const key of ips.keys()) if (!seen.has(key)) ips.delete(key);
        if (ips.size === 0) tenants.delete(tenantId);
      }
    },
    ofTenant(tenantId) {
      return [...(tenants.get(tenantId)?.values() ?? [])]
        .map((e) => e.total)
        .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    },
  };
}
