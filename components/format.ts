/**
 * Units a person reads, shared by every page: cores and millicores, MiB/GiB, ages ("5s", "3m",
 * "2d4h", or "5秒", "3分钟", "2天4小时" in Chinese) and nice axis ticks. Pure functions, no React.
 */

/**
 * Millicores below one core, cores with up to two decimals from one core up, so that a value
 * never reads `2068m` beside `1.2Gi`: 250 → "250m", 2000 → "2", 1500 → "1.5", 2068 → "2.07".
 */
export function formatCpu(millis: number): string {
  if (Math.abs(millis) < 1000) return `${Math.round(millis)}m`;
  return `${+(millis / 1000).toFixed(2)}`;
}

/** Cores with one decimal for capacity figures: 3500 → "3.5". */
export function formatCores(millis: number): string {
  return `${+(millis / 1000).toFixed(1)}`;
}

/** Binary units as Kubernetes writes them: 268435456 → "256Mi", 81604378624 → "76Gi". */
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

/** The languages the console speaks; anything else reads as English. */
export type AgeLocale = "en" | "zh-CN" | (string & {});

const ageUnits = {
  en: { s: "s", m: "m", h: "h", d: "d" },
  zh: { s: "秒", m: "分钟", h: "小时", d: "天" },
} as const;

/**
 * An age as kubectl writes it ("45s", "3m", "5h", "2d4h"), in the reader's language
 * ("45秒", "3分钟", "5小时", "2天4小时"). A future instant reads as no age at all.
 */
export function formatAge(fromMs: number, nowMs: number, locale: AgeLocale = "en"): string {
  const u = locale.toLowerCase().startsWith("zh") ? ageUnits.zh : ageUnits.en;
  const s = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (s < 60) return `${s}${u.s}`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}${u.m}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}${u.h}`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}${u.d}${h % 24}${u.h}` : `${d}${u.d}`;
}

/** A share in whole percent, safe for a zero total. */
export function percent(used: number, total: number | undefined): number {
  if (!total) return 0;
  return Math.min(100, Math.round((used / total) * 100));
}

/**
 * Axis ticks from 0 that a person can read: steps of 1, 2, 2.5 or 5 times a power of ten,
 * about `count` of them, the last at or above `max`. 0.38 → 0, 0.1, 0.2, 0.3, 0.4 (not 0.095,
 * 0.19, …). `digits` is how many decimals the step needs, for the tick labels.
 */
export function niceTicks(max: number, count = 4): { ticks: number[]; digits: number } {
  if (!Number.isFinite(max) || max <= 0) return { ticks: [0, 1], digits: 0 };
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= rough * (1 - 1e-9)) ?? 10 * power;
  const digits = Math.max(0, decimalsOf(step));
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  const ticks = Array.from({ length: n + 1 }, (_, i) => Number((i * step).toFixed(digits)));
  return { ticks, digits };
}

/** Decimals a step needs: 0.25 → 2, 5 → 0, 2500 → 0. */
function decimalsOf(step: number): number {
  for (let d = 0; d <= 12; d++) if (Math.abs(Number(step.toFixed(d)) - step) < step * 1e-9) return d;
  return 12;
}
