/**
 * Watching over the live stream: `cloudctl get -w` and `logs -f` (run in this process through
 * cli/main.ts's `run`, with an Io whose `stop` stands for Ctrl-C) and the typed client's
 * subscriptions, against the production tRPC handler on a port that streams server-sent events
 * as they are produced (server/testing/http-server.ts buffers whole responses, so it cannot).
 * The engine runs on a virtual clock: changes are made and settled, never waited out.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensurePeerStampSecret, peerAddressHeader, peerStamp } from "../server/auth/peer-stamp.mjs";
import { createVirtualClock } from "../server/engine";
import { createTrpcHandler } from "../server/http/trpc-handler";
import type { ChangeFeed } from "../server/live/feed";
import { livePortsFor, setLivePorts } from "../server/live/hub";
import { createServices, type Services } from "../server/services";
import { openTestDatabase } from "../server/testing/database";
import { cookieFrom, testPassword } from "../server/testing/harness";
import { createContext } from "../server/trpc/context";
import { createCaller } from "../server/trpc/root";
import { createCloudClient, type LiveNote } from "../client/index";
import { run } from "./main";

let services: Services;
let server: Server;
let url: string;
let cookie: string;
let token: string;
let openWatches = 0;
/** Paths of event streams that have sent data and are still open. */
/** The tRPC streams this server is sending now (a response that has sent data and is not closed), by path. */
const streaming = new Map<object, string>();
const streamingPaths = () => [...streaming.values()];
/** Answers the subscriptions as a console without them would (a 404 JSON error). */
let liveGone = false;
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  ensurePeerStampSecret();
  const database = await openTestDatabase();
  const clock = createVirtualClock(Date.UTC(2026, 11, 2));
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
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      headers.set(peerAddressHeader, peerStamp(req.socket.remoteAddress ?? ""));
      if (liveGone && /^\/api\/trpc\/(live\.|pods\.followLogs)/.test(req.url ?? "")) {
        res.writeHead(404, { "content-type": "application/json" });
        return res.end(JSON.stringify({ error: { message: "No procedure found", code: -32004 } }));
      }
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const request = new Request(`http://127.0.0.1${req.url ?? "/"}`, {
        method: req.method,
        headers,
        body,
        signal: abort.signal,
      });
      void handle(request).then((r) => {
        res.writeHead(r.status, Object.fromEntries(r.headers));
        if (!r.body) return res.end();
        // As Next does: a client that goes away cancels the response's stream.
        const stream = Readable.fromWeb(r.body as never);
        const path = new URL(req.url ?? "/", "http://x").pathname;
        stream.on("data", (chunk: Buffer) => {
          if (!res.closed && /(^|\n)data: /.test(chunk.toString())) streaming.set(res, path);
        });
        res.on("close", () => {
          streaming.delete(res);
          stream.destroy();
        });
        stream.pipe(res);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  await services.auth.api.signUpEmail({ body: { email: "watch@live.test", password: testPassword, name: "w" } });
  const signIn = await services.auth.api.signInEmail({
    body: { email: "watch@live.test", password: testPassword },
    returnHeaders: true,
  });
  cookie = cookieFrom(signIn.headers);
  await (await caller()).tenants.create({ name: "Watch", slug: "watch" });
  await (await caller()).nodePools.update({ name: "default", minSize: 1 });
  token = (await (await caller()).tokens.create({ name: "watch-script" })).secret;
  await (await caller()).deployments.create({
    name: "web",
    replicas: 1,
    template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
  });
  await services.engine.settle();
  process.env.CLOUDCTL_URL = url;
  process.env.CLOUDCTL_TOKEN = token;
  close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await services.stop();
    await database.close();
  };
}, 120_000);
afterAll(async () => {
  delete process.env.CLOUDCTL_URL;
  delete process.env.CLOUDCTL_TOKEN;
  await close();
});
afterEach(() => {
  liveGone = false;
});

const caller = async () => createCaller(await createContext(services, new Headers({ cookie })));

/** Runs a cloudctl command in this process; `stop()` is its Ctrl-C. */
function start(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  const code = run(argv, {
    out: (t) => void out.push(...t.split("\n")),
    err: (t) => void err.push(t),
    readStdin: async () => "",
    stop: stop.signal,
  });
  return { out, err, code, stop: () => stop.abort() };
}

