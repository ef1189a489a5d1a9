/** watchStream's bounds: a reader that falls behind gets one 410 ERROR and the end; leaving closes the engine's watch. */
import { describe, expect, it } from "vitest";
import type { EngineObject, Orchestrator, WatchEvent } from "../engine";
import { QUEUE_CAP, watchStream } from "./watch";

function fakeEngine() {
  let listener: ((e: WatchEvent) => void) | undefined;
  let closed = 0;
  const engine = {
    currentRevision: () => 7,
    watch: (_k: unknown, _o: unknown, cb: (e: WatchEvent) => void) => {
      listener = cb;
      return { close: () => void closed++ };
    },
  } as unknown as Orchestrator;
  return { engine, emit: (e: WatchEvent) => listener?.(e), closed: () => closed };
}

const pod = (n: number) =>
  ({ kind: "Pod", name: `p${n}`, tenantId: "t", resourceVersion: n }) as unknown as EngineObject;

function open(engine: Orchestrator, signal?: AbortSignal) {
  return watchStream({
    engine,
    kind: "Pod",
    tenantId: "t",
    resourceVersion: 7,
    sendInitialEvents: false,
    allowBookmarks: true,
    timeoutSeconds: 60,
    initial: () => [],
    visible: () => true,
    render: (o) => ({ name: o.name }),
    bookmark: (rv) => ({ metadata: { resourceVersion: rv } }),
    conversion: () => ({ get: () => undefined }),
    signal,
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ type: string; object: unknown }[]> {
  const text = await new Response(stream).text();
  return text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

describe("watchStream", () => {
  it("ends a reader that fell more than QUEUE_CAP frames behind with one 410 ERROR", async () => {
    const f = fakeEngine();
    const stream = open(f.engine);
    for (let i = 0; i < QUEUE_CAP + 5; i++) f.emit({ type: "MODIFIED", object: pod(i), resourceVersion: 8 + i, at: 0 });
    const frames = await readAll(stream);
    expect(frames.length).toBeLessThanOrEqual(6);
    expect(frames[0]).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
    expect(frames.at(-1)?.type).toBe("ERROR");
    expect(f.closed()).toBe(1);
  });

  it("sends bookmarks with only a resourceVersion, and turns an engine 410 into an ERROR frame", async () => {
    const f = fakeEngine();
    const stream = open(f.engine);
    f.emit({ type: "BOOKMARK", resourceVersion: 9, at: 0 });
    f.emit({ type: "ERROR", code: 410, reason: "Expired", message: "too old resource version: 1 (9)" });
    const frames = await readAll(stream);
    expect(frames).toEqual([
      { type: "BOOKMARK", object: { metadata: { resourceVersion: "9" } } },
      { type: "ERROR", object: expect.objectContaining({ code: 410, message: "too old resource version: 1 (9)" }) },
    ]);
    expect(f.closed()).toBe(1);
  });

  it("closes the engine's watch when the client leaves", async () => {
    const f = fakeEngine();
    const abort = new AbortController();
    const stream = open(f.engine, abort.signal);
    const reader = stream.getReader();
    f.emit({ type: "ADDED", object: pod(1), resourceVersion: 8, at: 0 });
    expect((await reader.read()).done).toBe(false);
    abort.abort();
    expect(f.closed()).toBe(1);
    expect((await reader.read()).done).toBe(true);
  });
});
