/**
 * One subscriber's live stream: a tenant's change feed turned into small notes, as an async
 * generator for a tRPC subscription (server/trpc/routers/live.ts).
 * Guarantees:
 * - Only the scope's objects: the feed is asked for one tenant (or, for operators, the cluster),
 *   and every event is checked again here, so a feed bug cannot show one tenant another's names.
 * - Bounded memory: notes wait in a queue of at most `queueCap`; a reader that falls that far
 *   behind (or stops reading) loses the backlog and gets one `resync` note instead.
 * - Resumable: every note is tracked with the revision the client has seen up to (the SSE id);
 *   a client resuming with that id gets every change after it. At least once, not exactly once:
 *   the last commit before the cut may come again, which costs a refetch and loses nothing.
 *   A revision older than the change log's window gets a `resync` (`expired`) and the stream
 *   goes on from now.
 * - A heartbeat every `heartbeatMs` of wall time carries the engine time (and keeps proxies from
 *   closing an idle stream); every `recheckEveryBeats` beats, `stillAllowed` is asked, and the
 *   stream ends when it says no (a removed member, a signed-out session).
 * - Ending (the request aborted, the client gone, the generator returned) closes the feed's
 *   watch, the ticker and the samples listener: nothing outlives the request.
 */
import { type TrackedEnvelope, tracked } from "@trpc/server";
import { createBoundedQueue } from "./bounded-queue";
import { type ChangeFeed, type FeedEvent, type FeedScope, inScope, type SamplesSignal, type Ticker } from "./feed";
import type { LiveNote } from "./notes";

export interface LiveStreamOptions {
  feed: ChangeFeed;
  scope: FeedScope;
  /** The SSE id the client last received (tRPC passes the EventSource's lastEventId). */
  lastEventId?: string | null;
  signal?: AbortSignal;
  samples?: SamplesSignal;
  ticker: Ticker;
  heartbeatMs?: number;
  queueCap?: number;
  recheckEveryBeats?: number;
  stillAllowed?: () => Promise<boolean>;
}

export const liveDefaults = { heartbeatMs: 5_000, queueCap: 1_000, recheckEveryBeats: 6 } as const;

/** A queued note; heartbeats are stamped with the engine time when sent, not when queued. */
type Entry = { note: LiveNote; revision?: number } | { heartbeat: true; recheck: boolean };

/** The revision to resume after, from an SSE id this stream wrote (a decimal revision), or undefined. */
export function resumeRevision(lastEventId: string | null | undefined): number | undefined {
  if (!lastEventId || !/^\d{1,15}$/.test(lastEventId)) return undefined;
  // Notes of one commit share its revision and the cut may fall among them: resume before it.
  return Math.max(0, Number(lastEventId) - 1);
}

export async function* liveStream(o: LiveStreamOptions): AsyncGenerator<TrackedEnvelope<LiveNote>, void> {
  const { feed, scope } = o;
  const heartbeatMs = o.heartbeatMs ?? liveDefaults.heartbeatMs;
  const recheckEvery = o.recheckEveryBeats ?? liveDefaults.recheckEveryBeats;
  const queue = createBoundedQueue<Entry>(o.queueCap ?? liveDefaults.queueCap, () => ({
    note: { type: "resync", reason: "overflow", at: feed.now() },
  }));

  const asked = resumeRevision(o.lastEventId);
  // An id from the future (another server's, or from before a restore) cannot be resumed: start from now, resync.
  const resumeFrom = asked !== undefined && asked > feed.revision() ? undefined : asked;
  /** The revision the client has seen everything up to: the SSE id of what we send. */
  let seen = resumeFrom ?? feed.revision();
  let watch = feed.subscribe(scope, seen, onEvent);
  if (asked !== undefined && resumeFrom === undefined)
    queue.push({ note: { type: "resync", reason: "expired", at: feed.now() } });

  function onEvent(event: FeedEvent): void {
    if (queue.closed) return;
    if (event.type === "ERROR") {
      queue.push({ note: { type: "resync", reason: "expired", at: feed.now() } });
      // Reopened from now once the feed has returned from this callback. A feed that cannot be
      // reopened (the engine stopped here: this process lost its lease) ends the stream, so the
      // browser reconnects and finds the process that runs the engine now.
      queueMicrotask(() => {
        if (queue.closed) return;
        watch.close();
        try {
          seen = feed.revision();
          watch = feed.subscribe(scope, seen, onEvent);
        } catch {
          queue.close();
        }
      });
      return;
    }
    if (event.type === "BOOKMARK") {
      // Nothing of ours up to here: with none of our changes still queued, the client has seen it all.
      if (!queue.some((e) => "revision" in e && e.revision !== undefined)) seen = Math.max(seen, event.resourceVersion);
      return;
    }
    const object = event.object;
    if (!object || !inScope(scope, object.tenantId)) return;
    queue.push({
      revision: event.resourceVersion,
      note: {
        type: event.type,
        kind: object.kind,
        name: object.name ?? object.id,
        ...(object.namespace === undefined ? {} : { namespace: object.namespace }),
        resourceVersion: String(event.resourceVersion),
        at: event.at,
      },
    });
  }

  let beats = 0;
  const stopTicker = o.ticker.every(heartbeatMs, () => {
    beats++;
    const recheck = o.stillAllowed !== undefined && beats % recheckEvery === 0;
    if (!recheck && queue.some((e) => "heartbeat" in e)) return;
    queue.push({ heartbeat: true, recheck });
  });
  const stopSamples = o.samples?.onSamples((tenants, at) => {
    if (
      ("tenantId" in scope && !tenants.has(scope.tenantId)) ||
      queue.some((e) => "note" in e && e.note.type === "metrics")
    )
      return;
    queue.push({ note: { type: "metrics", at } });
  });
  const onAbort = () => queue.close();
  o.signal?.addEventListener("abort", onAbort, { once: true });
  if (o.signal?.aborted) queue.close();

  try {
    // The first note says where the client stands: the engine time, and its resume point.
    yield tracked(String(seen), { type: "heartbeat", at: feed.now(), rate: feed.rate() });
    for (;;) {
      const entry = await queue.take();
      if (entry === undefined) return;
      if ("heartbeat" in entry) {
        if (entry.recheck && o.stillAllowed && !(await o.stillAllowed())) return;
        yield tracked(String(seen), { type: "heartbeat", at: feed.now(), rate: feed.rate() });
        continue;
      }
      if (entry.revision !== undefined) seen = Math.max(seen, entry.revision);
      yield tracked(String(seen), entry.note);
    }
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
    queue.close();
    watch.close();
    stopTicker();
    stopSamples?.();
  }
}
