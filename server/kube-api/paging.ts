/**
 * `limit` / `continue` paging of lists. A continue token carries the list's resourceVersion,
 * the sort key of the last item returned and when the list began; every page of one list
 * answers with that first resourceVersion (clients compare it). Items are read from the
 * current state (the engine keeps no snapshots), in sort-key order after the token's key,
 * so no item is returned twice and none present throughout is skipped.
 *
 * A token older than TOKEN_TTL_MS is Expired (410), as etcd's compaction makes old tokens;
 * an unreadable one is BadRequest.
 */
import { badRequest, KubeError } from "./status";

export const TOKEN_TTL_MS = 5 * 60_000;
export const MAX_LIMIT = 5000;

interface Token {
  v: 1;
  rv: string;
  key: string;
  at: number;
}

export function encodeContinue(rv: string, key: string, at: number): string {
  return Buffer.from(JSON.stringify({ v: 1, rv, key, at } satisfies Token)).toString("base64url");
}

export function decodeContinue(token: string, now: number): Token {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw badRequest("continue key is not valid");
  }
  const t = parsed as Partial<Token>;
  if (t?.v !== 1 || typeof t.rv !== "string" || typeof t.key !== "string" || typeof t.at !== "number")
    throw badRequest("continue key is not valid");
  if (now - t.at > TOKEN_TTL_MS)
    throw new KubeError(
      "Expired",
      "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
    );
  return t as Token;
}

/** `limit` from the query: absent or 0 = everything; otherwise a positive integer (capped). */
export function parseLimit(raw: string | null): number | undefined {
  if (raw === null || raw === "" || raw === "0") return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw badRequest(`limit: Invalid value: "${raw}": must be a non-negative integer`);
  return Math.min(Number(raw), MAX_LIMIT);
}

export interface PageResult<T> {
  items: T[];
  resourceVersion: string;
  continue?: string;
}

/**
 * One page of `sorted` (ascending by `keyOf`): after the token's key when continuing; the
 * list's resourceVersion is the token's, or `currentRv` for a first page.
 */
export function pageOf<T>(
  sorted: T[],
  keyOf: (t: T) => string,
  opts: { limit?: number; continueToken?: string; currentRv: string; now: number },
): PageResult<T> {
  let start = 0;
  let rv = opts.currentRv;
  let began = opts.now;
  if (opts.continueToken) {
    const t = decodeContinue(opts.continueToken, opts.now);
    rv = t.rv;
    began = t.at;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keyOf(sorted[mid] as T) <= t.key) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const end = opts.limit === undefined ? sorted.length : start + opts.limit;
  const items = sorted.slice(start, end);
  const last = items[items.length - 1];
  return {
    items,
    resourceVersion: rv,
    ...(end < sorted.length && last !== undefined ? { continue: encodeContinue(rv, keyOf(last), began) } : {}),
  };
}
