/**
 * Server streams for watching commands: the console's live notes (`live.changes`, for
 * `get -w`) and a pod's growing log (`pods.followLogs`, for `logs -f`), as callbacks until
 * `stop` aborts or the server ends the stream.
 * Guarantees:
 * - A dropped connection is not an end: the EventSource reconnects and tRPC resumes from the
 *   last event id (live notes: a `resync` note says when some were lost).
 * - A server without the stream (an older console: no such procedure, or an answer that is not
 *   an event stream) ends it with `unavailable` and why, so the caller can poll instead; a
 *   refusal (UNAUTHORIZED, FORBIDDEN, NOT_FOUND of the object), or an error thrown by `onItem`,
 *   ends it with `failed` and that error.
 * - `onItem` is called one item at a time, in order; it may be async (the next waits), so a
 *   slow reader is bounded by the server's queue, which sends a `resync` when it overflows.
 */
import { toCloudError, type CloudError, type LiveNote } from "../client/index";
import type { Session } from "./session";

export type StreamEnd =
  | { ended: "stopped" }
  | { ended: "complete" }
  | { ended: "unavailable"; reason: string }
  | { ended: "failed"; error: unknown };

interface Handlers<T> {
  onData(item: T): void;
  onError(error: unknown): void;
  onComplete(): void;
}

const REFUSALS = new Set(["UNAUTHORIZED", "FORBIDDEN", "TOO_MANY_REQUESTS", "NOT_FOUND"]);

/** tRPC answers a procedure it does not have with NOT_FOUND too: that one means "no such stream". */
const noSuchProcedure = (e: CloudError) => e.code === "NOT_FOUND" && /no procedure found/i.test(e.message);

export function followStream<T>(
  url: string,
  open: (handlers: Handlers<T>) => { unsubscribe(): void },
  onItem: (item: T) => void | Promise<void>,
  stop: AbortSignal,
): Promise<StreamEnd> {
  return new Promise<StreamEnd>((resolve) => {
    let chain = Promise.resolve();
    let done = false;
    let sub: { unsubscribe(): void } | undefined;
    const finish = (end: StreamEnd) => {
      if (done) return;
      done = true;
      stop.removeEventListener("abort", onStop);
      sub?.unsubscribe();
      // Items already taken are handled before the end is reported.
      void chain.then(() => resolve(end));
    };
    const onStop = () => finish({ ended: "stopped" });
    sub = open({
      onData(item) {
        chain = chain
          .then(async () => {
            if (!done) await onItem(item);
          })
          .catch((error: unknown) => finish({ ended: "failed", error }));
      },
      onError(error) {
        const e = toCloudError(error, url);
        if (REFUSALS.has(e.code) && !noSuchProcedure(e)) finish({ ended: "failed", error: e });
        else finish({ ended: "unavailable", reason: e.message });
      },
      onComplete() {
        finish({ ended: "complete" });
      },
    });
    if (done) sub.unsubscribe();
    if (stop.aborted) onStop();
    else stop.addEventListener("abort", onStop, { once: true });
  });
}

/** The caller's tenant's live notes (tracked notes arrive as { id, data }). */
export function followLive(
  s: Session,
  onNote: (note: LiveNote) => void | Promise<void>,
  stop: AbortSignal,
): Promise<StreamEnd> {
  return followStream<{ data: LiveNote }>(
    s.url,
    (h) => s.client.live.changes.subscribe(undefined, h),
    (envelope) => onNote(envelope.data),
    stop,
  );
}
