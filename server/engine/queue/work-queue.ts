/**
 * De-duplicating priority work queue, after client-go's workqueue.
 * Guarantees:
 * - A key is queued at most once; re-adding a queued key at a higher priority promotes
 *   it (Add > Update > Delete > SyncAll), at a lower one changes nothing.
 * - A key is never handed out twice at once: a key added while being processed is
 *   marked dirty and queued again (at the highest priority it was added with) on done().
 * - Within one priority, keys leave in the order they were first queued (FIFO).
 * - Retries live here, not in controllers: addRateLimited() re-adds after an
 *   exponential back-off (base 5 ms doubling, cap 1000 s) with up to +10 % jitter from
 *   the injected RNG; forget() resets it.
 * - mode "fifo" keeps every guarantee except priorities (one FIFO line), so benchmarks
 *   can compare the two.
 */
import type { Rng } from "./rng";
import type { TimerSet } from "./timers";

export const PRIORITIES = ["add", "update", "delete", "syncAll"] as const;
export type Priority = (typeof PRIORITIES)[number];
const RANK: Record<Priority, number> = { add: 0, update: 1, delete: 2, syncAll: 3 };

export interface QueueDepth {
  add: number;
  update: number;
  delete: number;
  syncAll: number;
  total: number;
  processing: number;
  delayed: number;
}

/** A work queue of string keys; see the module comment for the guarantees. */
export interface WorkQueue {
  readonly name: string;
  add(key: string, priority?: Priority): void;
  /** Next key to process, or undefined when nothing is ready. Pair with done(). */
  get(): string | undefined;
  done(key: string): void;
  addAfter(key: string, delayMs: number, priority?: Priority): void;
  addRateLimited(key: string): void;
  forget(key: string): void;
  numRequeues(key: string): number;
  len(): QueueDepth;
  /** The priority of the key `get()` would hand out next, without taking it (O(1)). */
  peekPriority(): Priority | undefined;
  /** True when nothing is queued or processing (delayed keys do not count). */
  isEmpty(): boolean;
  shutDown(): void;
}

export interface WorkQueueOptions {
  name: string;
  timers: TimerSet;
  rng: Rng;
  mode?: "priority" | "fifo";
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called whenever a key becomes ready, so the owner can schedule a worker pass. */
  onReady?: () => void;
}

export function createWorkQueue(opts: WorkQueueOptions): WorkQueue {
  const fifo = opts.mode === "fifo";
  const base = opts.baseDelayMs ?? 5;
  const cap = opts.maxDelayMs ?? 1_000_000;
  const lines: Set<string>[] = fifo ? [new Set()] : PRIORITIES.map(() => new Set<string>());
  const queuedAt = new Map<string, number>(); // key -> rank it is queued at
  const processing = new Set<string>();
  const dirty = new Map<string, number>(); // key -> best rank requested while processing
  const failures = new Map<string, number>();
  const delayed = new Map<string, number>(); // key -> pending timer count
  let stopped = false;

  const lineOf = (rank: number) => lines[fifo ? 0 : rank] as Set<string>;
  const enqueue = (key: string, rank: number) => {
    const cur = queuedAt.get(key);
    if (cur !== undefined) {
      if (rank >= cur) return;
      queuedAt.set(key, rank);
      if (!fifo) {
        lineOf(cur).delete(key);
        lineOf(rank).add(key);
      }
      return;
    }
    queuedAt.set(key, rank);
    lineOf(rank).add(key);
    opts.onReady?.();
  };

  const q: WorkQueue = {
    name: opts.name,
    add(key, priority = "update") {
      if (stopped) return;
      const rank = RANK[priority];
      if (processing.has(key)) {
        dirty.set(key, Math.min(rank, dirty.get(key) ?? rank));
        return;
      }
      enqueue(key, rank);
    },
    get() {
      for (const line of lines) {
        const first = line.values().next();
        if (first.done) continue;
        const key = first.value;
        line.delete(key);
        queuedAt.delete(key);
        processing.add(key);
        return key;
      }
      return undefined;
    },
    peekPriority() {
      for (const line of lines) {
        const first = line.values().next();
        if (first.done) continue;
        return PRIORITIES[queuedAt.get(first.value) ?? 0] as Priority;
      }
      return undefined;
    },
    done(key) {
      processing.delete(key);
      const rank = dirty.get(key);
      if (rank !== undefined) {
        dirty.delete(key);
        enqueue(key, rank);
      }
    },
    addAfter(key, delayMs, priority = "update") {
      if (stopped) return;
      if (delayMs <= 0) return q.add(key, priority);
      delayed.set(key, (delayed.get(key) ?? 0) + 1);
      opts.timers.after(delayMs, () => {
        const n = (delayed.get(key) ?? 1) - 1;
        if (n > 0) delayed.set(key, n);
        else delayed.delete(key);
        q.add(key, priority);
      });
    },
    addRateLimited(key) {
      const n = failures.get(key) ?? 0;
      failures.set(key, n + 1);
      const delay = Math.min(cap, base * 2 ** Math.min(n, 40));
      q.addAfter(key, delay * (1 + 0.1 * opts.rng.next()));
    },
    forget: (key) => void failures.delete(key),
    numRequeues: (key) => failures.get(key) ?? 0,
    len() {
      const d: QueueDepth = {
        add: 0,
        update: 0,
        delete: 0,
        syncAll: 0,
        total: queuedAt.size,
        processing: processing.size,
        delayed: delayed.size,
      };
      for (const rank of queuedAt.values()) d[PRIORITIES[rank] as Priority]++;
      return d;
    },
    isEmpty: () => queuedAt.size === 0 && processing.size === 0,
    shutDown() {
      stopped = true;
      for (const l of lines) l.clear();
      queuedAt.clear();
      dirty.clear();
    },
  };
  return q;
}
