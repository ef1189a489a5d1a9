/**
 * Billing periods are calendar months in UTC. An interval [start, end) that crosses a month
 * boundary is split there exactly; no millisecond is lost or counted twice.
 */
export function monthStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function nextMonthStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function dayStart(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** "2026-01" for the month that starts at `period`. */
export function periodLabel(period: number): string {
  return new Date(period).toISOString().slice(0, 7);
}

export function parsePeriodLabel(label: string): number {
  const [y, m] = label.split("-").map(Number);
  return Date.UTC(y as number, (m as number) - 1, 1);
}

export interface Segment {
  period: number;
  start: number;
  end: number;
}

/** Splits [start, end) at every month boundary; empty when end <= start. */
export function splitByMonth(start: number, end: number): Segment[] {
  const out: Segment[] = [];
  for (let s = start; s < end; ) {
    const boundary = nextMonthStart(s);
    const e = Math.min(end, boundary);
    out.push({ period: monthStart(s), start: s, end: e });
    s = e;
  }
  return out;
}
