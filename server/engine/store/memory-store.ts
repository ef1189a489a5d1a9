/**
 * The reference store (store.ts has the contract), used by tests and memory benchmarks.
 * Engine objects are immutable values, so commit() keeps references (cheap enough for
 * 150,000-pod benchmarks); loadAll() and snapshot() hand out deep copies, so nothing
 * uncommitted and no later change can leak into an engine started from them. The change log
 * is kept in memory, one entry per commit, and compacted like the database's.
 */
import { EngineError } from "../core/errors";
import type { EngineObject, ObjectKind } from "../kinds/types";
import { OBJECT_KINDS } from "../kinds/types";
import {
  type ChangeRecord,
  changeOf,
  type EngineStore,
  emptySnapshot,
  firstKeptRevision,
  type Snapshot,
  type WriteBatch,
} from "./store";

export interface MemoryStore extends Required<EngineStore> {
  /** Deep copy of what is committed now: start a fresh engine from it (crash test). */
  snapshot(): Snapshot;
  /** Make the next `n` commits throw (and apply nothing). */
  failNextCommits(n: number): void;
  readonly commits: number;
  readonly opsCommitted: number;
}

interface LoggedCommit {
  revision: number;
  at: number;
  changes: ChangeRecord[];
}

export function createMemoryStore(initial?: Snapshot): MemoryStore {
  const data = new Map<ObjectKind, Map<string, EngineObject>>(OBJECT_KINDS.map((k) => [k, new Map()]));
  for (const k of OBJECT_KINDS) for (const o of initial?.[k] ?? []) data.get(k)?.set(o.id, structuredClone(o));
  let revision = initial?.revision ?? 0;
  /** Commits newest last; `head` is the first kept (compaction moves it, and trims the array now and then). */
  let log: LoggedCommit[] = [];
  let head = 0;
  const listeners = new Set<(revision: number) => void>();
  let failures = 0;
  let commits = 0;
  let ops = 0;
  const snapshot = (): Snapshot => {
    const s = emptySnapshot() as Record<ObjectKind, EngineObject[]>;
    for (const k of OBJECT_KINDS) s[k] = [...(data.get(k)?.values() ?? [])].map((o) => structuredClone(o));
    return Object.assign(s, { revision }) as Snapshot;
  };
  const check = (batch: WriteBatch) => {
    for (const op of batch.ops) {
      if (op.expectResourceVersion === undefined) continue;
      const kind = op.op === "upsert" ? op.object.kind : op.kind;
      const id = op.op === "upsert" ? op.object.id : op.id;
      const current = data.get(kind)?.get(id);
      // A delete of an object already gone is a no-op, as without a condition.
      if (op.op === "delete" && !current) continue;
      if ((current?.resourceVersion ?? 0) !== op.expectResourceVersion) throw conflict(kind, id);
    }
  };
  return {
    snapshot,
    loadAll: async () => snapshot(),
    async commit(batch) {
      if (failures > 0) {
        failures--;
        throw new Error("memory store: injected commit failure");
      }
      check(batch);
      for (const op of batch.ops) {
        if (op.op === "upsert") data.get(op.object.kind)?.set(op.object.id, op.object);
        else data.get(op.kind)?.delete(op.id);
      }
      if (batch.revision !== undefined && batch.ops.length > 0) {
        const at = batch.at ?? 0;
        const changes: ChangeRecord[] = [];
        for (const op of batch.ops) {
          const c = changeOf(op, batch.revision, at);
          if (c) changes.push(c);
        }
        log.push({ revision: batch.revision, at, changes });
        revision = batch.revision;
      }
      commits++;
      ops += batch.ops.length;
      for (const l of listeners) l(revision);
    },
    currentRevision: async () => revision,
    async changesSince(since, limit) {
      const first = log[head];
      if (since < revision && (!first || since < first.revision - 1)) return "gone";
      const out: ChangeRecord[] = [];
      // Commits are few compared with changes: a linear search from the newest end is short for a follower.
      let i = log.length;
      while (i > head && (log[i - 1] as LoggedCommit).revision > since) i--;
      for (; i < log.length && out.length < limit; i++) out.push(...(log[i] as LoggedCommit).changes);
      return out;
    },
    async subscribe(onRevision) {
      const l = (r: number) => onRevision(r);
      listeners.add(l);
      return { close: async () => void listeners.delete(l) };
    },
    async compact(now, window) {
      const kept = log.slice(head);
      const keep = firstKeptRevision(
        kept.map((c) => ({ revision: c.revision, at: c.at, changes: c.changes.length })),
        now,
        window,
      );
      if (keep !== undefined) while (head < log.length && (log[head] as LoggedCommit).revision < keep) head++;
      if (head > 1024 && head > log.length / 2) {
        log = log.slice(head);
        head = 0;
      }
      return { oldestRevision: log[head]?.revision ?? revision + 1 };
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

export function conflict(kind: string, id: string): EngineError {
  return new EngineError(
    "CONFLICT",
    `Operation cannot be fulfilled on ${kind} "${id}": the object has been modified; please apply your changes to the latest version and try again`,
  );
}
