/**
 * Tenant-scoped lookups for commands and queries. Guarantee: an object is found only
 * through its own tenant; another tenant's id answers NOT_FOUND, exactly like a missing
 * one, so ids leak nothing across tenants.
 */
import { EngineError, notFound } from "./errors";
import type { EngineState } from "./state";
import type { ObjectKind, ObjectOfKind } from "../kinds/types";

export function checkTenant(tenantId: unknown): string {
  if (typeof tenantId !== "string" || tenantId.length === 0 || tenantId.length > 128) {
    throw new EngineError("INVALID", "tenantId must be a non-empty string of at most 128 characters");
  }
  return tenantId;
}

const LABEL: Record<ObjectKind, string> = {
  Quota: "quota",
  NodePool: "node pool",
  Node: "node",
  Deployment: "deployment",
  ReplicaSet: "replica set",
  Pod: "pod",
  Event: "event",
};

/** Find by id or by name within the tenant. */
export function mustFind<K extends ObjectKind>(
  state: EngineState,
  kind: K,
  tenantId: string,
  ref: unknown,
): ObjectOfKind<K> {
  if (typeof ref !== "string" || ref.length === 0 || ref.length > 253)
    throw new EngineError("INVALID", `${LABEL[kind]} reference must be a non-empty id or name`);
  const byId = state.get(kind, ref);
  if (byId && byId.tenantId === tenantId) return byId;
  const byName = state.byName(kind, tenantId, ref);
  if (byName) return byName;
  throw notFound(LABEL[kind], ref);
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Cursor pagination over items sorted by `key` ascending; the cursor is the last key returned. */
export function paginate<T>(
  items: T[],
  key: (t: T) => string,
  opts: { cursor?: string; limit?: number } = {},
): Page<T> {
  const limit = Math.max(1, Math.min(1000, Math.floor(opts.limit ?? 100)));
  const sorted = items.map((t) => [key(t), t] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let start = 0;
  if (opts.cursor !== undefined) {
    const c = opts.cursor;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as readonly [string, T])[0] <= c) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = sorted.slice(start, start + limit);
  const last = page[page.length - 1];
  return { items: page.map((p) => p[1]), ...(start + limit < sorted.length && last ? { nextCursor: last[0] } : {}) };
}
