/**
 * The Table cache and response compression through the real handler: a list answered from the
 * cache is the same bytes as one rendered afresh, and any change that could alter it misses;
 * over the real HTTPS listener, a large answer is gzipped only for a client that asks, never a
 * small one or a watch.
 */
import { request as httpsRequest } from "node:https";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GZIP_MIN_BYTES } from "./negotiate";
import { tableCache } from "./table-cache";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";

let f: KubeFixture;
let ns: string;
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
const REPLICAS = 240;

function call(token: string, path: string, init: RequestInit & { accept?: string } = {}) {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  if (init.accept) headers.set("accept", init.accept);
  return f.handler(new Request(`https://kube.test${path}`, { ...init, headers }));
}

const podsPath = () => `/api/v1/namespaces/${ns}/pods`;
const table = async (token: string, query = "") =>
  Buffer.from(await (await call(token, `${podsPath()}${query}`, { accept: TABLE })).arrayBuffer());
const rowsOf = (bytes: Buffer) => (JSON.parse(bytes.toString("utf8")) as { rows: unknown[] }).rows.length;

/** What one call did to the cache. */
async function counted<T>(fn: () => Promise<T>): Promise<{ value: T; hits: number; misses: number }> {
  const before = tableCache.stats();
  const value = await fn();
  const after = tableCache.stats();
  return { value, hits: after.hits - before.hits, misses: after.misses - before.misses };
}

beforeAll(async () => {
  f = await startKubeFixture({ reads: 10_000 });
  ns = f.tenants.a.namespace;
  await f.h.services.engine.setQuota(f.tenants.a.id, { cpu: "256", memory: "512Gi", pods: 1_000, nodes: 40 });
  await (await f.ownerA.caller()).deployments.scale({ name: "web", replicas: REPLICAS });
  await f.h.services.engine.settle();
}, 180_000);
afterAll(async () => {
  await f?.close();
});

