/**
 * The handler in-process (no TLS): authentication, limits, Status errors, Tables, paging,
 * watch framing, audit, dry runs, the kubeconfig route, protobuf bodies and the kept CA.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import protobuf from "protobufjs/minimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEntries } from "@/db/queries/audit";
import { createCallLimiter, defaultCallLimits } from "../http/rate-limit";
import { createKubeHandler } from "./handler";
import { createServerCertificate, loadOrCreateCa } from "./http/tls";
import { createKubeconfigHandler } from "./kubeconfig-handler";
import { decodeProtobuf } from "./protobuf";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";

let f: KubeFixture;
let ns: string;
const base = "https://kube.test";

function call(token: string | null, path: string, init: RequestInit & { accept?: string } = {}) {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  if (init.accept) headers.set("accept", init.accept);
  return f.handler(new Request(`${base}${path}`, { ...init, headers }));
}

beforeAll(async () => {
  f = await startKubeFixture();
  ns = f.tenants.a.namespace;
}, 120_000);
afterAll(async () => {
  await f?.close();
});

describe("authentication and limits", () => {
  it("answers 401 Status without a token or with a bad one, never reading cookies", async () => {
    for (const r of [
      await call(null, "/api/v1/nodes"),
      await call("bogus-token", "/api/v1/nodes"),
      await call(null, "/api/v1/nodes", { headers: { cookie: "better-auth.session_token=x" } }),
    ]) {
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        reason: "Unauthorized",
        code: 401,
      });
    }
  });

  it("spends the tRPC call budget: 429 with Retry-After once it is spent", async () => {
    const limited = createKubeHandler({
      getServices: async () => f.h.services,
      limiter: createCallLimiter({ ...defaultCallLimits, reads: 2 }),
    });
    const get = () =>
      limited(new Request(`${base}/api/v1/nodes`, { headers: { authorization: `Bearer ${f.tokens.a}` } }));
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ reason: "TooManyRequests", code: 429 });
  });
});

describe("bad input is a 4xx Status", () => {
  const post = (body: BodyInit, type = "application/json") =>
    call(f.tokens.a, `/apis/apps/v1/namespaces/${ns}/deployments`, {
      method: "POST",
      body,
      headers: { "content-type": type },
    });
  it("bad JSON, a huge body, bad query values, unknown paths, protobuf of an unknown kind", async () => {
    expect((await post("{not json")).status).toBe(400);
    expect((await post("x".repeat(1.5 * 1024 * 1024 + 10))).status).toBe(413);
    expect((await call(f.tokens.a, `/api/v1/namespaces/${ns}/pods?limit=abc`)).status).toBe(400);
    expect(
      (await call(f.tokens.a, `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent("a in ((")}`)).status,
    ).toBe(400);
    expect((await call(f.tokens.a, `/api/v1/namespaces/${ns}/pods?watch=true&resourceVersion=xyz`)).status).toBe(400);
    expect((await call(f.tokens.a, "/apis/nope/v1/things")).status).toBe(404);
    expect((await call(f.tokens.a, `/api/v1/namespaces/${ns}/pods`, { method: "PUT", body: "{}" })).status).toBe(405);
    const proto = await post(
      new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x02, 0x12, 0x00]),
      "application/vnd.kubernetes.protobuf",
    );
    expect(proto.status).toBe(415);
    const dryDelete = await call(f.tokens.a, `/apis/apps/v1/namespaces/${ns}/deployments/web?dryRun=All`, {
      method: "DELETE",
    });
    // A dry-run delete answers as the delete would, and the deployment stays.
    expect(dryDelete.status).toBe(200);
    expect((await call(f.tokens.a, `/apis/apps/v1/namespaces/${ns}/deployments/web`)).status).toBe(200);
    // An unknown dryRun value is Invalid (422) naming the options, as upstream.
    const badDryRun = await call(f.tokens.a, `/apis/apps/v1/namespaces/${ns}/deployments?dryRun=Some`, {
      method: "POST",
      body: "{}",
    });
    expect(badDryRun.status).toBe(422);
    expect(await badDryRun.text()).toMatch(/CreateOptions/);
  });
  it("a dry-run create validates and answers without storing", async () => {
    const manifest = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "dry" },
      spec: {
        selector: { matchLabels: { app: "dry" } },
        template: { metadata: { labels: { app: "dry" } }, spec: { containers: [{ name: "c", image: "nginx:1.27" }] } },
      },
    };
    const path = `/apis/apps/v1/namespaces/${ns}/deployments?dryRun=All`;
    const ok = await call(f.tokens.a, path, { method: "POST", body: JSON.stringify(manifest) });
    expect(ok.status).toBe(201);
    expect((await call(f.tokens.a, `/apis/apps/v1/namespaces/${ns}/deployments/dry`)).status).toBe(404);
    const bad = { ...manifest, spec: { ...manifest.spec, replicas: -1 } };
    expect((await call(f.tokens.a, path, { method: "POST", body: JSON.stringify(bad) })).status).toBe(422);
  });
  it("keeps a field it does not model as given and says so in a Warning; refuses a bad one with its path", async () => {
    const r = await post(
      JSON.stringify({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "odd" },
        spec: {
          selector: { matchLabels: { app: "odd" } },
          template: {
            metadata: { labels: { app: "odd" } },
            spec: { hostNetwork: true, containers: [{ name: "c", image: "nginx:1.27" }] },
          },
        },
      }),
    );
    expect(r.status).toBe(201);
    expect(r.headers.get("warning")).toBe(
      '299 - "spec.template.spec.hostNetwork: stored as given, but not modelled by this server"',
    );
    expect(((await r.json()) as { spec: { template: { spec: unknown } } }).spec.template.spec).toMatchObject({
      hostNetwork: true,
    });
    const bad = await post(
      JSON.stringify({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "odder" },
        spec: {
          selector: { matchLabels: { app: "odder" } },
          template: { metadata: { labels: { app: "odder" } }, spec: { containers: [{ name: "c" }] } },
          strategy: { type: "Canary" },
        },
      }),
    );
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      reason: "Invalid",
      details: { name: "odder", kind: "Deployment", causes: [{ field: "spec.strategy.type" }] },
    });
  });
});

describe("reads", () => {
  const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  it("answers a Table with the registry's columns, PartialObjectMetadata rows, or whole objects", async () => {
    const r = await call(f.tokens.a, `/api/v1/namespaces/${ns}/pods`, { accept: TABLE });
    expect(r.headers.get("content-type")).toBe("application/json;as=Table;v=v1;g=meta.k8s.io");
    const t = await r.json();
    expect(t.columnDefinitions.map((c: { name: string; priority: number }) => `${c.name}:${c.priority}`)).toEqual(
      expect.arrayContaining(["Name:0", "Ready:0", "Status:0", "Node:1"]),
    );
    expect(t.rows[0].object).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1" });
    const full = await (
      await call(f.tokens.a, `/api/v1/namespaces/${ns}/pods?includeObject=Object`, { accept: TABLE })
    ).json();
    expect(full.rows[0].object).toMatchObject({ kind: "Pod", spec: { containers: [expect.any(Object)] } });
  });

  it("pages with limit/continue, keeping the first page's resourceVersion", async () => {
    const p1 = await (await call(f.tokens.a, `/api/v1/namespaces/${ns}/pods?limit=1`)).json();
    expect(p1.kind).toBe("PodList");
    expect(p1.items).toHaveLength(1);
    await (await f.ownerA.caller()).deployments.scale({ name: "web", replicas: 3 });
    const p2 = await (
      await call(f.tokens.a, `/api/v1/namespaces/${ns}/pods?limit=1&continue=${p1.metadata.continue}`)
    ).json();
    expect(p2.metadata.resourceVersion).toBe(p1.metadata.resourceVersion);
    expect(p2.items[0].metadata.name > p1.items[0].metadata.name).toBe(true);
    expect((await call(f.tokens.a, `/api/v1/namespaces/${ns}/pods?continue=garbage`)).status).toBe(400);
  });

  it("serves a list's later pages from its first page's snapshot, to the same caller only", async () => {
    const path = `/api/v1/namespaces/${ns}/configmaps`;
    const make = (name: string) =>
      call(f.tokens.a, path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { k: "v" } }),
      });
    for (const name of ["snap-1", "snap-2", "snap-3"]) expect((await make(name)).status).toBe(201);
    const names = (l: { items: { metadata: { name: string } }[] }) =>
      l.items.map((i) => i.metadata.name).filter((n) => n.startsWith("snap-"));
    const p1 = await (await call(f.tokens.a, `${path}?limit=2`)).json();
    expect(names(p1)).toEqual(["snap-1", "snap-2"]);
    // Changes after the first page: the rest of the list is still the first page's moment.
    expect((await call(f.tokens.a, `${path}/snap-3`, { method: "DELETE" })).status).toBe(200);
    expect((await make("snap-4")).status).toBe(201);
    const p2 = await (await call(f.tokens.a, `${path}?limit=2&continue=${p1.metadata.continue}`)).json();
    expect(names(p2)).toEqual(["snap-3"]);
    expect(p2.metadata.continue).toBeUndefined();
    // Another caller with the same token reads its own current state, never the snapshot.
    const other = await (await call(f.tokens.operator, `${path}?limit=2&continue=${p1.metadata.continue}`)).json();
    expect(names(other)).toEqual(["snap-4"]);
  });

  it("a tenant sees its own namespaces and nodes only; operators see all", async () => {
    const mine = await (await call(f.tokens.b, "/api/v1/namespaces")).json();
    expect(mine.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual([f.tenants.b.namespace]);
    const nodesB = await (await call(f.tokens.b, "/api/v1/nodes")).json();
    const nodesOps = await (await call(f.tokens.operator, "/api/v1/nodes")).json();
    expect(nodesOps.items.length).toBeGreaterThan(nodesB.items.length);
    expect((await call(f.tokens.b, `/api/v1/namespaces/${ns}`)).status).toBe(403);
    expect((await call(f.tokens.b, "/api/v1/pods")).status).toBe(403);
    expect((await call(f.tokens.operator, "/api/v1/pods")).status).toBe(200);
  });

  it("watch: initial events, the initial-events-end bookmark, then changes, as JSON lines", async () => {
    const r = await call(
      f.tokens.a,
      `/apis/apps/v1/namespaces/${ns}/deployments?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`,
    );
    expect(r.status).toBe(200);
    const reader = (r.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffered = "";
    const next = async () => {
      while (!buffered.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffered += decoder.decode(value);
      }
      const i = buffered.indexOf("\n");
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      return JSON.parse(line);
    };
    // One ADDED per deployment of the namespace (web, and those earlier cases made), then the bookmark.
    const initial: { type: string; object: { kind: string; metadata: { name: string } } }[] = [];
    let bookmark = await next();
    while (bookmark.type === "ADDED") {
      initial.push(bookmark);
      bookmark = await next();
    }
    expect(initial.map((e) => e.object.kind)).toEqual(initial.map(() => "Deployment"));
    expect(initial.map((e) => e.object.metadata.name)).toContain("web");
    expect(bookmark).toMatchObject({
      type: "BOOKMARK",
      object: { metadata: { annotations: { "k8s.io/initial-events-end": "true" } } },
    });
    await (await f.ownerA.caller()).deployments.scale({ name: "web", replicas: 1 });
    expect(await next()).toMatchObject({ type: "MODIFIED", object: { spec: { replicas: 1 } } });
    await reader.cancel();
  });
});

describe("writes", () => {
  it("audits each write like a tRPC mutation, success or failure", async () => {
    const ok = await call(f.tokens.a, `/apis/apps/v1/namespaces/${ns}/deployments/web/scale`, {
      method: "PATCH",
      body: '{"spec":{"replicas":2}}',
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ kind: "Scale", apiVersion: "autoscaling/v1", spec: { replicas: 2 } });
    const denied = await call(f.tokens.aViewer, `/apis/apps/v1/namespaces/${ns}/deployments/web`, { method: "DELETE" });
    expect(denied.status).toBe(403);
    const { items } = await listAuditEntries(f.h.services.db, { tenantId: f.tenants.a.id, limit: 10 });
    const scale = items.find((e) => e.action === "kube.patch deployments/scale");
    expect(scale).toMatchObject({ outcome: "success", target: `${ns}/web`, via: "token:kube-a-ci" });
    expect(items.find((e) => e.action === "kube.delete deployments")).toMatchObject({
      outcome: "failure",
      via: "token:kube-a-viewer",
    });
  });

  it("PUT with a stale resourceVersion is Conflict", async () => {
    const current = await (await call(f.tokens.a, `/apis/apps/v1/namespaces/${ns}/deployments/web`)).json();
    const stale = {
      ...current,
      metadata: { ...current.metadata, resourceVersion: "1" },
      spec: { ...current.spec, replicas: 4 },
    };
    const r = await call(f.tokens.a, `/apis/apps/v1/namespaces/${ns}/deployments/web`, {
      method: "PUT",
      body: JSON.stringify(stale),
    });
    expect(r.status).toBe(409);
    expect(await r.json()).toMatchObject({ reason: "Conflict" });
    const fresh = { ...current, spec: { ...current.spec, replicas: 4 } };
    const ok = await call(f.tokens.a, `/apis/apps/v1/namespaces/${ns}/deployments/web`, {
      method: "PUT",
      body: JSON.stringify(fresh),
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).spec.replicas).toBe(4);
  });
});

describe("kubeconfig route", () => {
  it("answers the token's kubeconfig; refuses GET and bad tokens", async () => {
    const handle = createKubeconfigHandler({ getServices: async () => f.h.services });
    const r = await handle(
      new Request(`${base}/api/kubeconfig`, { method: "POST", headers: { authorization: `Bearer ${f.tokens.a}` } }),
    );
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toContain(`token: ${f.tokens.a}`);
    expect(text).toContain(`namespace: ${ns}`);
    expect(text).toMatch(/server: https:\/\/localhost:6443/);
    const caData = /certificate-authority-data: (\S+)/.exec(text)?.[1] ?? "";
    expect(Buffer.from(caData, "base64").toString()).toBe(f.tls.ca);
    expect((await handle(new Request(`${base}/api/kubeconfig`))).status).toBe(405);
    expect(
      (
        await handle(
          new Request(`${base}/api/kubeconfig`, { method: "POST", headers: { authorization: "Bearer nope" } }),
        )
      ).status,
    ).toBe(401);
  });
});

describe("TLS material", () => {
  it("keeps one CA per database and signs server certificates for the configured names", async () => {
    const a = await loadOrCreateCa(f.h.services.db);
    const b = await loadOrCreateCa(f.h.services.db);
    expect(b.cert).toBe(a.cert);
    expect(f.tls.ca).toBe(a.cert);
    const server = await createServerCertificate(a, ["localhost", "127.0.0.1", "::1", "kube.example.com"]);
    const cert = new x509.X509Certificate(server.cert);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    expect(san?.names.items.map((n) => n.value)).toEqual(
      expect.arrayContaining(["localhost", "127.0.0.1", "kube.example.com"]),
    );
    expect(await cert.verify({ publicKey: new x509.X509Certificate(a.cert).publicKey, signatureOnly: true })).toBe(
      true,
    );
  });
});

describe("protobuf bodies", () => {
  it("decodes a SelfSubjectAccessReview as kubectl auth can-i sends it", () => {
    const attrs = protobuf.Writer.create()
      .uint32(10)
      .string("ns1")
      .uint32(18)
      .string("create")
      .uint32(26)
      .string("apps")
      .uint32(42)
      .string("deployments")
      .finish();
    const spec = protobuf.Writer.create().uint32(10).bytes(attrs).finish();
    const meta = protobuf.Writer.create().uint32(10).string("").uint32(34).string("").finish();
    const raw = protobuf.Writer.create().uint32(10).bytes(meta).uint32(18).bytes(spec).finish();
    const typeMeta = protobuf.Writer.create()
      .uint32(10)
      .string("authorization.k8s.io/v1")
      .uint32(18)
      .string("SelfSubjectAccessReview")
      .finish();
    const unknown = protobuf.Writer.create().uint32(10).bytes(typeMeta).uint32(18).bytes(raw).finish();
    const body = new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...unknown]);
    expect(decodeProtobuf(body)).toEqual({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      metadata: {},
      spec: { resourceAttributes: { namespace: "ns1", verb: "create", group: "apps", resource: "deployments" } },
    });
    const withUnknown = protobuf.Writer.create()
      .uint32(10)
      .bytes(meta)
      .uint32(18)
      .bytes(spec)
      .uint32(802)
      .string("x")
      .finish();
    const u2 = protobuf.Writer.create().uint32(10).bytes(typeMeta).uint32(18).bytes(withUnknown).finish();
    expect(() => decodeProtobuf(new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...u2]))).toThrow(
      /field 100 of SelfSubjectAccessReview/,
    );
  });
});
