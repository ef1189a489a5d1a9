/**
 * `?watch=true`: a chunked stream of JSON lines `{"type","object"}` fed by the orchestrator's
 * watch.
 *
 * Guarantees:
 * - Without a resourceVersion (or "0") and with sendInitialEvents=true, the stream starts with
 *   one ADDED per matching object as of the current revision R, read in the same synchronous
 *   step as the watch from R is opened: nothing is missed or doubled. With sendInitialEvents
 *   an initial-events-end BOOKMARK at R follows the ADDED ones.
 * - With resourceVersion N: every change after N. Too old → one ERROR frame (410 Expired).
 * - BOOKMARKs (only metadata.resourceVersion) only when allowWatchBookmarks=true.
 * - Bounded memory: at most QUEUE_CAP frames wait for a slow client; past that the watch ends
 *   with an ERROR 410 frame (the client re-lists), as kube-apiserver drops slow watchers.
 *   The engine's watch closes when the client leaves (the stream is cancelled), when the
 *   timeout passes, or on such an error.
 */
import type { ConversionContext, EngineObject, Orchestrator, WatchEvent } from "../engine";
import { createBoundedQueue } from "../live/bounded-queue";
import { statusOf } from "./status";

export const QUEUE_CAP = 1000;
export const DEFAULT_TIMEOUT_SECONDS = 1800;

export interface WatchFrame {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: unknown;
}

export interface WatchStreamOptions {
  engine: Orchestrator;
  kind: EngineObject["kind"];
  tenantId?: string;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Resume after this revision; undefined: initial ADDED events first. */
  resourceVersion?: number;
  sendInitialEvents: boolean;
  allowBookmarks: boolean;
  timeoutSeconds: number;
  /** The objects an initial list holds (already filtered for the caller), read synchronously. */
  initial: () => EngineObject[];
  /** The caller still sees this object (the tenant filter of operators' watches is the engine's). */
  visible: (o: EngineObject) => boolean;
  /** How each object is sent (the Kubernetes object, or a one-row Table). */
  render: (o: EngineObject, ctx: ConversionContext) => unknown;
  bookmark: (resourceVersion: string, initialEnd: boolean) => unknown;
  conversion: () => ConversionContext;
  signal?: AbortSignal;
}

/** The stream of frames (newline-delimited JSON), ready to be a Response body. */
export function watchStream(o: WatchStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let closed = false;
  const queue = createBoundedQueue<WatchFrame | "end">(QUEUE_CAP, () => ({
    type: "ERROR",
    object: statusOf("Expired", "the watch fell too far behind; list again"),
  }));
  const frame = (f: WatchFrame) => queue.push(f);

  const startRv = o.resourceVersion ?? o.engine.currentRevision();
  if (o.resourceVersion === undefined) {
    const ctx = o.conversion();
    for (const obj of o.initial()) frame({ type: "ADDED", object: o.render(obj, ctx) });
    if (o.sendInitialEvents) frame({ type: "BOOKMARK", object: o.bookmark(String(startRv), true) });
  }
  const handle = o.engine.watch(
    o.kind,
    {
      ...(o.tenantId ? { tenantId: o.tenantId } : {}),
      ...(o.namespace ? { namespace: o.namespace } : {}),
      ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
      ...(o.fieldSelector ? { fieldSelector: o.fieldSelector } : {}),
      resourceVersion: startRv,
    },
    (e: WatchEvent) => {
      if (closed) return;
      if (e.type === "ERROR") {
        frame({ type: "ERROR", object: statusOf("Expired", e.message) });
        queue.push("end");
        return;
      }
      if (e.type === "BOOKMARK") {
        if (o.allowBookmarks) frame({ type: "BOOKMARK", object: o.bookmark(String(e.resourceVersion), false) });
        return;
      }
      if (!o.visible(e.object)) return;
      frame({ type: e.type, object: o.render(e.object, o.conversion()) });
    },
  );
  const close = () => {
    if (closed) return;
    closed = true;
    handle.close();
    queue.close();
    clearTimeout(timer);
    o.signal?.removeEventListener("abort", close);
  };
  const timer = setTimeout(() => queue.push("end"), o.timeoutSeconds * 1000);
  timer.unref?.();
  o.signal?.addEventListener("abort", close);

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await queue.take();
      if (next === undefined || next === "end") {
        close();
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(`${JSON.stringify(next)}\n`));
      if (next.type === "ERROR") {
        close();
        controller.close();
      }
    },
    cancel() {
      close();
    },
  });
}

/** `resourceVersion` of a watch: absent/""/"0" = from now with an initial list; else a revision. */
export function parseWatchRv(raw: string | null): number | undefined | "bad" {
  if (raw === null || raw === "" || raw === "0") return undefined;
  return /^\d{1,15}$/.test(raw) ? Number(raw) : "bad";
}
