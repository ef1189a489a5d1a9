/**
 * Rating: exact usage quantities × integer prices → invoice lines in minor units.
 *
 * Prices are micro-units of the currency (1e-6 of a major unit) per hour: per vCPU-hour,
 * per GiB-hour of memory requests, per node-hour by machine type, per public IP-hour held and
 * per Mbit/s-hour of bandwidth bought on it. Quantities are exact integers (milli-cpu·ms,
 * byte·ms, node·ms, IP·ms, Mbit/s·ms). A line's exact amount is a rational number;
 * it is rounded ONCE, half up, to the minor unit (cents: every supported currency has two
 * decimals), and an invoice total is the sum of its rounded lines, so lines always add up to
 * the cent. Everything is bigint: no floating point touches money.
 */
import type { MachineType } from "../engine";
import { publicIpResource, resourceSortKey } from "./resources";

export const CURRENCIES = ["USD", "EUR", "CNY"] as const;
export type Currency = (typeof CURRENCIES)[number];
export const MACHINE_TYPE_LIST: MachineType[] = ["2c4g", "4c8g", "8c16g"];

export interface Prices {
  currency: string;
  cpuHourMicros: bigint;
  memoryGibHourMicros: bigint;
  node2c4gHourMicros: bigint;
  node4c8gHourMicros: bigint;
  node8c16gHourMicros: bigint;
  publicIpHourMicros: bigint;
  bandwidthMbpsHourMicros: bigint;
}

/** Used until an operator saves a default plan. */
export const BUILT_IN_PRICES: Prices = {
  currency: "USD",
  cpuHourMicros: 31_000n, // $0.031 per vCPU-hour
  memoryGibHourMicros: 4_000n, // $0.004 per GiB-hour
  node2c4gHourMicros: 20_000n, // $0.02 per VM-hour (the VM's own overhead)
  node4c8gHourMicros: 40_000n,
  node8c16gHourMicros: 80_000n,
  publicIpHourMicros: 5_000n, // $0.005 per public IP-hour held, bound or not
  bandwidthMbpsHourMicros: 10_000n, // $0.01 per Mbit/s-hour bought (5 Mbit/s: $0.05 an hour)
};

export function nodePrice(p: Prices, m: string): bigint {
  if (m === "4c8g") return p.node4c8gHourMicros;
  if (m === "8c16g") return p.node8c16gHourMicros;
  return p.node2c4gHourMicros;
}

const HOUR = 3_600_000n;
const GIB = 1n << 30n;
const MICROS_PER_MINOR = 10_000n;

/** The denominator that turns quantity × price into minor units, per resource. */
export function divisorOf(resource: string): bigint {
  if (resource === "cpu") return 1000n * HOUR * MICROS_PER_MINOR;
  if (resource === "memory") return GIB * HOUR * MICROS_PER_MINOR;
  return HOUR * MICROS_PER_MINOR;
}

/** Half-up rounding of num/den for non-negative integers. */
export function roundHalfUp(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

export function amountMinor(resource: string, quantity: bigint, unitPriceMicros: bigint): bigint {
  return roundHalfUp(quantity * unitPriceMicros, divisorOf(resource));
}

export interface UsageAggregate {
  tenantId: string;
  window: number;
  kind: string;
  deploymentId: string | null;
  deploymentName: string | null;
  machineType: string | null;
  /** Public IPs: the address and the bandwidth bought (0 for other kinds). */
  address: string | null;
  bandwidthMbps: number;
  cpuMilliMs: bigint;
  memoryByteMs: bigint;
  ms: bigint;
}

export interface Line {
  resource: string;
  deploymentId: string | null;
  deploymentName: string | null;
  quantity: bigint;
  unitPriceMicros: bigint;
  amountMinor: bigint;
}

/**
 * Lines for one tenant: pods give a cpu and a memory line per deployment, nodes a line per
 * machine type, public IPs an hours line and a bandwidth line per address and bandwidth;
 * windows with the same price merge before the one rounding.
 */
export function rateLines(aggs: UsageAggregate[], pricesOf: (window: number) => Prices): Line[] {
  const exact = new Map<string, Omit<Line, "amountMinor">>();
  const add = (resource: string, a: UsageAggregate, quantity: bigint, price: bigint) => {
    if (quantity === 0n) return;
    const deploymentId = a.kind === "pod" ? a.deploymentId : null;
    const key = `${resource}|${deploymentId ?? ""}|${price}`;
    const line = exact.get(key);
    if (line) line.quantity += quantity;
    else
      exact.set(key, {
        resource,
        deploymentId,
        deploymentName: a.kind === "pod" ? a.deploymentName : null,
        quantity,
        unitPriceMicros: price,
      });
  };
  for (const a of aggs) {
    const p = pricesOf(a.window);
    if (a.kind === "pod") {
      add("cpu", a, a.cpuMilliMs, p.cpuHourMicros);
      add("memory", a, a.memoryByteMs, p.memoryGibHourMicros);
    } else if (a.kind === "publicip") {
      const address = a.address ?? "";
      add(publicIpResource("publicip", address, a.bandwidthMbps), a, a.ms, p.publicIpHourMicros);
      const mbpsMs = a.ms * BigInt(a.bandwidthMbps);
      add(publicIpResource("bandwidth", address, a.bandwidthMbps), a, mbpsMs, p.bandwidthMbpsHourMicros);
    } else {
      const m = a.machineType ?? "2c4g";
      add(`node:${m}`, a, a.ms, nodePrice(p, m));
    }
  }
  return [...exact.values()]
    .map((l) => ({ ...l, amountMinor: amountMinor(l.resource, l.quantity, l.unitPriceMicros) }))
    .sort(
      (a, b) =>
        resourceSortKey(a.resource).localeCompare(resourceSortKey(b.resource)) ||
        (a.deploymentName ?? "").localeCompare(b.deploymentName ?? ""),
    );
}

export const sumMinor = (lines: { amountMinor: bigint }[]) => lines.reduce((s, l) => s + l.amountMinor, 0n);

/** 12345n, "USD" → "123.45" (for CSV and print; the UI formats with Intl). */
export function formatMinor(minor: bigint): string {
  const neg = minor < 0n;
  const abs = neg ? -minor : minor;
  return `${neg ? "-" : ""}${abs / 100n}.${(abs % 100n).toString().padStart(2, "0")}`;
}
