/** Human units and the CSV export of an invoice (closed or the running draft). */
import { formatMinor } from "./rating";
import { periodLabel } from "./period";
import { resourceGroupOf } from "./resources";

const HOUR = 3_600_000n;

/** Quantity in its billing unit (vCPU-h, GiB-h, node-h, IP-h, Mbit/s-h) with 4 decimals, truncated. */
export function formatQuantity(resource: string, quantity: bigint): string {
  const den = resource === "cpu" ? 1000n * HOUR : resource === "memory" ? (1n << 30n) * HOUR : HOUR;
  const scaled = (quantity * 10_000n) / den;
  return `${scaled / 10_000n}.${(scaled % 10_000n).toString().padStart(4, "0")}`;
}

export function unitOf(resource: string): string {
  if (resource === "cpu") return "vCPU-hour";
  if (resource === "memory") return "GiB-hour";
  const group = resourceGroupOf(resource);
  if (group === "publicIps") return "IP-hour";
  if (group === "bandwidth") return "Mbit/s-hour";
  return `${resource.slice(5)} node-hour`;
}

/** Micro-units per unit → major units with 6 decimals ("0.031000"). */
export function formatMicros(micros: bigint): string {
  return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, "0")}`;
}

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export interface CsvLine {
  resource: string;
  deploymentName: string | null;
  quantity: bigint;
  unitPriceMicros: bigint;
  amountMinor: bigint;
}

export function invoiceCsv(params: {
  id: string;
  period: number;
  currency: string;
  status: string;
  lines: CsvLine[];
  totalMinor: bigint;
}): string {
  const rows = [
    ["invoice", "period", "status", "resource", "deployment", "quantity", "unit", "unit_price", "amount", "currency"],
  ];
  for (const l of params.lines) {
    rows.push([
      params.id,
      periodLabel(params.period),
      params.status,
      l.resource,
      l.deploymentName ?? "",
      formatQuantity(l.resource, l.quantity),
      unitOf(l.resource),
      formatMicros(l.unitPriceMicros),
      formatMinor(l.amountMinor),
      params.currency,
    ]);
  }
  rows.push([
    params.id,
    periodLabel(params.period),
    params.status,
    "total",
    "",
    "",
    "",
    "",
    formatMinor(params.totalMinor),
    params.currency,
  ]);
  return `${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`;
}
