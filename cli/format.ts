/** Aligned tables, ages and quantities the way kubectl prints them. */

/** Columns separated by three spaces, padded to the widest cell; no trailing spaces. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [headers, ...rows].map((r) => formatRow(r, widths)).join("\n");
}

export function columnWidths(headers: string[], rows: string[][]): number[] {
  return headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
}

export function formatRow(row: string[], widths: number[]): string {
  return row
    .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? cell.length)))
    .join("   ")
    .trimEnd();
}

/** kubectl's HumanDuration (45s, 3m5s, 25m, 2h30m, 20h, 2d4h, 30d, 2y10d): the engine's printers' own. */
export { humanDuration as age } from "../server/engine/kinds/printers";

/** 2000 → "2", 500 → "500m". */
export function cpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes with binary suffixes: 268435456 → "256Mi", 1.5 GiB → "1.5Gi". */
export function memory(bytes: number): string {
  const units: [string, number][] = [
    ["Ti", 2 ** 40],
    ["Gi", 2 ** 30],
    ["Mi", 2 ** 20],
    ["Ki", 2 ** 10],
  ];
  for (const [unit, size] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : Number(value.toFixed(1))}${unit}`;
    }
  }
  return String(bytes);
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : "-";
}

export function labelsText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(",") : "<none>";
}
