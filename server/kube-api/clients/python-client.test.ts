/**
 * The official Python client (Debian's python3-kubernetes) against the HTTPS listener, with
 * the kubeconfig the console hands out: list with paging, create, patch, delete, and
 * watch.Watch().stream seeing a deployment's pods arrive. The script prints one JSON line per
 * step; the engine's virtual clock is driven while it runs. Skipped when the client is missing.
 */
import { spawn } from "node:child_process";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeFixture, startKubeFixture } from "../testing/fixture";

const PYTHON = "/usr/bin/python3";
const available = spawnSync(PYTHON, ["-c", "import kubernetes"]).status === 0;

const SCRIPT = String.raw`
import json, sys
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
ns, other = sys.argv[2], sys.argv[3]
core, apps = client.CoreV1Api(), client.AppsV1Api()
say = lambda step, **kw: print(json.dumps({"step": step, **kw}), flush=True)

first = core.list_namespaced_pod(ns, limit=1)
second = core.list_namespaced_pod(ns, limit=1, _continue=first.metadata._continue)
say("pages", names=[first.items[0].metadata.name, second.items[0].metadata.name],
    rvs=[first.metadata.resource_version, second.metadata.resource_version])

body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "py", "labels": {"app": "py"}},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "py"}},
                 "template": {"metadata": {"labels": {"app": "py"}},
                              "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}}
created = apps.create_namespaced_deployment(ns, body)
say("created", uid=created.metadata.uid)

w = watch.Watch()
added = set()
for event in w.stream(core.list_namespaced_pod, ns, label_selector="app=py", timeout_seconds=20):
    if event["type"] == "ADDED":
        added.add(event["object"].metadata.name)
    if len(added) == 2:
        w.stop()
say("watched", pods=sorted(added))

patched = apps.patch_namespaced_deployment("py", ns, {"metadata": {"labels": {"team": "py"}}, "spec": {"replicas": 3}})
say("patched", replicas=patched.spec.replicas, labels=patched.metadata.labels)

apps.delete_namespaced_deployment("py", ns)
try:
    apps.read_namespaced_deployment("py", ns)
    say("deleted", status=200)
except ApiException as e:
    say("deleted", status=e.status)

try:
    core.list_namespaced_pod(other)
    say("other", status=200)
except ApiException as e:
    say("other", status=e.status)
`;

let f: KubeFixture;
beforeAll(async () => {
  if (available) f = await startKubeFixture();
}, 60_000);
afterAll(async () => f?.close());

describe.skipIf(!available)("the official Python client", () => {
  it("pages, creates, watches, patches and deletes; another tenant's namespace is forbidden", async () => {
    const script = path.join(f.dir, "client.py");
    writeFileSync(script, SCRIPT);
    const child = spawn(PYTHON, [script, f.kubeconfig(f.tokens.a), f.tenants.a.namespace, f.tenants.b.namespace], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
    let ended = false;
    void code.then(() => {
      ended = true;
    });
    // The pods the script watches for come from the engine, which runs on the virtual clock.
    const deadline = Date.now() + 45_000;
    while (!ended && Date.now() < deadline) {
      await f.h.services.engine.settle(60_000);
      await new Promise((r) => setTimeout(r, 25)); // let the script's requests in between clock steps
    }
    expect(await code, `${stdout}\n${stderr}`).toBe(0);
    const steps = Object.fromEntries(
      stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { step: string })
        .map((s) => [s.step, s]),
    );
    const pages = steps.pages as unknown as { names: string[]; rvs: string[] };
    expect(new Set(pages.names).size).toBe(2);
    expect(pages.rvs[0]).toBe(pages.rvs[1]);
    expect(steps.created).toMatchObject({ uid: expect.any(String) });
    expect((steps.watched as unknown as { pods: string[] }).pods).toHaveLength(2);
    expect(steps.patched).toMatchObject({ replicas: 3, labels: { app: "py", team: "py" } });
    expect(steps.deleted).toMatchObject({ status: 404 });
    expect(steps.other).toMatchObject({ status: 403 });
  }, 60_000);
});
