/**
 * Store port. Postgres (db/) is the source of truth; the engine only holds a cache.
 * Contract for implementations:
 * - commit(batch) applies every op of the batch atomically (one transaction) or throws
 *   and applies none. Upsert replaces the whole object by (kind, id); delete of a missing
 *   object is a no-op. Ops in one batch never name the same (kind, id) twice.
 * - Conditional ops: an op with `expectResourceVersion` applies only if the committed object
 *   has exactly that resourceVersion (`0`: the object must not exist). Any mismatch throws
 *   EngineError CONFLICT and the batch applies nothing: a stale writer (a second engine, a
 *   paused old leader) cannot overwrite a newer write.
 * - Change log: a batch with a `revision` writes one change per op with that revision, in the
 *   same transaction (ADDED for `created`, else MODIFIED; DELETED with the object's last state).
 *   `changesSince(r)` returns the changes with revision > r in commit order, or "gone" when some
 *   of them were compacted away; `subscribe` is told each committed revision (LISTEN/NOTIFY on
 *   a PostgreSQL server, in-process otherwise), so a follower reads the log without polling.
 * - loadAll() returns every committed object (a consistent snapshot) and the last revision.
 * - Objects are plain JSON-safe data (numbers, strings, booleans, arrays, records);
 *   implementations may store them as JSONB keyed by (kind, id) with tenant_id indexed.
 * createMemoryStore() (memory-store.ts) is the reference implementation used by tests.
 */
import { type EngineObject, OBJECT_KINDS, type ObjectKind, type ObjectOfKind } from "../kinds/types";

export type WriteOp =
  /** `created`: the object was not in the committed state before this batch (absent: not known). */
  | {
      op: "upsert";
      object: EngineObject;
      created?: boolean;
      expectResourceVersion?: number;
      /**
       * The resourceVersion of the committed version this upsert replaces (absent for a creation):
       * where that version was written, for a store that finds it by revision. Set for every kind,
       * events included (whose upserts carry no expectResourceVersion).
       */
      previousResourceVersion?: number;
    }
  /** `object`: its last committed state, for the change log (absent: the log records the key only). */
  | {
      op: "delete";
      kind: ObjectKind;
      id: string;
      tenantId: string;
      object?: EngineObject;
      expectResourceVersion?: number;
    };

/** Writes that must land together or not at all. */
export interface WriteBatch {
  ops: WriteOp[];
  /**
   * Engine-clock time of the commit. Stores may derive facts from a batch inside the same
   * transaction (metering: a pod holds its requests from binding until it is gone), so
   * those facts are exactly as durable as the objects.
   */
  at?: number;
  /** The revision this batch commits as; every upserted object carries it as resourceVersion. */
  revision?: number;
}

/** Everything committed, grouped by kind, with the revision of the last commit when the store keeps one. */
export type Snapshot = { [K in ObjectKind]: ObjectOfKind<K>[] } & { revision?: number };

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

/** One entry of the change log: what one op of the commit `revision` did. */
export interface ChangeRecord {
  revision: number;
  type: ChangeType;
  kind: ObjectKind;
  /** After the change; for DELETED, the last state. */
  object: EngineObject;
  /** Engine-clock time of the commit. */
  at: number;
}

/** What compaction keeps: every change of the last `ms` of engine time AND the last `changes` changes. */
export interface ChangeLogWindow {
  ms: number;
  changes: number;
}

export interface EngineStore {
  loadAll(): Promise<Snapshot>;
  commit(batch: WriteBatch): Promise<void>;
  /** The revision of the last commit (0 before any). */
  currentRevision?(): Promise<number>;
  /** Changes with revision > `revision`, oldest first, whole commits, at most about `limit`; "gone" if compacted. */
  changesSince?(revision: number, limit: number): Promise<ChangeRecord[] | "gone">;
  /** Calls `onRevision` after each commit (this process's or, on a server, any process's). */
  subscribe?(onRevision: (revision: number) => void): Promise<Subscription>;
  /**
   * Delete the changes outside the window ending at `now` (engine time); the newest commit is
   * always kept. Returns the oldest revision still kept (changesSince works from one below it).
   */
  compact?(now: number, window: ChangeLogWindow): Promise<{ oldestRevision: number }>;
}

export interface Subscription {
  close(): Promise<void>;
}

export function emptySnapshot(): Snapshot {
  return Object.fromEntries(OBJECT_KINDS.map((k) => [k, []])) as unknown as Snapshot;
}

/** The change one op records: DELETED needs the last state, else the key only. */
export function changeOf(op: WriteOp, revision: number, at: number): ChangeRecord | undefined {
  if (op.op === "upsert")
    return { revision, at, kind: op.object.kind, object: op.object, type: op.created ? "ADDED" : "MODIFIED" };
  return op.object ? { revision, at, kind: op.kind, object: op.object, type: "DELETED" } : undefined;
}

/**
 * The first revision to keep under `window`: given the log's commits oldest first as
 * (revision, at, number of changes), keep the commits inside the time window and enough of
 * the newest to hold `window.changes` changes, whichever reaches further back; never the newest
 * commit. Shared by the memory store and tests; the database computes the same in SQL.
 */
export function firstKeptRevision(
  commits: readonly { revision: number; at: number; changes: number }[],
  now: number,
  window: ChangeLogWindow,
): number | undefined {
  const last = commits[commits.length - 1];
  if (!last) return undefined;
  let keep = last.revision;
  let count = 0;
  for (let i = commits.length - 1; i >= 0; i--) {
    const c = commits[i] as (typeof commits)[number];
    if (c.at < now - window.ms && count >= window.changes) break;
    keep = c.revision;
    count += c.changes;
  }
  return keep;
}

export { createMemoryStore, type MemoryStore } from "./memory-store";
