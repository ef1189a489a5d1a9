/**
 * The live stream over real HTTP: the production tRPC handler (server/http/trpc-handler.ts)
 * on a port, answering an EventSource-style GET as server-sent events that arrive one by one
 * (not buffered into one response), resuming with Last-Event-ID, and closing the engine's
 * watch when the client goes away. The shared test server (server/testing/http-server.ts)
 * buffers whole responses, so this one pipes the body as it is produced and, as Next does,
 * cancels it when the client disconnects.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensurePeerStampSecret } from "../auth/peer-stamp.mjs";
import { createVirtualClock, type VirtualClock } from "../engine";
import { createTrpcHandler } from "../http/trpc-handler";
import { createServices, type Services } from "../services";
import { openTestDatabase } from "../testing/database";
import { cookieFrom, testPassword } from "../testing/harness";
import { createContext } from "../trpc/context";
import { createCaller } from "../trpc/root";
import type { ChangeFeed } from "./feed";
import { livePortsFor, setLivePorts } from "./hub";

let services: Services;
let clock: VirtualClock;
let server: Server;
let url: string;
let cookie: string;
let close: () => Promise<void> = async () => {};
let openWatches = 0;

beforeAll(async () => {
  ensurePeerStampSecret();
  const database = await openTestDatabase();
  clock = createVirtualClock(Date.UTC(2026, 11, 2));
  services = createServices(
    database,
    { baseURL: "http://localhost:3000", secret: "test-secret-test-secret-test-secret-32" },
    { clock },
  );
  await services.start();
  const real = livePortsFor(services).feed;
  const counted: ChangeFeed = {
    ...real,
    subscribe(scope, from, onEvent) {
      openWatches++;
      const watch = real.subscribe(scope, from, onEvent);
      return {
        close() {
          openWatches--;
          watch.close();
        },
      };
    },
  };
  setLivePorts(services, { feed: counted });
  const handle = createTrpcHandler({ getServices: async () => services });
  server = createServer((req, res) => {
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    void handle(new Request(`http://127.0.0.1${req.url ?? "/"}`, { headers, signal: abort.signal })).then((r) => {
      res.writeHead(r.status, Object.fromEntries(r.headers));
      if (!r.body) return res.end();
      // As Next does: a client that goes away cancels the response's stream.
      const body = Readable.fromWeb(r.body as never);
      res.on("close", () => body.destroy());
      body.pipe(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  await services.auth.api.signUpEmail({ body: { email: "sse@live.test", password: testPassword, name: "sse" } });
  const signIn = await services.auth.api.signInEmail({
    body: { email: "sse@live.test", password: testPassword },
    returnHeaders: true,
  });
  cookie = cookieFrom(signIn.headers);
  await (await callerNow()).tenants.create({ name: "SSE", slug: "sse" });
  await (await callerNow()).deployments.create({
    name: "web",
    replicas: 1,
    template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
  });
  await services.engine.settle();
  close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await services.stop();
    await database.close();
  };
}, 120_000);
afterAll(async () => close());

const callerNow = async () => createCaller(await createContext(services, new Headers({ cookie })));

interface SseEvent {
  event?: string;
  id?: string;
  data?: string;
}

/** Opens the stream as an EventSource would, and reads its events one at a time. */
async function connect(lastEventId?: string) {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/trpc/live.changes`, {
    headers: { cookie, accept: "text/event-stream", ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
    signal: abort.signal,
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const next = async (): Promise<SseEvent> => {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2).replace(/^\n+/, "");
        const event: SseEvent = {};
        for (const line of block.split("\n")) {
          const at = line.indexOf(": ");
          if (at < 0) continue;
          const [field, value] = [line.slice(0, at), line.slice(at + 2)];
          if (field === "event" || field === "id" || field === "data") event[field] = value;
        }
        if (event.event === undefined && event.data === undefined) continue;
        return event;
      }
      const { done, value } = await reader.read();
      if (done) throw new Error("stream ended");
      buffer += decoder.decode(value, { stream: true });
    }
  };
  /** The next data event, parsed (superjson's envelope unwrapped). */
  const note = async () => {
    for (;;) {
      const e = await next();
      if (e.event === undefined && e.data) return { id: e.id, note: JSON.parse(e.data).json };
    }
  };
  return { res, next, note, abort: () => abort.abort() };
}

describe("live.changes over HTTP", () => {
  it("answers as server-sent events that arrive as they happen, tracked with the revision", async () => {
    const stream = await connect();
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get("content-type")).toBe("text/event-stream");
    expect(stream.res.headers.get("cache-control")).toContain("no-transform");
    expect((await stream.next()).event).toBe("connected");
    const first = await stream.note();
    expect(first.note).toMatchObject({ type: "heartbeat", at: clock.now() });
    expect(first.id).toMatch(/^\d+$/);
    // A change made after the stream opened reaches it while the response is still open.
    await (await callerNow()).deployments.scale({ name: "web", replicas: 2 });
    let change = await stream.note();
    while (change.note.kind !== "Deployment") change = await stream.note();
    expect(change.note).toMatchObject({ type: "MODIFIED", kind: "Deployment", name: "web" });
    expect(Number(change.id)).toBeGreaterThan(Number(first.id));
    stream.abort();
  });

  it("resumes from Last-Event-ID with what changed while the client was away, and frees the watch on leaving", async () => {
    const first = await connect();
    await first.next();
    const { id } = await first.note();
    first.abort();
    await expect.poll(() => openWatches).toBe(0);
    await (await callerNow()).deployments.scale({ name: "web", replicas: 3 });
    await services.engine.settle();
    const again = await connect(id);
    await again.next();
    let change = await again.note();
    while (change.note.kind !== "Deployment") change = await again.note();
    expect(change.note).toMatchObject({ kind: "Deployment", name: "web" });
    again.abort();
    await expect.poll(() => openWatches).toBe(0);
  });

  it("refuses a request without a session with the tRPC error as an event", async () => {
    const res = await fetch(`${url}/api/trpc/live.changes`, { headers: { accept: "text/event-stream" } });
    const text = await res.text();
    expect(text).toContain("event: serialized-error");
    expect(text).toContain("UNAUTHORIZED");
  });
});