describe("the Table cache, through the handler", () => {
  it("serves the same bytes as a fresh rendering, to the tenant's callers", async () => {
    const first = await table(f.tokens.a);
    expect(rowsOf(first)).toBeGreaterThanOrEqual(REPLICAS);
    const again = await counted(() => table(f.tokens.a));
    expect(again).toMatchObject({ hits: 1, misses: 0 });
    expect(again.value.equals(first)).toBe(true);
    // Another token of the same tenant sees the same objects: the same entry.
    expect(await counted(() => table(f.tokens.aViewer))).toMatchObject({ hits: 1, misses: 0 });
    tableCache.clear();
    expect((await table(f.tokens.a)).equals(first)).toBe(true);
  });

  it("misses for another caller scope or another selector", async () => {
    await table(f.tokens.a);
    expect(await counted(() => table(f.tokens.operator))).toMatchObject({ hits: 0, misses: 1 });
    expect(await counted(() => table(f.tokens.a, "?labelSelector=app%3Dweb"))).toMatchObject({ hits: 0, misses: 1 });
    expect(await counted(() => table(f.tokens.a))).toMatchObject({ hits: 1, misses: 0 });
  });

  it("misses when a pod is added, one listed pod changes, a pod is deleted, or the clock's second moves", async () => {
    const engine = f.h.services.engine;
    const scale = async (replicas: number) => {
      await (await f.ownerA.caller()).deployments.scale({ name: "web", replicas });
      await engine.whenIdle();
    };
    type Rows = { rows: { cells: string[] }[] };
    const terminating = (bytes: Buffer) =>
      (JSON.parse(bytes.toString("utf8")) as Rows).rows
        .filter((r) => r.cells[2] === "Terminating")
        .map((r) => r.cells[0]);
    const before = await table(f.tokens.a);
    const second = Math.floor(f.h.clock.now() / 1000);

    await scale(REPLICAS + 1);
    const added = await counted(() => table(f.tokens.a));
    expect(added).toMatchObject({ hits: 0, misses: 1 });
    expect(rowsOf(added.value)).toBe(rowsOf(before) + 1);
    expect(await counted(() => table(f.tokens.a))).toMatchObject({ hits: 1, misses: 0 });

    // Scaling down terminates one pod gracefully: it is still listed, as Terminating.
    await scale(REPLICAS);
    const changed = await counted(() => table(f.tokens.a));
    expect(changed).toMatchObject({ hits: 0, misses: 1 });
    expect(rowsOf(changed.value)).toBe(rowsOf(added.value));
    expect(terminating(changed.value)).toHaveLength(1);

    // Deleted at once (its replica set makes another): the pod is gone from the next list.
    const running = (JSON.parse(changed.value.toString("utf8")) as Rows).rows.find((r) => r.cells[2] !== "Terminating");
    const victim = running?.cells[0] as string;
    const removed = await call(f.tokens.a, `${podsPath()}/${victim}?gracePeriodSeconds=0`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    await engine.whenIdle();
    const deleted = await counted(() => table(f.tokens.a));
    expect(deleted).toMatchObject({ hits: 0, misses: 1 });
    expect(deleted.value.toString("utf8")).not.toContain(`"name":"${victim}"`);
    // All of it within one second of the engine's clock: what missed was the objects.
    expect(Math.floor(f.h.clock.now() / 1000)).toBe(second);

    expect(await counted(() => table(f.tokens.a))).toMatchObject({ hits: 1 });
    f.h.clock.advance(1_000);
    expect(await counted(() => table(f.tokens.a))).toMatchObject({ hits: 0, misses: 1 });
  });

  it("keeps no paged list and no Table with whole objects", async () => {
    expect(await counted(() => table(f.tokens.a, "?limit=10"))).toMatchObject({ hits: 0, misses: 0 });
    expect(await counted(() => table(f.tokens.a, "?includeObject=Object"))).toMatchObject({ hits: 0, misses: 0 });
  });
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET over the real listener, its body as it came on the wire (never decompressed). */
function rawGet(path: string, headers: Record<string, string>, opts: { firstChunk?: boolean } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        port: f.listener.port,
        path,
        ca: f.tls.ca,
        servername: "localhost",
        headers: { authorization: `Bearer ${f.tokens.a}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        res.on("data", (c: Buffer) => {
          chunks.push(c);
          if (opts.firstChunk) {
            done();
            req.destroy();
          }
        });
        res.on("end", done);
        res.on("error", () => undefined);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("gzip over HTTPS, as kube-apiserver", () => {
  it("gzips a large Table for a client that accepts gzip; the same JSON decompressed", async () => {
    const plain = await rawGet(podsPath(), { accept: TABLE });
    expect(plain.body.length).toBeGreaterThan(GZIP_MIN_BYTES);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toBe("Accept-Encoding");
    const gz = await rawGet(podsPath(), { accept: TABLE, "accept-encoding": "gzip" });
    expect(gz.status).toBe(200);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers.vary).toBe("Accept-Encoding");
    expect(gz.headers["content-type"]).toBe("application/json;as=Table;v=v1;g=meta.k8s.io");
    expect(gz.body.length).toBeLessThan(plain.body.length / 4);
    expect(Number(gz.headers["content-length"])).toBe(gz.body.length);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    // Go's transport names gzip alone; browsers list several.
    const listed = await rawGet(podsPath(), { accept: TABLE, "accept-encoding": "br, gzip;q=0.8, deflate" });
    expect(listed.headers["content-encoding"]).toBe("gzip");
  });

  it("gzips a large JSON list too", async () => {
    const gz = await rawGet(podsPath(), { accept: "application/json", "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(gz.body).toString("utf8"))).toMatchObject({ kind: "PodList" });
  });

  it("never gzips without the header, with gzip refused, a small answer or a watch", async () => {
    const refused = await rawGet(podsPath(), { accept: TABLE, "accept-encoding": "gzip;q=0, identity" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(refused.body.toString("utf8"))).toMatchObject({ kind: "Table" });
    const [pod] = (JSON.parse(refused.body.toString("utf8")) as { rows: { cells: string[] }[] }).rows;
    const small = await rawGet(`${podsPath()}/${pod?.cells[0]}`, { "accept-encoding": "gzip" });
    expect(small.status).toBe(200);
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(small.headers.vary).toBeUndefined();
    expect(JSON.parse(small.body.toString("utf8"))).toMatchObject({ kind: "Pod" });
    // A watch's initial events are far over the threshold, and still a plain stream of JSON lines.
    const watch = await rawGet(
      `${podsPath()}?watch=true`,
      { accept: "application/json", "accept-encoding": "gzip" },
      { firstChunk: true },
    );
    expect(watch.status).toBe(200);
    expect(watch.headers["content-encoding"]).toBeUndefined();
    expect(watch.body.toString("utf8")).toMatch(/^\{"type":"ADDED"/);
  });
});
