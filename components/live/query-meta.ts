/**
 * How a query asks the live layer to refresh it less often than every note: `meta` read by the
 * invalidation (use-live-updates.ts). For queries whose answer matters less than its cost
 * (a 7-day chart, a filter's list of names), and for paused ones (a log not followed, charts
 * with auto-refresh off). Queries without it refetch on every note of their kind (batched).
 * A query that failed is retried by notes at most every 10 s (a deleted object's page would
 * otherwise ask again after every change of its kind).
 */
export const liveMetaKey = "liveMinRefreshMs";
const failedRetryMs = 10_000;

/** `meta` for a query refreshed by live notes at most every `ms` of wall time; `false`: never. */
export function minLiveRefresh(ms: number | false): Record<string, unknown> {
  return { [liveMetaKey]: ms === false ? Number.POSITIVE_INFINITY : ms };
}

interface QueryLike {
  meta?: Record<string, unknown>;
  state: { status: string; dataUpdatedAt: number; errorUpdatedAt: number };
}

/** Whether a note may refetch this query now (epoch ms, as TanStack stamps its updates). */
export function liveRefreshDue(query: QueryLike, now: number): boolean {
  const { status, dataUpdatedAt, errorUpdatedAt } = query.state;
  if (status === "error") return now - errorUpdatedAt >= failedRetryMs;
  const min = query.meta?.[liveMetaKey];
  if (typeof min !== "number" || min <= 0) return true;
  // 10% slack: samples land on a fixed cadence, and a fetch finishing just after one must not skip the next.
  return now - dataUpdatedAt >= min * 0.9;
}