describe("cloudctl get -w over the live stream", () => {
  it("prints the list, then each object as it changes or goes, and frees the watch on Ctrl-C", async () => {
    const w = start(["get", "deployments", "-w"]);
    await expect.poll(() => w.out.some((l) => l.startsWith("web "))).toBe(true);
    await expect.poll(() => openWatches).toBe(1);
    await (await caller()).deployments.create({
      name: "api",
      replicas: 1,
      template: { spec: { containers: [{ name: "api", image: "nginx:1.27" }] } },
    });
    await services.engine.settle();
    await expect.poll(() => w.out.some((l) => l.startsWith("api "))).toBe(true);
    await (await caller()).deployments.delete({ name: "api" });
    await services.engine.settle();
    await expect.poll(() => w.out).toContain("deployment/api deleted");
    w.stop();
    expect(await w.code).toBe(0);
    await expect.poll(() => openWatches).toBe(0);
    expect(w.err).toEqual([]);
  });

  it("-o json prints the Kubernetes object, then the whole object again each time it changes", async () => {
    const objects: { kind: string; spec: { replicas: number }; metadata: { resourceVersion: string } }[] = [];
    const stop = new AbortController();
    const code = run(["get", "deployment", "web", "-w", "-o", "json"], {
      out: (t) => void objects.push(JSON.parse(t)),
      err: (t) => void objects.push(JSON.parse(t)),
      readStdin: async () => "",
      stop: stop.signal,
    });
    await expect.poll(() => objects.length).toBe(1);
    expect(objects[0]).toMatchObject({ kind: "Deployment", spec: { replicas: 1 } });
    await expect.poll(() => openWatches).toBe(1);
    await (await caller()).deployments.scale({ name: "web", replicas: 2 });
    await services.engine.settle();
    await expect.poll(() => objects.some((o) => o.spec.replicas === 2)).toBe(true);
    stop.abort();
    expect(await code).toBe(0);
    // Each printed object is a new resourceVersion of it, never the same one twice.
    const versions = objects.map((o) => o.metadata.resourceVersion);
    expect(new Set(versions).size).toBe(versions.length);
    await (await caller()).deployments.scale({ name: "web", replicas: 1 });
    await services.engine.settle();
    await expect.poll(() => openWatches).toBe(0);
  });

  it("polls, and says so, when the server has no live stream", async () => {
    liveGone = true;
    const w = start(["get", "deployments", "-w", "--interval", "0.1"]);
    await expect.poll(() => w.err.join("\n")).toContain("No live stream from the server");
    await (await caller()).deployments.scale({ name: "web", replicas: 2 });
    await services.engine.settle();
    await expect.poll(() => w.out.filter((l) => l.startsWith("web ")).length).toBeGreaterThan(1);
    w.stop();
    expect(await w.code).toBe(0);
    await (await caller()).deployments.scale({ name: "web", replicas: 1 });
    await services.engine.settle();
  });
});

describe("cloudctl logs -f over pods.followLogs", () => {
  it("prints the log, then the lines the pod's changes write, and ends when the pod is gone", async () => {
    const pod = (await (await caller()).pods.list({ deployment: "web" })).items[0];
    expect(pod).toBeDefined();
    const name = pod?.name ?? "";
    const f = start(["logs", name, "-f"]);
    await expect.poll(() => f.out.some((l) => l.includes("starting nginx:1.27"))).toBe(true);
    // The stream's first data (the whole log) is sent after the server's watch of the pod opened.
    await expect.poll(() => streamingPaths().includes("/api/trpc/pods.followLogs")).toBe(true);
    await (await caller()).pods.delete({ name, gracePeriodSeconds: 5 });
    await services.engine.settle();
    // The command ends by itself once the pod is deleted; SIGTERM was logged before that.
    expect(await f.code).toBe(0);
    expect(f.out.filter((l) => l.includes("received SIGTERM"))).toHaveLength(1);
    expect(f.out.filter((l) => l.includes("starting nginx:1.27"))).toHaveLength(1);
    await expect.poll(() => streamingPaths()).toEqual([]);
  });

  it("polls, and says so, when the server cannot follow logs, and still ends with the pod", async () => {
    liveGone = true;
    await services.engine.settle();
    const name = (await (await caller()).pods.list({ deployment: "web" })).items[0]?.name ?? "";
    const f = start(["logs", name, "-f"]);
    await expect.poll(() => f.err.join("\n")).toContain("No live stream from the server");
    await (await caller()).pods.delete({ name, gracePeriodSeconds: 0 });
    await services.engine.settle();
    expect(await f.code).toBe(0);
  });
});

describe("typed client subscriptions", () => {
  it("reaches live.changes with the bearer token over SSE, and refuses a bad token", async () => {
    const client = createCloudClient({ url, token });
    const first = await new Promise<LiveNote>((resolve, reject) => {
      const sub = client.live.changes.subscribe(undefined, {
        onData: (e) => {
          sub.unsubscribe();
          resolve(e.data);
        },
        onError: reject,
      });
    });
    expect(first.type).toBe("heartbeat");
    const bad = createCloudClient({ url, token: "tc_not-a-token" });
    const error = await new Promise<unknown>((resolve) => {
      bad.live.changes.subscribe(undefined, { onError: resolve });
    });
    expect(String(error)).toMatch(/UNAUTHORIZED|token/i);
    await expect.poll(() => openWatches).toBe(0);
  });
});
