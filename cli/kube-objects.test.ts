/**
 * `cloudctl get -o json|yaml` prints the Kubernetes objects the Kubernetes API serves, as real
 * kubectl (/usr/bin/kubectl 1.32, fresh --cache-dir) prints them from the HTTPS listener on the same
 * services: the same bytes for JSON, the same objects for YAML; lists as a `v1 List`; -A across the
 * tenant's namespaces; -l as the API's selector; another
 * tenant's namespace missing. cloudctl runs in this process against the tRPC handler on a real port.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createCallLimiter, defaultCallLimits } from "@/server/http/rate-limit";
import { createKubeHandler } from "@/server/kube-api/handler";
import { type KubeListener, peerOf, startKubeListener } from "@/server/kube-api/http/listener";
import { loadTlsMaterial } from "@/server/kube-api/http/tls";
import { buildKubeconfig } from "@/server/kube-api/kubeconfig";
import { startTestServer, type TestServer } from "@/server/testing/http-server";
import { inProcess } from "./test-kit";

const KUBECTL = "/usr/bin/kubectl";
let server: TestServer;
let listener: KubeListener;
let dir: string;
let env: Record<string, string>;
let kubeconfig: string;
let cacheRuns = 0;

const cloudctl = (args: string[]) => inProcess(dir, args, env);

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cache = join(dir, `cache-${++cacheRuns}`);
  return new Promise((resolve) =>
    execFile(
      KUBECTL,
      ["--kubeconfig", kubeconfig, "--cache-dir", cache, "--request-timeout", "20s", ...args],
      { env: { PATH: process.env.PATH ?? "", HOME: dir } as unknown as NodeJS.ProcessEnv, encoding: "utf8" },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** kubectl's output equals what cloudctl printed just before or just after it (the object may move meanwhile). */
async function sameAsKubectl(args: string[], compare: (a: string, b: string) => boolean = (a, b) => a === b) {
  const before = await cloudctl(args);
  const k = await kubectl(args);
  const after = await cloudctl(args);
  expect(k).toMatchObject({ code: 0, stderr: "" });
  expect(before.code).toBe(0);
  expect(compare(before.stdout, k.stdout) || compare(after.stdout, k.stdout)).toBe(true);
  return k.stdout;
}

beforeAll(async () => {
  server = await startTestServer({ timeScale: 50 });
  const alpha = await server.tenantWithToken("owner@kobj-a.test", "kobj-a");
  const beta = await server.tenantWithToken("owner@kobj-b.test", "kobj-b");
  env = { CLOUDCTL_URL: server.url, CLOUDCTL_TOKEN: alpha.token };
  await alpha.caller.namespaces.create({ name: "kobj-a-dev" });
  const yaml = (name: string, tier: string, namespace: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels: { tier: ${tier} }\n  annotations: { note: "<a & b>" }\nspec:\n  replicas: 0\n  selector:\n    matchLabels: { app: ${name} }\n  template:\n    metadata:\n      labels: { app: ${name} }\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          args: ["--port", "8080"]\n`;
  const applied = await alpha.caller.manifests.applyYaml({
    yaml: [yaml("api", "back", "kobj-a"), yaml("front", "front", "kobj-a"), yaml("jobs", "back", "kobj-a-dev")].join(
      "---\n",
    ),
  });
  expect(applied.results.map((r) => r.outcome)).toEqual(["created", "created", "created"]);
  await beta.caller.manifests.applyYaml({ yaml: yaml("secret-plan", "back", "kobj-b") });
  const handler = createKubeHandler({
    getServices: async () => server.services,
    limiter: createCallLimiter(defaultCallLimits),
    clientAddress: peerOf,
  });
  const tls = await loadTlsMaterial(server.services.db, {});
  listener = await startKubeListener(handler, tls, { port: 0, host: "127.0.0.1" });
  dir = await mkdtemp(join(tmpdir(), "cloudctl-kobj-"));
  kubeconfig = join(dir, "kubeconfig");
  await writeFile(
    kubeconfig,
    buildKubeconfig({
      server: `https://127.0.0.1:${listener.port}`,
      caPem: tls.ca,
      token: alpha.token,
      name: "kobj-a",
      namespace: "kobj-a",
    }),
  );
}, 90_000);
afterAll(async () => {
  await listener?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(KUBECTL))("cloudctl get -o json|yaml, beside kubectl", () => {
  it("prints one object byte for byte as kubectl does, and the same object in YAML", async () => {
    const json = await sameAsKubectl(["get", "deployment", "api", "-o", "json"]);
    const object = JSON.parse(json) as Record<string, { [k: string]: unknown }>;
    expect(object).toMatchObject({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "api", namespace: "kobj-a", labels: { tier: "back" }, annotations: { note: "<a & b>" } },
      spec: { replicas: 0 },
    });
    expect(object.metadata?.managedFields).toBeUndefined();
    expect(json).toContain('"note": "\\u003ca \\u0026 b\\u003e"'); // Go's escapes, as kubectl prints
    await sameAsKubectl(
      ["get", "deployment", "api", "-o", "yaml"],
      (a, b) => JSON.stringify(parse(a)) === JSON.stringify(parse(b)),
    );
  });

  it("prints a list as kubectl's v1 List, in the context's namespace or the one named", async () => {
    const list = JSON.parse(await sameAsKubectl(["get", "deployments", "-o", "json"])) as {
      items: { metadata: { name: string } }[];
    };
    expect(list).toMatchObject({ apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" } });
    expect(list.items.map((d) => d.metadata.name)).toEqual(["api", "front"]);
    await sameAsKubectl(["get", "deployments", "-n", "kobj-a-dev", "-o", "json"]);
    await sameAsKubectl(["get", "namespaces", "-o", "json"]);
    await sameAsKubectl(["get", "deployments", "-l", "tier in (back)", "-o", "json"]);
    const empty = await sameAsKubectl(["get", "deployments", "-l", "tier=none", "-o", "json"]);
    expect(JSON.parse(empty)).toMatchObject({ kind: "List", items: [] });
  });

  it("-A lists every namespace of the tenant (kubectl's token may not), and never another tenant's", async () => {
    const r = await cloudctl(["get", "deployments", "-A", "-l", "tier=back", "-o", "json"]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { items: { metadata: { name: string; namespace: string } }[] };
    expect(list.items.map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual([
      "kobj-a/api",
      "kobj-a-dev/jobs",
    ]);
    expect(r.stdout).not.toContain("secret-plan");
    const refused = await kubectl(["get", "deployments", "-A", "-o", "json"]);
    expect(refused.code).not.toBe(0);
  });

  it("says what is wrong with a bad selector, a missing object and another tenant's namespace", async () => {
    const bad = await cloudctl(["get", "deployments", "-l", "tier in (", "-o", "json"]);
    expect(bad).toMatchObject({ code: 1, stdout: "" });
    expect(bad.stderr).toMatch(/^error: .+\n$/);
    const missing = await cloudctl(["get", "deployment", "nope", "-o", "yaml"]);
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toMatch(/not found/);
    const foreign = await cloudctl(["get", "deployments", "-n", "kobj-b", "-o", "json"]);
    expect(foreign).toMatchObject({ code: 1, stdout: "", stderr: 'error: namespaces "kobj-b" not found\n' });
  });
});
