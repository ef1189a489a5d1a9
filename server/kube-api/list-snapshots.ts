/**
 * The sorted result of a paged list, kept for its continue tokens: a list's later pages are
 * sliced from the objects its first page saw, as etcd serves every page of a list at the first
 * page's revision. Objects are immutable values (engine kinds/types.ts), so holding the array
 * holds that moment's versions; an object changed or deleted since is answered as it was.
 * Without this, each page re-listed and re-sorted the kind (150,000 pods: ~0.3 s a page).
 *
 * Guarantees: a snapshot is found only by its random id and only for the same list (caller,
 * kind, namespace, selectors): a token handed to another caller finds nothing, and that caller
 * reads its own current state as before. Bounded: at most MAX_SNAPSHOTS, each for at most
 * the continue token's lifetime (paging.ts TOKEN_TTL_MS), the oldest dropped first. A missing
 * snapshot (expired, dropped, another server process) falls back to the current state, in
 * sort-key order after the token's key, as before.
 */
import { randomBytes } from "node:crypto";
import type { EngineObject } from "../engine";
import { TOKEN_TTL_MS } from "./paging";

const MAX_SNAPSHOTS = 16;

interface Snapshot {
  list: string;
  objects: readonly EngineObject[];
  at: number;
}

const snapshots = new Map<string, Snapshot>();

/** Keep `objects` (sorted) for the later pages of `list` (what identifies the list and its caller); returns its id. */
export function keepListSnapshot(list: string, objects: readonly EngineObject[], now: number): string {
  const id = randomBytes(12).toString("base64url");
  snapshots.set(id, { list, objects, at: now });
  for (const [oldId, s] of snapshots) {
    if (snapshots.size <= MAX_SNAPSHOTS && now - s.at <= TOKEN_TTL_MS) break;
    snapshots.delete(oldId);
  }
  return id;
}

/** The objects kept under `id` for this same `list`, if still kept. */
export function listSnapshot(id: string, list: string, now: number): readonly EngineObject[] | undefined {
  const s = snapshots.get(id);
  if (!s || s.list !== list) return undefined;
  if (now - s.at > TOKEN_TTL_MS) {
    snapshots.delete(id);
    return undefined;
  }
  return s.objects;
}
