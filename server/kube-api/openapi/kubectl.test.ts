/**
 * The documents as kubectl 1.32 reads them: a plain-HTTP server of this test's own (legacy
 * discovery, the OpenAPI documents, and a few canned object answers) and the real
 * /usr/bin/kubectl against it with a fresh cache. Skipped where kubectl is not installed.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenApi, groupVersionPath, openApiV2Acceptable, type Schema, type ServedResource } from "./index";

const KUBECTL = "/usr/bin/kubectl";
const run = promisify(execFile);
const docs = createOpenApi();

interface Seen {
  method: string;
  url: string;
  accept: string;
  contentType: string;
  body: string;
}
const seen: Seen[] = [];
/** The Deployment the server holds for `apply` (GET answers it), or undefined (GET answers 404). */
let live: Record<string, unknown> | undefined;
/** Serve the documents with PodSpec.containers' patch extensions removed (and so another hash). */
let stripContainerKeys = false;

function v3Body(gv: string): string | undefined {
  const doc = docs.v3GroupVersion(gv);
  if (!doc || !stripContainerKeys) return doc?.body;
  const parsed = JSON.parse(doc.body) as { components: { schemas: Record<string, Schema> } };
  const containers = parsed.components.schemas["io.k8s.api.core.v1.PodSpec"]?.properties?.containers;
  if (containers) {
    delete containers["x-kubernetes-patch-merge-key"];
    delete containers["x-kubernetes-patch-strategy"];
  }
  return JSON.stringify(parsed);
}

function v3Index() {
  const index = docs.v3Index();
  if (stripContainerKeys)
    for (const entry of Object.values(index.paths)) entry.serverRelativeURL = `${entry.serverRelativeURL}0`;
  return index;
}

function discovery(gv: string, resources: readonly ServedResource[]) {
  const mine = resources.filter((r) => groupVersionPath(r.group, r.version) === gv);
  const groupVersion = gv.replace(/^apis?\//, "");
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion,
    resources: mine.flatMap((r) => [
      { name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: r.verbs },
      ...(r.subresources ?? []).map((s) => ({
        name: `${r.plural}/${s.name}`,
        singularName: "",
        namespaced: r.namespaced,
        kind: s.kind ?? r.kind,
        ...(s.group ? { group: s.group, version: s.version } : {}),
        verbs: s.verbs,
      })),
    ]),
  };
}

function handle(req: IncomingMessage, res: ServerResponse, body: string) {
  const url = new URL(req.url ?? "/", "http://x");
  seen.push({
    method: req.method ?? "",
    url: req.url ?? "",
    accept: req.headers.accept ?? "",
    contentType: req.headers["content-type"] ?? "",
    body,
  });
  const json = (code: number, value: unknown) => {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(typeof value === "string" ? value : JSON.stringify(value));
  };
  const p = url.pathname;
  const groups = [...new Set(docs.resources.filter((r) => r.group !== "").map((r) => `${r.group}/${r.version}`))];
  if (p === "/version") return json(200, { major: "1", minor: "32", gitVersion: "v1.32.0", platform: "linux/amd64" });
  if (p === "/api") return json(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
  if (p === "/apis")
    return json(200, {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: groups.map((gv) => {
        const [name, version] = gv.split("/");
        const v = { groupVersion: gv, version };
        return { name, versions: [v], preferredVersion: v };
      }),
    });
  if (p === "/openapi/v3") return json(200, v3Index());
  if (p.startsWith("/openapi/v3/")) {
    const body = v3Body(p.slice("/openapi/v3/".length));
    return body ? json(200, body) : json(404, { kind: "Status", code: 404 });
  }
  if (p === "/openapi/v2")
    return openApiV2Acceptable(req.headers.accept)
      ? json(200, docs.v2().body)
      : json(406, { kind: "Status", code: 406 });
  if (p === "/api/v1" || /^\/apis\/[^/]+\/[^/]+$/.test(p)) return json(200, discovery(p.slice(1), docs.resources));
  if (p === "/apis/apps/v1/namespaces/default/deployments/web") {
    if (req.method === "GET")
      return live
        ? json(200, live)
        : json(404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 });
    if (req.method === "PATCH") return json(200, live);
  }
  if (p === "/apis/apps/v1/namespaces/default/deployments" && req.method === "POST") return json(201, body);
  json(404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 });
}

let server: Server | undefined;
let dir = "";
let kubeconfig = "";

