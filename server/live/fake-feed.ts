/**
 * Test doubles for the live stream's ports: a change feed with a compactable log (replays
 * from a revision, Gone below the window, synchronous fan-out as the engine's watch does), a
 * manual ticker and a samples signal fired by hand.
 */
import {
  type ChangeFeed,
  type FeedEvent,
  type FeedObject,
  type FeedScope,
  inScope,
  type SamplesSignal,
  type Ticker,
} from "./feed";

interface Logged {
  tenantId: string;
  event: { type: "ADDED" | "MODIFIED" | "DELETED"; object: FeedObject; resourceVersion: number; at: number };
}

export interface FakeFeed extends ChangeFeed {
  /** One commit: its objects get the next revision; subscribers of their tenants hear at once. */
  commit(objects: (Omit<FeedObject, "resourceVersion"> & { type?: "ADDED" | "MODIFIED" | "DELETED" })[]): number;
  /** Forget the log at and below `revision`: resuming from there is Gone. */
  compact(revision: number): void;
  bookmark(): void;
  /** Watches open now. */
  readonly open: number;
  /** Every subscribe call: tenant and revision asked for. */
  readonly subscriptions: { scope: FeedScope; from: number }[];
  clock: { now: number };
}

export function createFakeFeed(startRevision = 100): FakeFeed {
  let revision = startRevision;
  let compactedTo = startRevision;
  const log: Logged[] = [];
  const watchers = new Set<{ scope: FeedScope; onEvent: (e: FeedEvent) => void }>();
  const subscriptions: { scope: FeedScope; from: number }[] = [];
  const clock = { now: Date.UTC(2026, 11, 2) };
  return {
    clock,
    subscriptions,
    get open() {
      return watchers.size;
    },
    subscribe(scope, from, onEvent) {
      subscriptions.push({ scope, from });
      if (from < compactedTo) {
        onEvent({ type: "ERROR", code: 410, reason: "Expired", message: `revision ${from} is compacted` });
        return { close() {} };
      }
      for (const l of log) if (inScope(scope, l.tenantId) && l.event.resourceVersion > from) onEvent(l.event);
      const w = { scope, onEvent };
      watchers.add(w);
      return { close: () => void watchers.delete(w) };
    },
    revision: () => revision,
    now: () => clock.now,
    rate: () => 10,
    commit(objects) {
      revision++;
      for (const { type = "MODIFIED", ...o } of objects) {
        const event = { type, object: { ...o, resourceVersion: revision }, resourceVersion: revision, at: clock.now };
        log.push({ tenantId: o.tenantId, event });
        for (const w of [...watchers]) if (inScope(w.scope, o.tenantId)) w.onEvent(event);
      }
      return revision;
    },
    compact(to) {
      compactedTo = to;
      for (let i = log.length - 1; i >= 0; i--) if ((log[i]?.event.resourceVersion ?? 0) <= to) log.splice(i, 1);
    },
    bookmark() {
      for (const w of [...watchers]) w.onEvent({ type: "BOOKMARK", resourceVersion: revision, at: clock.now });
    },
  };
}

export interface ManualTicker extends Ticker {
  tick(): void;
  readonly running: number;
}

export function createManualTicker(): ManualTicker {
  const fns = new Set<() => void>();
  return {
    every(_ms, fn) {
      fns.add(fn);
      return () => void fns.delete(fn);
    },
    tick() {
      for (const fn of [...fns]) fn();
    },
    get running() {
      return fns.size;
    },
  };
}

export interface ManualSamples extends SamplesSignal {
  land(tenantIds: string[], at: number): void;
  readonly listeners: number;
}

export function createManualSamples(): ManualSamples {
  const listeners = new Set<(t: ReadonlySet<string>, at: number) => void>();
  return {
    onSamples(l) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    land(tenantIds, at) {
      const set = new Set(tenantIds);
      for (const l of [...listeners]) l(set, at);
    },
    get listeners() {
      return listeners.size;
    },
  };
}
