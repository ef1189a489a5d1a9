/**
 * Store port. Postgres (db/) is the source of truth; the engine only holds a cache.
 * Contract for implementations:
 * - commit(batch) applies every op of the batch atomically (one transaction) or throws
 *   and applies none. Upsert replaces the whole object by (kind, id); delete of a missing
 *   object is a no-op. Ops in one batch never name the same (kind, id) twice.
 * - loadAll() returns every committed object (a consistent snapshot).
 * - Objects are plain JSON-safe data (numbers, strings, booleans, arrays, records);
 *   implementations may store them as JSONB keyed by (kind, id) with tenant_id indexed.
 * createMemoryStore() is the reference implementation used by tests. Engine objects are
 * immutable values, so commit() keeps references (cheap enough for 150,000-pod
 * benchmarks); loadAll() and snapshot() hand out deep copies, so nothing uncommitted
 * and no later change can leak into an engine started from them.
 */
import type { EngineObject, ObjectKind, ObjectOfKind } from "../kinds/types";
import { OBJECT_KINDS } from "../kinds/types";

export type WriteOp =
  /** `created`: the object was not in the committed state before this batch (absent: not known). */
  | { op: "upsert"; object: EngineObject; created?: boolean }
  | { op: "delete"; kind: ObjectKind; id: string; tenantId: string };

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

export interface EngineStore {
  loadAll(): Promise<Snapshot>;
  commit(batch: WriteBatch): Promise<void>;
}

export function emptySnapshot(): Snapshot {
  return { Quota: [], NodePool: [], Node: [], Deployment: [], ReplicaSet: [], Pod: [], Event: [] };
}

export interface MemoryStore extends EngineStore {
  /** Deep copy of what is committed now: start a fresh engine from it (crash test). */
  snapshot(): Snapshot;
  /** Make the next `n` commits throw (and apply nothing). */
  failNextCommits(n: number): void;
  readonly commits: number;
  readonly opsCommitted: number;
}

export function createMemoryStore(initial?: Snapshot): MemoryStore {
  const data = new Map<ObjectKind, Map<string, EngineObject>>(OBJECT_KINDS.map((k) => [k, new Map()]));
  for (const k of OBJECT_KINDS) for (const o of initial?.[k] ?? []) data.get(k)?.set(o.id, structuredClone(o));
  let failures = 0;
  let commits = 0;
  let ops = 0;
  const snapshot = (): Snapshot => {
    const s = emptySnapshot() as Record<ObjectKind, EngineObject[]>;
    for (const k of OBJECT_KINDS) s[k] = [...(data.get(k)?.values() ?? [])].map((o) => structuredClone(o));
    return s as Snapshot;
  };
  return {
    snapshot,
    loadAll: async () => snapshot(),
    async commit(batch) {
      if (failures > 0) {
        failures--;
        throw new Error("memory store: injected commit failure");
      }
      const copies = batch.ops;
      for (const op of copies) {
        if (op.op === "upsert") data.get(op.object.kind)?.set(op.object.id, op.object);
        else data.get(op.kind)?.delete(op.id);
      }
      commits++;
      ops += copies.length;
    },
    failNextCommits(n) {
      failures = n;
    },
    get commits() {
      return commits;
    },
    get opsCommitted() {
      return ops;
    },
  };
}