async function listen(): Promise<number> {
  for (let port = 6450; port <= 6459; port++) {
    const s = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => handle(req, res, body));
    });
    const ok = await new Promise<boolean>((resolve) => {
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (ok) {
      server = s;
      return port;
    }
  }
  throw new Error("no free port in 6450-6459");
}

const kubectl = async (...args: string[]) => {
  const { stdout } = await run(KUBECTL, [...args, "--kubeconfig", kubeconfig, "--cache-dir", path.join(dir, "cache")], {
    timeout: 60_000,
  });
  return stdout;
};

const manifest = (image: string) =>
  JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            { name: "web", image },
            { name: "sidecar", image: "busybox" },
          ],
        },
      },
    },
  });

describe.skipIf(!existsSync(KUBECTL))("kubectl against the documents", () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "kopenapi-"));
    const port = await listen();
    kubeconfig = path.join(dir, "kubeconfig");
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "t", cluster: { server: `http://127.0.0.1:${port}` } }],
        users: [{ name: "u", user: {} }],
        contexts: [{ name: "t", context: { cluster: "t", user: "u", namespace: "default" } }],
        "current-context": "t",
      }),
    );
  });
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("explains deployment.spec with upstream descriptions", async () => {
    const out = await kubectl("explain", "deployment.spec");
    console.log(out.split("\n").slice(0, 20).join("\n"));
    expect(out).toMatch(/GROUP:\s+apps/);
    expect(out).toMatch(/replicas\s+<integer>/);
    expect(out).toContain("Number of desired pods");
    expect(out).toMatch(/selector\s+<LabelSelector> -required-/);
    const env = await kubectl("explain", "pods.spec.containers.env");
    expect(env).toMatch(/FIELD: env <\[\]EnvVar>/);
    expect(env).toMatch(/name\s+<string> -required-/);
    const pool = await kubectl("explain", "nodepool.spec.machineType");
    expect(pool).toContain("The VM size of the pool's nodes.");
  });

  it("sends fieldValidation=Strict on create, since the PATCH operations advertise it", async () => {
    const file = path.join(dir, "create.json");
    writeFileSync(file, manifest("nginx:1"));
    await kubectl("create", "-f", file, "--validate=strict");
    const post = seen.find((r) => r.method === "POST");
    expect(post?.url).toContain("fieldValidation=Strict");
  });

  const applyNewImage = async () => {
    const applied = manifest("nginx:1");
    const obj = JSON.parse(applied) as { metadata: Record<string, unknown> };
    obj.metadata.annotations = { "kubectl.kubernetes.io/last-applied-configuration": applied };
    obj.metadata.uid = "u1";
    obj.metadata.resourceVersion = "1";
    live = obj;
    const file = path.join(dir, "apply.json");
    writeFileSync(file, manifest("nginx:2"));
    seen.length = 0;
    await kubectl("apply", "-f", file);
    return seen.find((r) => r.method === "PATCH");
  };

  it("builds a client-side apply patch keyed by container name", async () => {
    const patch = await applyNewImage();
    expect(patch?.contentType).toBe("application/strategic-merge-patch+json");
    const body = JSON.parse(patch?.body ?? "{}") as { spec: { template: { spec: Record<string, unknown> } } };
    console.log(`apply patch: ${patch?.body}`);
    expect(body.spec.template.spec["$setElementOrder/containers"]).toEqual([{ name: "web" }, { name: "sidecar" }]);
    expect(body.spec.template.spec.containers).toEqual([{ image: "nginx:2", name: "web" }]);
    const openapi = [...new Set(seen.filter((r) => r.url.startsWith("/openapi")).map((r) => `${r.url.split("?")[0]}`))];
    console.log(`kubectl asked: ${openapi.join(", ")}`);
  });

  it("takes the merge keys from the served v3 document, not from kubectl's built-in types", async () => {
    stripContainerKeys = true;
    try {
      const patch = await applyNewImage();
      const body = JSON.parse(patch?.body ?? "{}") as { spec: { template: { spec: Record<string, unknown> } } };
      // Without the merge key the list is replaced whole: kubectl read our document.
      expect(body.spec.template.spec["$setElementOrder/containers"]).toBeUndefined();
      expect(body.spec.template.spec.containers).toEqual([
        { image: "nginx:2", name: "web" },
        { image: "busybox", name: "sidecar" },
      ]);
    } finally {
      stripContainerKeys = false;
    }
  });
});
