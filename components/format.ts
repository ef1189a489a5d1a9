/**
 * Units a person reads, shared by every page: cores and millicores, MiB/GiB, Kubernetes-style
 * ages ("5s", "3m", "2d4h"). Pure functions, no React.
 */

/** 250 → "250m", 2000 → "2", 1500 → "1.5". */
export function formatCpu(millis: number): string {
  if (millis < 1000 || millis % 100 !== 0) return `${Math.round(millis)}m`;
  return `${+(millis / 1000).toFixed(2)}`;
}

/** Cores with one decimal for capacity figures: 3500 → "3.5 cores". */
export function formatCores(millis: number): string {
  return `${+(millis / 1000).toFixed(1)}`;
}

/** Binary units as Kubernetes writes them: 268435456 → "256Mi". */
export function formatBytes(bytes: number): string {
  const units = ["", "Ki", "Mi", "Gi", "Ti"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${+value.toFixed(value >= 100 || unit === 0 ? 0 : 1)}${units[unit]}`;
}

/** kubectl's age: "45s", "3m", "5h", "2d4h". */
export function formatAge(fromMs: number, nowMs: number): string {
  const s = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
}

/** A share in whole percent, safe for a zero total. */
export function percent(used: number, total: number | undefined): number {
  if (!total) return 0;
  return Math.min(100, Math.round((used / total) * 100));
}
