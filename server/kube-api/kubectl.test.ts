/**
 * The real-kubectl runbook: /usr/bin/kubectl (1.32) against the HTTPS listener in-process,
 * each run with its own kubeconfig and a fresh --cache-dir (discovery is cached for hours).
 * The engine runs on the harness's virtual clock: where kubectl waits for the engine to act
 * (rollout status, delete of a namespace), the test drives the clock until kubectl returns.
 * Skipped when kubectl is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";
import { hasKubectl, type KubectlRun, kubectlAs, type KubectlRunner } from "./testing/kubectl";

let f: KubeFixture;
let ns: string;
/** kubectl as tenant A's owner and viewer, tenant B's owner, and an operator. */
let owner: KubectlRunner;
let viewer: KubectlRunner;
let ownerB: KubectlRunner;
let operator: KubectlRunner;

/**
 * Runs kubectl as the owner while driving the engine's virtual clock, until kubectl ends:
 * between its requests, until the engine is idle (at most a minute), or exactly `stepMs` when given.
 */
async function driven(args: string[], stepMs?: number): Promise<KubectlRun> {
  const run = owner.start(args);
  let ended = false;
  void run.done.then(() => {
    ended = true;
  });
  while (!ended) {
    if (stepMs === undefined) await f.h.services.engine.settle(60_000);
    else await f.h.services.engine.runFor(stepMs);
    await new Promise((r) => setTimeout(r, 25)); // let kubectl's requests in between clock steps
  }
  return run.done;
}

