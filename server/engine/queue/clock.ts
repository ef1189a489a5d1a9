/**
 * Clock port: the only source of time for the engine.
 * Guarantees:
 * - `now()` is milliseconds since the epoch and never goes backwards.
 * - A timer fires at most once, never before its due time, and not after `clearTimer`.
 * - Virtual clock: timers fire in (due time, creation order); during a callback `now()`
 *   equals the timer's due time; timers created while firing are honoured if due.
 *   Each timer costs O(log n) (binary heap, lazy cancellation).
 */
import { MinHeap } from "./min-heap";

export type TimerHandle = number;

/** Time source injected into every engine component. */
export interface Clock {
  now(): number;
  setTimer(atMs: number, cb: () => void): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** A clock whose time only moves when told to: tests and benchmarks. */
export interface VirtualClock extends Clock {
  readonly virtual: true;
  /** Move time forward by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): void;
  /** Move time to `atMs` (no-op if in the past), firing due timers. */
  advanceTo(atMs: number): void;
  /** Fire timers until none remain or `maxMs` of virtual time has passed. */
  runUntilIdle(maxMs: number): void;
  /** Due time of the earliest live timer. */
  nextTimerAt(): number | undefined;
  pendingTimers(): number;
}

interface VTimer {
  at: number;
  seq: number;
  cb: () => void;
}

export function createVirtualClock(startMs = Date.UTC(2026, 0, 1)): VirtualClock {
  let now = startMs;
  let seq = 0;
  const heap = new MinHeap<VTimer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  const live = new Map<number, VTimer>();

  const dropCancelled = () => {
    for (let t = heap.peek(); t && !live.has(t.seq); t = heap.peek()) heap.pop();
  };
  const fireUntil = (limit: number) => {
    for (;;) {
      dropCancelled();
      const t = heap.peek();
      if (!t || t.at > limit) break;
      heap.pop();
      live.delete(t.seq);
      if (t.at > now) now = t.at;
      t.cb();
    }
  };

  return {
    virtual: true,
    now: () => now,
    setTimer(atMs, cb) {
      const t: VTimer = { at: Math.max(atMs, now), seq: ++seq, cb };
      live.set(t.seq, t);
      heap.push(t);
      return t.seq;
    },
    clearTimer(h) {
      live.delete(h);
    },
    advance(ms) {
      const target = now + Math.max(0, ms);
      fireUntil(target);
      now = target;
    },
    advanceTo(atMs) {
      if (atMs <= now) return fireUntil(now);
      fireUntil(atMs);
      now = atMs;
    },
    runUntilIdle(maxMs) {
      fireUntil(now + maxMs);
    },
    nextTimerAt() {
      dropCancelled();
      return heap.peek()?.at;
    },
    pendingTimers: () => live.size,
  };
}

const MAX_DELAY = 2 ** 31 - 1;

/** Wall-clock implementation for the server process. */
/**
 * Wall-clock time, optionally running `scale` times faster than real time from the moment
 * it is created (demos and browser tests: a 21 s VM boot takes 2.1 s at scale 10). At
 * scale 1 it is exactly Date.now().
 */
export function createRealClock(scale = 1): Clock {
  if (!(scale >= 1) || !Number.isFinite(scale)) throw new RangeError("clock scale must be a finite number >= 1");
  const origin = Date.now();
  const now = () => (scale === 1 ? Date.now() : origin + Math.floor((Date.now() - origin) * scale));
  let seq = 0;
  const handles = new Map<number, ReturnType<typeof setTimeout>>();
  const arm = (id: number, atMs: number, cb: () => void) => {
    const delay = Math.min(MAX_DELAY, Math.max(0, Math.ceil((atMs - now()) / scale)));
    handles.set(
      id,
      setTimeout(() => {
        if (now() < atMs) return arm(id, atMs, cb); // delays longer than 24.8 days, or rounding
        handles.delete(id);
        cb();
      }, delay),
    );
  };
  return {
    now,
    setTimer(atMs, cb) {
      const id = ++seq;
      arm(id, atMs, cb);
      return id;
    },
    clearTimer(h) {
      const t = handles.get(h);
      if (t !== undefined) clearTimeout(t);
      handles.delete(h);
    },
  };
}

export function isVirtualClock(c: Clock): c is VirtualClock {
  return (c as Partial<VirtualClock>).virtual === true;
}
