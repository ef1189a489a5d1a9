/**
 * events.k8s.io/v1 Event, served beside v1 Event over the same stored events: discovery (legacy
 * and aggregated), get/list/watch in that version's field names, Table columns, field selectors
 * in that version's labels, the tenant boundary; through the real kubectl and
 * @kubernetes/client-node's EventsV1Api.
 */
import { execFile, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenApi, type ServedResource as OpenApiResource, type Verb } from "./openapi";
import { SERVED_RESOURCES } from "./catalog";
import { AGGREGATED_V2 } from "./discovery";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";
import { hasKubectl, kubectlAs, type KubectlRunner } from "./testing/kubectl";

const PYTHON = "/usr/bin/python3";
const pythonClient = spawnSync(PYTHON, ["-c", "import kubernetes"]).status === 0;
let f: KubeFixture;
let kubectl: KubectlRunner;
let ns: string;

beforeAll(async () => {
  f = await startKubeFixture();
  ns = f.tenants.a.namespace;
  kubectl = kubectlAs(f, f.tokens.a, ns);
}, 60_000);
afterAll(async () => f?.close());

const call = (token: string, p: string, accept = "application/json") =>
  f.handler(new Request(`https://kube.test${p}`, { headers: { authorization: `Bearer ${token}`, accept } }));

