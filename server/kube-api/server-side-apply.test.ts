/**
 * Server-side apply and managed fields with the real kubectl (1.32) against the HTTPS listener:
 * apply --server-side of a docs-style Deployment (create, again unchanged), a second manager's
 * conflict on spec.replicas and --force-conflicts, --show-managed-fields, a ConfigMap applied
 * server-side, and the Update entries of non-apply writes. Skipped without kubectl.
 */
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";
import { hasKubectl, kubectlAs, type KubectlRunner } from "./testing/kubectl";

let f: KubeFixture;
let kubectl: KubectlRunner;
let ns: string;

/** The Deployment of the Kubernetes docs (nginx-deployment), with a replica count. */
const docsDeployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
        resources:
          requests:
            cpu: 50m
            memory: 64Mi
`;

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}
const managersOf = (yaml: string) =>
  ((parseYaml(yaml) as { metadata: { managedFields?: Entry[] } }).metadata.managedFields ?? []).map(
    (e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ""}`,
  );

describe.skipIf(!hasKubectl)("server-side apply with real kubectl", () => {
  beforeAll(async () => {
    f = await startKubeFixture();
    ns = f.tenants.a.namespace;
    kubectl = kubectlAs(f, f.tokens.a, ns);
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it("applies a docs Deployment, again unchanged, conflicts with a second manager, forces, shows managers", async () => {
    const p = kubectl.file("nginx.yaml", docsDeployment(3));
    expect(await kubectl.ok(["apply", "--server-side", "-f", p])).toMatch(
      /deployment.apps\/nginx-deployment serverside-applied/,
    );
    // Let the rollout's own status writes land first: they move the resourceVersion, the second apply must not.
    await f.h.services.engine.settle();
    const first = await kubectl.ok(["get", "deploy", "nginx-deployment", "-o", "yaml", "--show-managed-fields"]);
    expect(managersOf(first)).toEqual(["kubectl/Apply"]);
    const entry = (parseYaml(first) as { metadata: { managedFields: Entry[] } }).metadata.managedFields[0] as Entry;
    expect(entry.apiVersion).toBe("apps/v1");
    expect(entry.fieldsV1).toMatchObject({ "f:spec": { "f:replicas": {}, "f:template": expect.any(Object) } });
    const rv = (parseYaml(first) as { metadata: { resourceVersion: string; generation: number } }).metadata;

    // The same configuration again changes nothing: same version, same generation.
    expect(await kubectl.ok(["apply", "--server-side", "-f", p])).toMatch(/serverside-applied/);
    const again = (
      parseYaml(await kubectl.ok(["get", "deploy", "nginx-deployment", "-o", "yaml"])) as { metadata: typeof rv }
    ).metadata;
    expect(again.resourceVersion).toBe(rv.resourceVersion);
    expect(again.generation).toBe(rv.generation);

    // A second manager changing replicas conflicts with kubectl's ownership, and stores nothing.
    const hpa = kubectl.file("replicas.yaml", docsDeployment(5));
    const conflict = await kubectl.run(["apply", "--server-side", "--field-manager=autoscaler", "-f", hpa]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toMatch(/Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/);
    expect(await kubectl.ok(["get", "deploy", "nginx-deployment", "-o", "jsonpath={.spec.replicas}"])).toBe("3");

    const forced = await kubectl.ok([
      "apply",
      "--server-side",
      "--field-manager=autoscaler",
      "--force-conflicts",
      "-f",
      hpa,
    ]);
    expect(forced).toMatch(/serverside-applied/);
    const after = await kubectl.ok(["get", "deploy", "nginx-deployment", "-o", "yaml", "--show-managed-fields"]);
    expect((parseYaml(after) as { spec: { replicas: number } }).spec.replicas).toBe(5);
    expect(managersOf(after).sort()).toEqual(["autoscaler/Apply", "kubectl/Apply"]);
    const entries = (parseYaml(after) as { metadata: { managedFields: Entry[] } }).metadata.managedFields;
    const kubectlSpec = entries.find((e) => e.manager === "kubectl")?.fieldsV1["f:spec"] as Record<string, unknown>;
    expect(kubectlSpec["f:replicas"]).toBeUndefined(); // forced: the ownership moved
    // Without --show-managed-fields kubectl hides them, as from Kubernetes.
    expect(await kubectl.ok(["get", "deploy", "nginx-deployment", "-o", "yaml"])).not.toMatch(/managedFields/);
  });

  it("records Update entries for non-apply writes (kubectl scale through /scale, label)", async () => {
    await kubectl.ok(["scale", "deploy", "nginx-deployment", "--replicas=2"]);
    await kubectl.ok(["label", "deploy", "nginx-deployment", "tier=web"]);
    const y = await kubectl.ok(["get", "deploy", "nginx-deployment", "-o", "yaml", "--show-managed-fields"]);
    const managers = managersOf(y);
    // kubectl scale names no manager: the User-Agent's prefix is the manager, as upstream.
    expect(managers).toContain("kubectl/Update/scale");
    expect(managers).toContain("kubectl-label/Update");
    // The scaler now owns replicas: the autoscaler's apply of 5 conflicts with it.
    const conflict = await kubectl.run([
      "apply",
      "--server-side",
      "--field-manager=autoscaler",
      "-f",
      kubectl.file("replicas2.yaml", docsDeployment(4)),
    ]);
    expect(conflict.stderr).toMatch(
      /conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas/,
    );
  });

  it("applies a Secret (stringData) and a LimitRange server-side, again without a new version", async () => {
    const p = kubectl.file(
      "more.yaml",
      `apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: s3cret
---
apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
spec:
  limits:
  - type: Container
    max:
      cpu: "2"
`,
    );
    const out = await kubectl.ok(["apply", "--server-side", "-f", p]);
    expect(out).toMatch(/secret\/db serverside-applied/);
    expect(out).toMatch(/limitrange\/defaults serverside-applied/);
    expect(await kubectl.ok(["get", "secret", "db", "-o", "jsonpath={.data.password}"])).toBe(
      Buffer.from("s3cret").toString("base64"),
    );
    const rv = await kubectl.ok(["get", "limits", "defaults", "-o", "jsonpath={.metadata.resourceVersion}"]);
    await kubectl.ok(["apply", "--server-side", "-f", p]);
    expect(await kubectl.ok(["get", "limits", "defaults", "-o", "jsonpath={.metadata.resourceVersion}"])).toBe(rv);
    expect(managersOf(await kubectl.ok(["get", "limits", "defaults", "-o", "yaml", "--show-managed-fields"]))).toEqual([
      "kubectl/Apply",
    ]);
  });

  it("applies a ConfigMap server-side: create, change, and a missing fieldManager is refused", async () => {
    const cm = (v: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: game-config
data:
  lives: "${v}"
  mode: easy
`;
    const p = kubectl.file("cm.yaml", cm("3"));
    expect(await kubectl.ok(["apply", "--server-side", "-f", p])).toMatch(/configmap\/game-config serverside-applied/);
    kubectl.file("cm.yaml", cm("5"));
    await kubectl.ok(["apply", "--server-side", "-f", p]);
    const y = await kubectl.ok(["get", "cm", "game-config", "-o", "yaml", "--show-managed-fields"]);
    const obj = parseYaml(y) as { data: Record<string, string>; metadata: { managedFields: Entry[] } };
    expect(obj.data).toEqual({ lives: "5", mode: "easy" });
    expect(managersOf(y)).toEqual(["kubectl/Apply"]);
    expect(obj.metadata.managedFields[0]?.fieldsV1).toEqual({ "f:data": { "f:lives": {}, "f:mode": {} } });
    // Dropping a key from the configuration removes it (the applier owned it).
    kubectl.file("cm.yaml", cm("5").replace("  mode: easy\n", ""));
    await kubectl.ok(["apply", "--server-side", "-f", p]);
    expect(await kubectl.ok(["get", "cm", "game-config", "-o", "jsonpath={.data}"])).toBe('{"lives":"5"}');

    // In-process: an apply without fieldManager is refused, as kube-apiserver refuses it.
    const res = await f.handler(
      new Request(`https://kube.test/api/v1/namespaces/${ns}/configmaps/other`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${f.tokens.a}`, "content-type": "application/apply-patch+yaml" },
        body: cm("1"),
      }),
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/fieldManager: Required value/);
  });

  it("labels, annotates and applies a namespace (its metadata only), dry runs store nothing, others are refused", async () => {
    expect(await kubectl.ok(["label", "namespace", ns, "team=web"])).toMatch(/labeled/);
    expect(await kubectl.ok(["annotate", "namespace", ns, "owner=ops"])).toMatch(/annotated/);
    const got = parseYaml(await kubectl.ok(["get", "namespace", ns, "-o", "yaml"])) as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    };
    expect(got.metadata.labels).toMatchObject({ team: "web", "kubernetes.io/metadata.name": ns });
    expect(got.metadata.annotations).toMatchObject({ owner: "ops" });
    const p = kubectl.file(
      "ns.yaml",
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    tier: front\n`,
    );
    expect(await kubectl.ok(["apply", "--server-side", "-f", p])).toMatch(/serverside-applied/);
    expect(await kubectl.ok(["label", "namespace", ns, "team=api", "--overwrite", "--dry-run=server"])).toMatch(
      /labeled/,
    );
    const after = parseYaml(await kubectl.ok(["get", "namespace", ns, "-o", "yaml", "--show-managed-fields"])) as {
      metadata: { labels: Record<string, string>; managedFields: Entry[] };
    };
    expect(after.metadata.labels).toMatchObject({ team: "web", tier: "front", "kubernetes.io/metadata.name": ns });
    // As upstream: writes to an object nobody has applied are not tracked; the first apply gives
    // what was there to "before-first-apply", and later writes record their managers.
    expect(after.metadata.managedFields.map((e) => e.manager).sort()).toEqual(["before-first-apply", "kubectl"]);
    await kubectl.ok(["label", "namespace", ns, "team=api", "--overwrite"]);
    const relabeled = parseYaml(await kubectl.ok(["get", "namespace", ns, "-o", "yaml", "--show-managed-fields"])) as {
      metadata: { labels: Record<string, string>; managedFields: Entry[] };
    };
    expect(relabeled.metadata.labels.team).toBe("api");
    expect(relabeled.metadata.managedFields.map((e) => e.manager)).toContain("kubectl-label");
    const viewer = kubectlAs(f, f.tokens.aViewer, ns);
    expect((await viewer.run(["label", "namespace", ns, "x=y"])).stderr).toMatch(/Forbidden/);
    const other = kubectlAs(f, f.tokens.b, f.tenants.b.namespace);
    expect((await other.run(["label", "namespace", ns, "x=y"])).stderr).toMatch(/Forbidden|NotFound|not found/);
  });
});