/** Resolves once `cond(stdout)` holds, driving the engine's clock meanwhile (rejects after 15 s of real time). */
async function waitFor(out: () => string, cond: (s: string) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!cond(out())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${out()}`);
    await f.h.services.engine.settle(60_000);
    await new Promise((r) => setTimeout(r, 20)); // let kubectl's output in between clock steps
  }
}

const deployment = (name: string, replicas: number) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [{ name: "main", image: "nginx:1.27", resources: { requests: { cpu: "50m", memory: "64Mi" } } }],
      },
    },
  },
});

describe.skipIf(!hasKubectl)("real kubectl against the Kubernetes API", () => {
  beforeAll(async () => {
    f = await startKubeFixture();
    ns = f.tenants.a.namespace;
    owner = kubectlAs(f, f.tokens.a, ns);
    viewer = kubectlAs(f, f.tokens.aViewer, ns);
    ownerB = kubectlAs(f, f.tokens.b, f.tenants.b.namespace);
    operator = kubectlAs(f, f.tokens.operator);
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it("version and api-resources", async () => {
    const v = await owner.ok(["version", "-o", "json"]);
    expect(JSON.parse(v).serverVersion.gitVersion).toMatch(/^v1\.32/);
    const res = await owner.ok(["api-resources"]);
    expect(res).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/m);
    expect(res).toMatch(/^pods\s+po\s+v1\s+true\s+Pod/m);
    expect(res).toMatch(/^nodes\s+no\s+v1\s+false\s+Node/m);
    expect(res).toMatch(/^nodepools\s+np\s+cloud.tenant.io\/v1\s+false\s+NodePool/m);
    expect(res).toMatch(/^selfsubjectaccessreviews\s+authorization.k8s.io\/v1\s+false\s+SelfSubjectAccessReview/m);
  });

  it("get pods, deployments, replica sets, nodes, namespaces, events", async () => {
    const deploy = await owner.ok(["get", "deploy"]);
    expect(deploy).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    expect(deploy).toMatch(/^web\s+2\/2\s+2\s+2\s+/m);
    const pods = await owner.ok(["get", "pods", "-o", "wide"]);
    expect(pods).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    // Each pod with its own address in the tenant's default subnet (10.0.0.0/18), then its node.
    const rows = pods.split("\n").filter((l) => /^web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running/.test(l));
    expect(rows).toHaveLength(2);
    const ips = rows.map((l) => l.split(/\s+/)[5]);
    expect(ips.every((ip) => /^10\.0\.([0-9]|[1-5][0-9]|6[0-3])\.\d+$/.test(ip ?? ""))).toBe(true);
    expect(new Set(ips).size).toBe(2);
    const podIPs = await owner.ok(["get", "pods", "-o", "jsonpath={.items[*].status.podIPs[0].ip}"]);
    expect(podIPs.trim().split(" ").sort()).toEqual([...ips].sort());
    expect(await owner.ok(["get", "rs"])).toMatch(/^web-[a-z0-9]+\s+2\s+2\s+2\s+/m);
    const namespaces = await owner.ok(["get", "ns"]);
    expect(namespaces).toMatch(new RegExp(`^${ns}\\s+Active`, "m"));
    expect(namespaces).not.toContain(f.tenants.b.namespace);
    expect(await owner.ok(["get", "nodes"])).toMatch(/\sReady\s/);
    expect(await owner.ok(["get", "events"])).toMatch(/Scheduled|ScalingReplicaSet/);
    expect(await owner.ok(["get", "all"])).toMatch(/deployment.apps\/web\s+2\/2/);
  });

  it("-o yaml, -o json, -o jsonpath with --sort-by, selectors", async () => {
    const yaml = await owner.ok(["get", "deploy", "web", "-o", "yaml"]);
    expect(yaml).toMatch(/^kind: Deployment/m);
    expect(yaml).toMatch(/deployment.kubernetes.io\/revision: "1"/);
    const list = JSON.parse(await owner.ok(["get", "pods", "-o", "json"]));
    expect(list.kind).toBe("List");
    expect(list.items).toHaveLength(2);
    expect(list.items[0].metadata.ownerReferences[0].kind).toBe("ReplicaSet");
    const names = await owner.ok([
      "get",
      "pods",
      "--sort-by",
      ".metadata.name",
      "-o",
      "jsonpath={.items[*].metadata.name}",
    ]);
    const sorted = names.trim().split(" ");
    expect(sorted).toEqual([...sorted].sort());
    expect(sorted).toHaveLength(2);
    expect(await owner.ok(["get", "pods", "-l", "app=web", "-o", "name"])).toMatch(/^pod\/web-/m);
    expect((await owner.ok(["get", "pods", "-l", "app in (other)", "-o", "name"])).trim()).toBe("");
    expect(await owner.ok(["get", "pods", "--field-selector", "status.phase=Running", "-o", "name"])).toMatch(
      /pod\/web-/,
    );
    const bad = await owner.run(["get", "pods", "-l", "app in (("]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unable to parse requirement|BadRequest|couldn't parse/);
    const paged = await owner.ok(["get", "pods", "--chunk-size", "1", "-o", "name"]);
    expect(paged.trim().split("\n")).toHaveLength(2);
  });

  it("get -w sees a change as it commits", async () => {
    const watch = owner.start(["get", "deploy", "web", "-w", "--output-watch-events"]);
    await waitFor(watch.stdout, (s) => /ADDED\s+web\s+2\/2/.test(s), "the initial row");
    await f.ownerA.caller().then((c) => c.deployments.scale({ name: "web", replicas: 3 }));
    await waitFor(watch.stdout, (s) => /MODIFIED\s+web\s+3\/3/.test(s), "the scaled row");
    watch.child.kill("SIGTERM");
    await watch.done;
  });

  it("tenant isolation: -A, another tenant's namespace, tokens", async () => {
    const all = await owner.run(["get", "pods", "-A"]);
    expect(all.code).not.toBe(0);
    expect(all.stderr).toMatch(/Error from server \(Forbidden\)/);
    const ops = await operator.ok(["get", "pods", "-A"]);
    expect(ops).toMatch(new RegExp(`^${ns}\\s+web-`, "m"));
    expect(await operator.ok(["get", "ns"])).toContain(f.tenants.b.namespace);
    const other = await owner.run(["get", "pods", "-n", f.tenants.b.namespace]);
    expect(other.stderr).toMatch(/Error from server \(Forbidden\)/);
    const missing = await owner.run(["get", "pods", "-n", "no-such-namespace"]);
    expect(missing.stderr).toMatch(/Error from server \(Forbidden\)/);
    expect((await ownerB.run(["get", "deploy", "web", "-n", ns])).stderr).toMatch(/Forbidden/);
    expect((await ownerB.ok(["get", "deploy"])).trim()).toBe("");
    // (With no token at all kubectl asks for a user name on stdin: the handler's own test covers that case.)
    const bogus = await kubectlAs(f, "not-a-real-token", ns).run(["get", "pods"]);
    expect(bogus.stderr).toMatch(/You must be logged in to the server/);
    const caller = await f.ownerA.caller();
    const extra = await caller.tokens.create({ name: "to-revoke" });
    const revoked = kubectlAs(f, extra.secret, ns);
    expect(await revoked.ok(["get", "deploy", "-o", "name"])).toContain("deployment.apps/web");
    await caller.tokens.revoke({ tokenId: extra.id });
    expect((await revoked.run(["get", "pods"])).stderr).toMatch(/Unauthorized|must be logged in/);
  });

  it("auth can-i and auth whoami", async () => {
    expect((await owner.ok(["auth", "can-i", "create", "deployments"])).trim()).toBe("yes");
    expect((await viewer.run(["auth", "can-i", "create", "deployments"])).stdout).toMatch(
      /^no - needs the member role/,
    );
    expect((await viewer.ok(["auth", "can-i", "list", "pods"])).trim()).toBe("yes");
    expect((await owner.run(["auth", "can-i", "list", "pods", "-A"])).stdout).toMatch(/^no\b/);
    expect((await operator.run(["auth", "can-i", "delete", "pods", "-n", ns])).stdout).toMatch(/^no\b/);
    expect(await owner.ok(["auth", "whoami"])).toMatch(/owner@kube-a\.test/);
  });

  it("a viewer's token reads and cannot write", async () => {
    expect(await viewer.ok(["get", "deploy"])).toMatch(/^web\s/m);
    const scale = await viewer.run(["scale", "deploy", "web", "--replicas", "1"]);
    expect(scale.stderr).toMatch(/Error from server \(Forbidden\).*viewer/);
    const ops = await operator.run(["scale", "deploy", "web", "--replicas", "1", "-n", ns]);
    expect(ops.stderr).toMatch(/Forbidden.*operator API tokens read/);
  });

  it("create -f a namespace and a deployment, scale, rollout status, delete", async () => {
    expect(
      await owner.ok([
        "create",
        "--validate=false",
        "-f",
        owner.file("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra-a\n"),
      ]),
    ).toMatch(/namespace\/extra-a created/);
    // These two send protobuf bodies (decoded by protobuf.ts).
    expect(await owner.ok(["create", "namespace", "proto-a"])).toMatch(/namespace\/proto-a created/);
    expect(await owner.ok(["create", "deployment", "proto", "--image", "nginx:1.27", "--replicas", "1"])).toMatch(
      /deployment.apps\/proto created/,
    );
    expect(await owner.ok(["get", "deploy", "proto", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])).toBe(
      "nginx:1.27",
    );
    expect(await owner.ok(["create", "-f", owner.file("api.json", deployment("api", 1))])).toMatch(
      /deployment.apps\/api created/,
    );
    const again = await owner.run(["create", "--validate=false", "-f", owner.file("api2.json", deployment("api", 1))]);
    expect(again.stderr).toMatch(/Error from server \(AlreadyExists\)/);
    const invalid = await owner.run([
      "create",
      "--validate=false",
      "-f",
      owner.file("bad.json", {
        ...deployment("bad", 1),
        spec: {
          ...deployment("bad", 1).spec,
          template: {
            metadata: { labels: { app: "bad" } },
            spec: { containers: [{ name: "main", image: "Not An Image" }] },
          },
        },
      }),
    ]);
    expect(invalid.stderr).toMatch(
      /The Deployment "bad" is invalid: spec.template.spec.containers\[0\].image: .*not a valid image/,
    );
    const rollout = await driven(["rollout", "status", "deploy/api", "--timeout", "20s"]);
    expect(rollout.stdout).toMatch(/successfully rolled out/);
    expect(await owner.ok(["scale", "deploy", "api", "--replicas", "2"])).toMatch(/deployment.apps\/api scaled/);
    const rollout2 = await driven(["rollout", "status", "deploy/api", "--timeout", "20s"]);
    expect(rollout2.stdout).toMatch(/successfully rolled out/);
    expect(await owner.ok(["get", "deploy", "api"])).toMatch(/^api\s+2\/2/m);
    expect(await owner.ok(["scale", "deploy", "api", "--current-replicas", "2", "--replicas", "1"])).toMatch(/scaled/);
    const stale = await owner.run(["scale", "deploy", "api", "--current-replicas", "5", "--replicas", "1"]);
    expect(stale.code).not.toBe(0);
    expect(await owner.ok(["delete", "deploy", "api"])).toMatch(/deployment.apps "api" deleted/);
    expect((await owner.run(["get", "deploy", "api"])).stderr).toMatch(
      /Error from server \(NotFound\): deployments.apps "api" not found/,
    );
    const nsDelete = await driven(["delete", "ns", "extra-a", "--timeout", "20s"]);
    expect(nsDelete.stdout).toMatch(/namespace "extra-a" deleted/);
  }, 120_000);

  it("label and annotate a deployment's pod template via patch, cordon and uncordon a node", async () => {
    const node = (await owner.ok(["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"])).trim();
    expect(await owner.ok(["cordon", node])).toMatch(/cordoned/);
    expect(await owner.ok(["get", "node", node])).toMatch(/SchedulingDisabled/);
    expect(await owner.ok(["uncordon", node])).toMatch(/uncordoned/);
    expect(await owner.ok(["get", "node", node])).not.toMatch(/SchedulingDisabled/);
    const patched = await owner.ok([
      "patch",
      "deploy",
      "web",
      "--type",
      "merge",
      "-p",
      '{"spec":{"template":{"metadata":{"annotations":{"team":"a"}}}}}',
    ]);
    expect(patched).toMatch(/deployment.apps\/web patched/);
    const json = await owner.ok([
      "patch",
      "deploy",
      "web",
      "--type",
      "json",
      "-p",
      '[{"op":"replace","path":"/spec/replicas","value":2}]',
    ]);
    expect(json).toMatch(/patched/);
    expect(await owner.ok(["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"])).toBe("2");
  });

  it("set image, rollout restart, rollout history, label and annotate without a rollout", async () => {
    expect(await owner.ok(["set", "image", "deploy/web", "web=nginx:1.28"])).toMatch(/image updated/);
    expect(await owner.ok(["rollout", "restart", "deploy/web"])).toMatch(/restarted/);
    expect((await driven(["rollout", "status", "deploy/web", "--timeout", "20s"])).stdout).toMatch(
      /successfully rolled out/,
    );
    const history = await owner.ok(["rollout", "history", "deploy/web"]);
    expect(history).toMatch(/image set to nginx:1\.28/);
    expect(history).toMatch(/restarted/);
    // The deployment's own metadata: stored, with no new generation and no new revision.
    const generation = await owner.ok(["get", "deploy", "web", "-o", "jsonpath={.metadata.generation}"]);
    expect(await owner.ok(["label", "deploy", "web", "tier=x"])).toMatch(/deployment.apps\/web labeled/);
    expect(await owner.ok(["annotate", "deploy", "web", "owner=team-a"])).toMatch(/deployment.apps\/web annotated/);
    expect(await owner.ok(["get", "deploy", "-l", "tier=x", "-o", "name"])).toBe("deployment.apps/web\n");
    expect(await owner.ok(["get", "deploy", "web", "-o", "jsonpath={.metadata.annotations.owner}"])).toBe("team-a");
    expect(await owner.ok(["get", "deploy", "web", "-o", "jsonpath={.metadata.generation}"])).toBe(generation);
    expect(await owner.ok(["label", "deploy", "web", "tier-"])).toMatch(/unlabeled/);
  });

  it("apply (create, unchanged, configured), diff via a server dry run, wait, explain", async () => {
    const manifest = (replicas: number, image: string) => ({
      ...deployment("app", replicas),
      spec: {
        ...deployment("app", replicas).spec,
        template: { metadata: { labels: { app: "app" } }, spec: { containers: [{ name: "main", image }] } },
      },
    });
    const p = owner.file("app.json", manifest(1, "nginx:1.27"));
    expect(await owner.ok(["apply", "-f", p])).toMatch(/deployment.apps\/app created/);
    expect(await owner.ok(["apply", "-f", p])).toMatch(/deployment.apps\/app unchanged/);
    owner.file("app.json", manifest(2, "nginx:1.28"));
    const diff = await owner.run(["diff", "-f", p]);
    expect(diff.code).toBe(1); // 1: differences found
    expect(diff.stdout).toMatch(/^-\s+replicas: 1$/m);
    expect(diff.stdout).toMatch(/^\+\s+replicas: 2$/m);
    expect(await owner.ok(["get", "deploy", "app", "-o", "jsonpath={.spec.replicas}"])).toBe("1"); // the dry run stored nothing
    const applied = await owner.run(["apply", "-f", p]);
    expect(applied.stdout).toMatch(/deployment.apps\/app configured/);
    expect(applied.stderr).toBe("");
    // The last-applied configuration is the file applied last: applying it again changes nothing.
    expect(await owner.ok(["apply", "-f", p])).toMatch(/deployment.apps\/app unchanged/);
    expect(await owner.ok(["get", "deploy", "app", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])).toBe(
      "nginx:1.28",
    );
    expect((await driven(["wait", "--for=condition=Available", "deploy/app", "--timeout=20s"])).stdout).toMatch(
      /condition met/,
    );
    expect(await owner.ok(["explain", "deployment.spec.replicas"])).toMatch(/FIELD: replicas <integer>/);
  });

  it("logs, top pods, top nodes", async () => {
    const pod = (await owner.ok(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}"])).trim();
    expect(await owner.ok(["logs", pod, "--tail", "5"])).toMatch(/starting nginx/);
    expect(await owner.ok(["top", "pods"])).toMatch(
      /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*$[\s\S]*^web-\S+\s+\d+m\s+\d+Mi/m,
    );
    expect(await owner.ok(["top", "nodes"])).toMatch(
      /^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s*\n\S+\s+\d+m\s+\d+%/,
    );
  });

  it("delete a pod, drain a node (evictions), uncordon it", async () => {
    const pod = (await owner.ok(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}"])).trim();
    expect((await driven(["delete", "pod", pod, "--timeout", "20s"])).stdout).toMatch(
      new RegExp(`pod "${pod}" deleted`),
    );
    const node = (await owner.ok(["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"])).trim();
    // Small clock steps: in big ones the pool's autoscaler may remove the drained, empty node
    // before kubectl has finished, and there would be nothing left to uncordon.
    const drain = await driven(["drain", node, "--ignore-daemonsets", "--timeout", "20s"], 5_000);
    expect(drain.stdout).toMatch(/evicting pod|drained/);
    expect(drain.stdout).toMatch(new RegExp(`node/${node} drained`));
    expect(await owner.ok(["uncordon", node])).toMatch(/uncordoned/);
  });
});
