/**
 * `limit` / `continue` paging of lists. A continue token carries the list's resourceVersion,
 * the sort key of the last item returned, when the list began and, when the server kept one,
 * the id of the first page's snapshot (list-snapshots.ts); every page of one list answers with
 * that first resourceVersion (clients compare it). Items come from that snapshot, else from the
 * current state in sort-key order after the token's key, so no item is returned twice and none
 * present throughout is skipped.
 *
 * A token older than TOKEN_TTL_MS is Expired (410), as etcd's compaction makes old tokens;
 * an unreadable one is BadRequest.
 */
import { badRequest, KubeError } from "./status";

export const TOKEN_TTL_MS = 5 * 60_000;
export const MAX_LIMIT = 5000;

export interface Token {
  v: 1;
  rv: string;
  key: string;
  at: number;
  /** The first page's snapshot, when one was kept. */
  s?: string;
}

export function encodeContinue(rv: string, key: string, at: number, snapshot?: string): string {
  const token: Token = { v: 1, rv, key, at, ...(snapshot ? { s: snapshot } : {}) };
  return Buffer.from(JSON.stringify(token)).toString("base64url");
}

export function decodeContinue(token: string, now: number): Token {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw badRequest("continue key is not valid");
  }
  const t = parsed as Partial<Token>;
  if (
    t?.v !== 1 ||
    typeof t.rv !== "string" ||
    typeof t.key !== "string" ||
    typeof t.at !== "number" ||
    (t.s !== undefined && typeof t.s !== "string")
  )
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
  sorted: readonly T[],
  keyOf: (t: T) => string,
  opts: {
    limit?: number;
    continueToken?: string | Token;
    currentRv: string;
    now: number;
    /** Keeps `sorted` for the later pages when there are any; returns the snapshot's id. */
    keepSnapshot?: () => string;
  },
): PageResult<T> {
  let start = 0;
  let rv = opts.currentRv;
  let began = opts.now;
  let snapshot: string | undefined;
  if (opts.continueToken) {
    const t =
      typeof opts.continueToken === "string" ? decodeContinue(opts.continueToken, opts.now) : opts.continueToken;
    rv = t.rv;
    snapshot = t.s;
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
  const more = end < sorted.length && last !== undefined;
  if (more && !opts.continueToken) snapshot = opts.keepSnapshot?.();
  return {
    items,
    resourceVersion: rv,
    ...(more ? { continue: encodeContinue(rv, keyOf(last as T), began, snapshot) } : {}),
  };
}
