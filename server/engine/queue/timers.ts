/**
 * Timer set over the Clock that knows which timers are "work" (something will change
 * when they fire: a container start, a back-off retry, a grace period) and which are
 * "background" (heartbeats, periodic resync). `settle()` runs until no work timers
 * remain; background timers fire on the way but never keep the engine busy.
 */
import type { Clock, TimerHandle } from "./clock";

export interface TimerSet {
  /** Run `cb` after `delayMs` on the engine clock. */
  after(delayMs: number, cb: () => void, opts?: { background?: boolean }): TimerHandle;
  at(atMs: number, cb: () => void, opts?: { background?: boolean }): TimerHandle;
  cancel(handle: TimerHandle): void;
  pendingWork(): number;
  cancelAll(): void;
}

export function createTimerSet(clock: Clock, onFire?: () => void): TimerSet {
  const live = new Map<TimerHandle, boolean>(); // handle -> background?
  let work = 0;
  const set: TimerSet = {
    after: (delayMs, cb, opts) => set.at(clock.now() + Math.max(0, Math.ceil(delayMs)), cb, opts),
    at(atMs, cb, opts) {
      const background = opts?.background === true;
      const h = clock.setTimer(atMs, () => {
        if (!live.has(h)) return;
        live.delete(h);
        if (!background) work--;
        cb();
        onFire?.();
      });
      live.set(h, background);
      if (!background) work++;
      return h;
    },
    cancel(h) {
      const bg = live.get(h);
      if (bg === undefined) return;
      live.delete(h);
      if (!bg) work--;
      clock.clearTimer(h);
    },
    pendingWork: () => work,
    cancelAll() {
      for (const h of [...live.keys()]) set.cancel(h);
    },
  };
  return set;
}
