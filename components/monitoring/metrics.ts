/**
 * What the monitoring charts show and in which units a person reads them: cores, MiB,
 * Mbit/s, packets/s. The API answers gauges as averages and counters as rates per second
 * (see db/queries/monitoring-read.ts); these helpers only change the scale.
 */
import type { SAMPLE_FIELDS } from "@/server/engine/runtime/workload-profile";

export type Metric = (typeof SAMPLE_FIELDS)[number];
export type Range = "15m" | "1h" | "6h" | "24h" | "7d";
export const ranges: readonly Range[] = ["15m", "1h", "6h", "24h", "7d"];
export const rangeMs: Record<Range, number> = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
};

/** Display units; each has a catalog entry `monitoring.units.<unit>` with a {value} placeholder. */
export type Unit = "cores" | "mib" | "gib" | "mbps" | "pps" | "mibps" | "iops" | "conns" | "msps";

/** Raw API value → the number shown in the unit. */
export function toUnit(unit: Unit, raw: number): number {
  switch (unit) {
    case "cores":
      return raw / 1000; // millicores → cores
    case "mib":
      return raw / 2 ** 20; // bytes → MiB
    case "gib":
      return raw / 2 ** 30; // bytes → GiB
    case "mibps":
      return raw / 2 ** 20; // bytes/s → MiB/s
    case "mbps":
      return (raw * 8) / 1e6; // bytes/s → Mbit/s
    default:
      return raw; // packets/s, ops/s, connections, throttled ms/s
  }
}

/** The unit a chart is read in, given the largest raw value it shows: memory in GiB past 1024 MiB (not 77,824 MiB). */
export function displayUnit(unit: Unit, maxRaw: number): Unit {
  return unit === "mib" && maxRaw >= 2 ** 30 ? "gib" : unit;
}

/** Enough digits to tell small values from zero, no more. */
export function digitsFor(value: number): number {
  const v = Math.abs(value);
  if (v === 0 || v >= 100) return 0;
  if (v >= 10) return 1;
  if (v >= 0.1) return 2;
  return 3;
}

export type ChartId = "cpu" | "memory" | "network" | "packets" | "tcp" | "diskBytes" | "diskOps" | "throttle";

export interface ChartDef {
  id: ChartId;
  unit: Unit;
  /** Each line: a metric and its catalog key under `monitoring.series`. */
  lines: { metric: Metric; label: string }[];
}

export const chartDefs: Record<ChartId, ChartDef> = {
  cpu: { id: "cpu", unit: "cores", lines: [{ metric: "cpuMillis", label: "cpuUsed" }] },
  throttle: { id: "throttle", unit: "msps", lines: [{ metric: "cpuThrottledMs", label: "cpuThrottled" }] },
  memory: {
    id: "memory",
    unit: "mib",
    lines: [
      { metric: "memoryWorkingSetBytes", label: "workingSet" },
      { metric: "memoryRssBytes", label: "rss" },
    ],
  },
  network: {
    id: "network",
    unit: "mbps",
    lines: [
      { metric: "netRxBytes", label: "received" },
      { metric: "netTxBytes", label: "sent" },
    ],
  },
  packets: {
    id: "packets",
    unit: "pps",
    lines: [
      { metric: "netRxPackets", label: "rxPackets" },
      { metric: "netTxPackets", label: "txPackets" },
      { metric: "netRxDrops", label: "rxDrops" },
      { metric: "netTxDrops", label: "txDrops" },
    ],
  },
  tcp: {
    id: "tcp",
    unit: "conns",
    lines: [
      { metric: "tcpEstablished", label: "established" },
      { metric: "tcpListen", label: "listen" },
      { metric: "tcpTimeWait", label: "timeWait" },
    ],
  },
  diskBytes: {
    id: "diskBytes",
    unit: "mibps",
    lines: [
      { metric: "diskReadBytes", label: "read" },
      { metric: "diskWriteBytes", label: "written" },
    ],
  },
  diskOps: {
    id: "diskOps",
    unit: "iops",
    lines: [
      { metric: "diskReadOps", label: "readOps" },
      { metric: "diskWriteOps", label: "writeOps" },
    ],
  },
};

export type MetricSet = "all" | "compute" | "network" | "disk";
export const metricSets: Record<MetricSet, ChartId[]> = {
  all: ["cpu", "memory", "network", "tcp", "diskBytes", "diskOps", "packets", "throttle"],
  compute: ["cpu", "throttle", "memory"],
  network: ["network", "packets", "tcp"],
  disk: ["diskBytes", "diskOps"],
};

/** How often a chart of a range may refetch as samples land (wall time), or false when auto-refresh is off. */
export function refreshFor(range: Range, auto: boolean): number | false {
  if (!auto) return false;
  return range === "15m" ? 5_000 : range === "1h" ? 10_000 : range === "6h" ? 30_000 : 60_000;
}

export const palette = ["#0284c7", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#db2777", "#0891b2", "#65a30d"];