describe("events.k8s.io/v1 over the handler", () => {
  it("is discovered in the legacy and the aggregated documents", async () => {
    const list = await (await call(f.tokens.a, "/apis/events.k8s.io/v1")).json();
    expect(list).toMatchObject({
      groupVersion: "events.k8s.io/v1",
      resources: [{ name: "events", singularName: "event", namespaced: true, kind: "Event", shortNames: ["ev"] }],
    });
    expect(list.resources[0].verbs).toEqual(["get", "list", "watch"]);
    const groups = await (await call(f.tokens.a, "/apis")).json();
    expect(groups.groups).toContainEqual(expect.objectContaining({ name: "events.k8s.io" }));
    const aggregated = await (await call(f.tokens.a, "/apis", AGGREGATED_V2)).json();
    const item = aggregated.items.find((i: { metadata: { name: string } }) => i.metadata.name === "events.k8s.io");
    expect(item.versions[0].resources[0]).toMatchObject({
      resource: "events",
      responseKind: { group: "events.k8s.io", version: "v1", kind: "Event" },
      scope: "Namespaced",
    });
  });

  it("lists the same events as v1, in this version's field names", async () => {
    const core = await (await call(f.tokens.a, `/api/v1/namespaces/${ns}/events`)).json();
    const v1 = await (await call(f.tokens.a, `/apis/events.k8s.io/v1/namespaces/${ns}/events`)).json();
    expect(v1.kind).toBe("EventList");
    expect(v1.apiVersion).toBe("events.k8s.io/v1");
    expect(core.items.length).toBeGreaterThan(0);
    expect(v1.items.map((e: { metadata: { uid: string } }) => e.metadata.uid)).toEqual(
      core.items.map((e: { metadata: { uid: string } }) => e.metadata.uid),
    );
    const [c, e] = [core.items[0], v1.items[0]];
    expect(e).toEqual({
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: c.metadata,
      eventTime: c.eventTime,
      reportingController: c.reportingComponent,
      reportingInstance: c.reportingInstance,
      reason: c.reason,
      regarding: c.involvedObject,
      note: c.message,
      type: c.type,
      deprecatedSource: c.source,
      deprecatedFirstTimestamp: c.firstTimestamp,
      deprecatedLastTimestamp: c.lastTimestamp,
      deprecatedCount: c.count,
    });
    expect(e.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const one = await (
      await call(f.tokens.a, `/apis/events.k8s.io/v1/namespaces/${ns}/events/${e.metadata.name}`)
    ).json();
    expect(one).toEqual(e);
  });

  it("selects by regarding.* and refuses core labels, as upstream's field label conversion", async () => {
    const pod = [...f.h.services.engine.eachObject("Pod")].find((p) => p.namespace === ns);
    const sel = encodeURIComponent(`regarding.kind=Pod,regarding.name=${pod?.name}`);
    const r = await (
      await call(f.tokens.a, `/apis/events.k8s.io/v1/namespaces/${ns}/events?fieldSelector=${sel}`)
    ).json();
    expect(r.items.length).toBeGreaterThan(0);
    for (const e of r.items) expect(e.regarding).toMatchObject({ kind: "Pod", name: pod?.name });
    const bad = await call(
      f.tokens.a,
      `/apis/events.k8s.io/v1/namespaces/${ns}/events?fieldSelector=involvedObject.name%3Dx`,
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toBe("field label not supported: involvedObject.name");
  });

  it("keeps the tenant boundary of v1 Events", async () => {
    const other = await call(f.tokens.a, `/apis/events.k8s.io/v1/namespaces/${f.tenants.b.namespace}/events`);
    expect(other.status).toBe(403);
    expect((await other.json()).message).toContain('events.events.k8s.io is forbidden: User "');
    expect((await call(f.tokens.a, "/apis/events.k8s.io/v1/events")).status).toBe(403);
    const all = await (await call(f.tokens.operator, "/apis/events.k8s.io/v1/events")).json();
    const namespaces = new Set(all.items.map((e: { metadata: { namespace: string } }) => e.metadata.namespace));
    expect(namespaces).toContain(ns);
    expect((await call(f.tokens.a, `/apis/events.k8s.io/v1/namespaces/${ns}/events`, "application/json")).status).toBe(
      200,
    );
    const post = await f.handler(
      new Request(`https://kube.test/apis/events.k8s.io/v1/namespaces/${ns}/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${f.tokens.a}`, "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(post.status).toBe(405);
  });

  it("is described by the OpenAPI documents the catalog's resources make", () => {
    const served: OpenApiResource[] = SERVED_RESOURCES.map(({ def, served: s }) => ({
      group: def.group,
      version: def.version,
      kind: def.apiKind,
      plural: def.plural,
      namespaced: def.namespaced,
      verbs: s.verbs as Verb[],
    }));
    const v3 = createOpenApi(served).v3GroupVersion("apis/events.k8s.io/v1");
    const doc = JSON.parse(v3?.body ?? "{}");
    expect(Object.keys(doc.paths)).toContain("/apis/events.k8s.io/v1/namespaces/{namespace}/events/{name}");
    expect(doc.components.schemas["io.k8s.api.events.v1.Event"].properties).toHaveProperty("regarding");
  });
});

describe("events.k8s.io/v1 through @kubernetes/client-node", () => {
  it("lists, reads and watches through EventsV1Api", async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(f.kubeconfig(f.tokens.a, ns));
    const api = kc.makeApiClient(k8s.EventsV1Api);
    const list = await api.listNamespacedEvent({ namespace: ns });
    expect(list.items.length).toBeGreaterThan(0);
    const first = list.items[0] as k8s.EventsV1Event;
    // The same stored event as core v1 serves it: regarding and note are involvedObject and message.
    const core = await kc
      .makeApiClient(k8s.CoreV1Api)
      .readNamespacedEvent({ namespace: ns, name: first.metadata?.name ?? "" });
    expect(first.regarding).toMatchObject({ kind: core.involvedObject.kind, name: core.involvedObject.name });
    expect(first.note).toBe(core.message);
    expect(first.reason).toBe(core.reason);
    expect(Number.isNaN(new Date(String(first.eventTime)).getTime())).toBe(false);
    const read = await api.readNamespacedEvent({ namespace: ns, name: first.metadata?.name ?? "" });
    expect(read.metadata?.uid).toBe(first.metadata?.uid);

    const seen: k8s.EventsV1Event[] = [];
    const watch = new k8s.Watch(kc);
    const req = await watch.watch(
      `/apis/events.k8s.io/v1/namespaces/${ns}/events`,
      { resourceVersion: list.metadata?.resourceVersion },
      (type: string, obj: k8s.EventsV1Event) => {
        if (type === "ADDED") seen.push(obj);
      },
      () => {},
    );
    try {
      await (await f.ownerA.caller()).deployments.scale({ name: "web", replicas: 3 });
      const deadline = Date.now() + 15_000;
      while (!seen.some((e) => e.reason === "ScalingReplicaSet")) {
        if (Date.now() > deadline) throw new Error(`no ScalingReplicaSet event watched: ${JSON.stringify(seen)}`);
        await f.h.services.engine.settle(60_000);
        await new Promise((r) => setTimeout(r, 20)); // let the watch's frames in between clock steps
      }
    } finally {
      req.abort();
    }
    const scaled = seen.find((e) => e.reason === "ScalingReplicaSet");
    expect(scaled?.apiVersion).toBe("events.k8s.io/v1");
    expect(scaled?.regarding).toMatchObject({ kind: "Deployment", name: "web" });
  });
});

describe.skipIf(!hasKubectl)("events.k8s.io/v1 through the real kubectl", () => {
  it("api-resources lists both Event versions", async () => {
    const r = await kubectl.run(["api-resources", "--api-group=events.k8s.io", "--no-headers"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split(/\s+/)).toEqual(["events", "ev", "events.k8s.io/v1", "true", "Event"]);
  });

  it("get events.v1.events.k8s.io prints kubectl's event columns, and -o json this version's fields", async () => {
    const table = await kubectl.run(["get", "events.v1.events.k8s.io", "-n", ns]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split("\n")[0]?.split(/\s{2,}/)).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    expect(table.stdout).toMatch(/deployment\/web/);
    const out = await kubectl.run(["get", "events.events.k8s.io", "-n", ns, "-o", "json"]);
    expect(out.code, out.stderr).toBe(0);
    const list = JSON.parse(out.stdout);
    expect(list.items[0]).toMatchObject({ apiVersion: "events.k8s.io/v1", regarding: expect.any(Object) });
    const sel = await kubectl.run([
      "get",
      "events.events.k8s.io",
      "-n",
      ns,
      "--field-selector",
      "regarding.kind=Deployment",
      "-o",
      "name",
    ]);
    expect(sel.code, sel.stderr).toBe(0);
    expect(sel.stdout.trim().split("\n").length).toBeGreaterThan(0);
    // Both versions are `ev`: plain `get ev` still means core v1 events, as in a real cluster.
    const short = await kubectl.run(["get", "ev", "-n", ns, "-o", "jsonpath={.items[0].apiVersion}"]);
    expect(short.stdout).toBe("v1");
    const other = await kubectl.run(["get", "events.events.k8s.io", "-n", f.tenants.b.namespace]);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain("Forbidden");
  });

  it("kubectl events (1.32: core v1 events) lists the namespace's events", async () => {
    const r = await kubectl.run(["events", "-n", ns, "-v=6"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[0]?.split(/\s{2,}/)).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    expect(r.stdout).toMatch(/Deployment\/web/);
    expect(r.stderr).toMatch(new RegExp(`GET https://\\S+/api/v1/namespaces/${ns}/events\\?limit=500 200`));
  });
});

const PY_SCRIPT = `
import json, sys
from kubernetes import client, config
from kubernetes.client.rest import ApiException
config.load_kube_config(config_file=sys.argv[1])
api = client.EventsV1Api()
events = api.list_namespaced_event(sys.argv[2])
e = events.items[0]
one = api.read_namespaced_event(e.metadata.name, sys.argv[2])
try:
    api.list_namespaced_event(sys.argv[3])
    other = 200
except ApiException as x:
    other = x.status
print(json.dumps({"count": len(events.items), "kind": e.regarding.kind, "note": e.note, "reason": e.reason,
                  "eventTime": e.event_time.isoformat(), "count_field": e.deprecated_count,
                  "same": one.metadata.uid == e.metadata.uid, "other": other}))
`;

describe.skipIf(!pythonClient)("events.k8s.io/v1 through the official Python client", () => {
  it("EventsV1Api lists and reads events; another tenant's namespace is forbidden", async () => {
    const script = path.join(f.dir, "events_v1.py");
    writeFileSync(script, PY_SCRIPT);
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        PYTHON,
        [script, f.kubeconfig(f.tokens.a, ns), ns, f.tenants.b.namespace],
        { encoding: "utf8", timeout: 25_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) || 1 : 0, stdout, stderr }),
      ),
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.count).toBeGreaterThan(0);
    expect(out).toMatchObject({ same: true, other: 403, kind: expect.any(String), note: expect.any(String) });
    expect(out.count_field).toBeGreaterThanOrEqual(1);
    expect(out.eventTime).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
