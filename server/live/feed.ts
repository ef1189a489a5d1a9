/**
 * The ports the live stream reads: a tenant's change feed (the engine's watch), the engine
 * clock, monitoring's "samples landed" signal and a wall-time ticker for heartbeats. Each is
 * an interface so that the stream is tested with fakes and knows nothing of the engine's
 * internals; server/live/engine-feed.ts adapts the engine's watch to it.
 */

/** What a feed says about an object: enough to name it, never its contents. */
export interface FeedObject {
  kind: string;
  id: string;
  tenantId: string;
  name?: string;
  namespace?: string;
  resourceVersion: number;
}

/**
 * A watch event as the engine's watch delivers it (brief, contract 4): changes in commit
 * order, BOOKMARKs that only move the revision on, or Gone when the asked-for revision has
 * left the change log's window.
 */
export type FeedEvent =
  | {
      type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";
      object?: FeedObject;
      resourceVersion: number;
      /** Engine time of the commit, epoch ms. */
      at: number;
    }
  | { type: "ERROR"; code: 410; reason: "Expired"; message: string };

export interface FeedSubscription {
  close(): void;
}

/** Whose changes: one tenant's (the console), or every tenant's (the operators' dashboard). Never implied. */
export type FeedScope = { tenantId: string } | { cluster: true };

export const inScope = (scope: FeedScope, tenantId: string): boolean =>
  "cluster" in scope || scope.tenantId === tenantId;

export interface ChangeFeed {
  /**
   * Every change in the scope committed after `fromRevision`, in commit order, delivered
   * synchronously from the commit fan-out (so `onEvent` must not block: the stream only
   * queues). Until `close()`.
   */
  subscribe(scope: FeedScope, fromRevision: number, onEvent: (event: FeedEvent) => void): FeedSubscription;
  /** The revision of the last commit: where a fresh subscriber starts. */
  revision(): number;
  /** Engine time, epoch ms. */
  now(): number;
  /** Engine milliseconds per wall millisecond (1 unless ENGINE_TIME_SCALE speeds the clock up). */
  rate(): number;
}

/** Monitoring's signal that a round of samples was written, with the tenants it held. */
export interface SamplesSignal {
  onSamples(listener: (tenantIds: ReadonlySet<string>, at: number) => void): () => void;
}

/** Wall-time repetition (heartbeats); tests pass a manual one. */
export interface Ticker {
  every(ms: number, fn: () => void): () => void;
}

export const wallTicker: Ticker = {
  every(ms, fn) {
    const handle = setInterval(fn, ms);
    handle.unref?.();
    return () => clearInterval(handle);
  },
};
