/**
 * The live stream's change feed over the engine's watch (server/engine/watch, brief contract 4):
 * one `watch("*", { tenantId, resourceVersion })` per subscriber, every kind of one tenant (or,
 * for the operators' dashboard, of every tenant: the watch's cluster-wide form).
 * The engine's events already have the feed's shape; this only narrows them to what a note
 * needs, and measures how fast the engine clock runs against the wall (for the heartbeat).
 */
import type { Clock } from "../engine";
import type { ChangeFeed, FeedEvent, FeedObject } from "./feed";

/** What this adapter needs of the engine: the watch and the revision a fresh watcher starts at. */
export interface WatchPort {
  watch(
    kind: "*",
    opts: { tenantId?: string; resourceVersion: number },
    onEvent: (event: EngineWatchEvent) => void,
  ): { close(): void };
  currentRevision(): number;
}

type EngineWatchEvent =
  | { type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK"; object?: FeedObject; resourceVersion: number; at: number }
  | { type: "ERROR"; code: 410; reason: "Expired"; message: string };

export function engineFeed(engine: WatchPort, clock: Clock, wallNow: () => number = Date.now): ChangeFeed {
  const rate = createRateMeter(clock, wallNow);
  return {
    subscribe(scope, fromRevision, onEvent) {
      const tenant = "cluster" in scope ? {} : { tenantId: scope.tenantId };
      return engine.watch("*", { ...tenant, resourceVersion: fromRevision }, (event) => onEvent(toFeedEvent(event)));
    },
    revision: () => engine.currentRevision(),
    now: () => clock.now(),
    rate,
  };
}

function toFeedEvent(event: EngineWatchEvent): FeedEvent {
  if (event.type === "ERROR") return event;
  const { type, object, resourceVersion, at } = event;
  if (!object) return { type, resourceVersion, at };
  const { kind, id, tenantId, name, namespace } = object;
  return { type, resourceVersion, at, object: { kind, id, tenantId, name, namespace, resourceVersion } };
}

/**
 * Engine ms per wall ms since the meter was made: 1 for a real clock, ENGINE_TIME_SCALE for a
 * sped-up one. Reads 1 until a second of wall time has passed (too short to measure).
 */
export function createRateMeter(clock: Clock, wallNow: () => number = Date.now): () => number {
  const engine0 = clock.now();
  const wall0 = wallNow();
  return () => {
    const wall = wallNow() - wall0;
    if (wall < 1_000) return 1;
    return Math.round(((clock.now() - engine0) / wall) * 1000) / 1000;
  };
}
