"use client";
/**
 * The engine's clock in the browser, from the live stream instead of a polled query: every
 * note carries the engine time it was sent at, heartbeats also the rate the engine clock runs
 * at against the wall (ENGINE_TIME_SCALE), and between notes the clock runs on locally at that
 * rate. It is not the wall clock: it may run faster and it resumes where it stopped after a
 * restart, so wherever its readings are shown they are labelled (EngineClock, "engine time").
 * Readers re-render on their own cadence (`tickMs`), not on every note.
 */
import { createContext, type ReactNode, useContext, useState, useSyncExternalStore } from "react";

export interface EngineTimeStore {
  /** Set from a note: the engine time it carried, and (heartbeats) the clock's rate. */
  set(at: number, rate?: number): void;
  /** Engine time now, extrapolated from the last note; undefined before the first one. */
  now(): number | undefined;
  subscribe(listener: () => void): () => void;
}

export function createEngineTimeStore(wallNow: () => number = () => performance.now()): EngineTimeStore {
  let anchor: { at: number; wall: number } | undefined;
  let rate = 1;
  const listeners = new Set<() => void>();
  return {
    set(at, newRate) {
      if (newRate !== undefined && Number.isFinite(newRate) && newRate > 0) rate = newRate;
      // Never backwards: a change note's time may be older than the clock already shown.
      const current = this.now();
      if (current !== undefined && at < current) return;
      const first = anchor === undefined;
      anchor = { at, wall: wallNow() };
      if (first) for (const l of listeners) l();
    },
    now() {
      return anchor ? Math.round(anchor.at + (wallNow() - anchor.wall) * rate) : undefined;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

const EngineTimeContext = createContext<EngineTimeStore | null>(null);

export function EngineTimeProvider({ store, children }: { store: EngineTimeStore; children: ReactNode }) {
  return <EngineTimeContext.Provider value={store}>{children}</EngineTimeContext.Provider>;
}

/** The provider's store, or one of its own when a page renders outside the console shell (tests). */
export function useEngineTimeStore(): EngineTimeStore {
  const provided = useContext(EngineTimeContext);
  const [own] = useState(createEngineTimeStore);
  return provided ?? own;
}

/**
 * Engine time, re-read every `tickMs` of wall time (and once the first note arrives). The value
 * is stable between ticks, so a render in between reads the same time.
 */
export function useEngineTime(tickMs = 1000): number | undefined {
  const store = useEngineTimeStore();
  const subscribe = (onChange: () => void) => {
    const unsubscribe = store.subscribe(onChange);
    const timer = setInterval(onChange, tickMs);
    return () => {
      unsubscribe();
      clearInterval(timer);
    };
  };
  return useSyncExternalStore(
    subscribe,
    () => quantized(store, tickMs),
    () => undefined,
  );
}

/** The store's time, held for `tickMs` of wall time so that reads between ticks agree. */
function quantized(store: EngineTimeStore, tickMs: number): number | undefined {
  const now = store.now();
  if (now === undefined) return undefined;
  const cached = cache.get(store);
  if (cached && performance.now() - cached.readAt < tickMs && cached.value <= now) return cached.value;
  cache.set(store, { value: now, readAt: performance.now() });
  return now;
}

const cache = new WeakMap<EngineTimeStore, { value: number; readAt: number }>();
