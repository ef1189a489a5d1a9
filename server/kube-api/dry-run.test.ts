/**
 * dryRun=All for every write, with real kubectl's --dry-run=server: namespaces, config maps,
 * secrets, limit ranges, node cordon, pod delete and eviction (drain), deployment scale and
 * delete. Each is checked as the write would be (refusals are the write's own) and stores nothing.
 * Skipped without kubectl.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";
import { hasKubectl, kubectlAs, type KubectlRunner } from "./testing/kubectl";

let f: KubeFixture;
let kubectl: KubectlRunner;
let ns: string;

const DRY = "--dry-run=server";

describe.skipIf(!hasKubectl)("dry runs with real kubectl", () => {
  beforeAll(async () => {
    f = await startKubeFixture();
    ns = f.tenants.a.namespace;
    kubectl = kubectlAs(f, f.tokens.a, ns);
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  const revision = () => f.h.services.engine.currentRevision();
  // The engine at rest first, so that any new revision would be a dry run's.
  const settled = async () => {
    await f.h.services.engine.settle(60_000);
    return revision();
  };

  it("namespaces, config maps, secrets and limit ranges: answered, refused as the write, never stored", async () => {
    const rev = await settled();
    expect(await kubectl.ok(["create", "namespace", "dry-ns", DRY])).toMatch(
      /namespace\/dry-ns created \(server dry run\)/,
    );
    const reserved = await kubectl.run(["create", "namespace", "kube-dry", DRY]);
    expect(reserved.stderr).toMatch(/reserved for the system/);
    expect(await kubectl.ok(["create", "configmap", "dry-cm", "--from-literal=a=1", DRY, "-o", "json"])).toMatch(
      /"name": "dry-cm"/,
    );
    expect(await kubectl.ok(["create", "secret", "generic", "dry-s", "--from-literal=p=x", DRY])).toMatch(
      /secret\/dry-s created \(server dry run\)/,
    );
    const lr = kubectl.file(
      "lr.json",
      JSON.stringify({
        apiVersion: "v1",
        kind: "LimitRange",
        metadata: { name: "dry-lr" },
        spec: { limits: [{ type: "Container", max: { cpu: "1" }, default: { cpu: "2" } }] },
      }),
    );
    // Validated as the real create: a default above max is refused.
    expect((await kubectl.run(["apply", "-f", lr, DRY])).stderr).toMatch(/default value 2 is greater than max value 1/);
    expect(revision()).toBe(rev);
    for (const what of [
      ["ns", "dry-ns"],
      ["cm", "dry-cm"],
      ["secret", "dry-s"],
      ["limits", "dry-lr"],
    ])
      expect((await kubectl.run(["get", ...what])).stderr).toMatch(/NotFound|Forbidden/);

    await kubectl.ok(["create", "configmap", "real-cm", "--from-literal=a=1"]);
    expect((await kubectl.run(["create", "configmap", "real-cm", "--from-literal=a=2", DRY])).stderr).toMatch(
      /already exists/,
    );
    const afterCreate = revision();
    expect(await kubectl.ok(["delete", "configmap", "real-cm", DRY])).toMatch(/deleted \(server dry run\)/);
    expect(await kubectl.ok(["label", "configmap", "real-cm", "x=y", DRY])).toMatch(/labeled/);
    expect(await kubectl.ok(["get", "cm", "real-cm", "-o", "jsonpath={.metadata.labels}"])).toBe("");
    expect(revision()).toBe(afterCreate);
  });

  it("a deployment's dry run is admitted as its create: quota refuses it, a fitting one answers", async () => {
    const engine = f.h.services.engine;
    await engine.setQuota(f.tenants.a.id, { pods: 4 });
    try {
      const rev = await settled();
      const big = await kubectl.run(["create", "deployment", "big", "--image=nginx:1.27", "--replicas=5", DRY]);
      expect(big.stderr).toMatch(/exceeded quota: tenant-quota, requested: pods=5/);
      expect(
        await kubectl.ok([
          "create",
          "deployment",
          "small",
          "--image=nginx:1.27",
          "--replicas=1",
          DRY,
          "-o",
          "jsonpath={.spec.replicas}",
        ]),
      ).toBe("1");
      expect((await kubectl.run(["get", "deploy", "small"])).stderr).toMatch(/NotFound/);
      expect(revision()).toBe(rev);
    } finally {
      await engine.setQuota(f.tenants.a.id, {});
    }
  });

  it("deployment scale and delete, pod delete, node cordon and drain's evictions: nothing changes", async () => {
    const rev = await settled();
    expect(await kubectl.ok(["scale", "deploy", "web", "--replicas=5", DRY])).toMatch(/scaled \(server dry run\)/);
    expect(await kubectl.ok(["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"])).toBe("2");
    expect(await kubectl.ok(["delete", "deploy", "web", DRY])).toMatch(/deleted \(server dry run\)/);
    const pod = (await kubectl.ok(["get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}"])).trim();
    expect(await kubectl.ok(["delete", "pod", pod, DRY])).toMatch(/deleted \(server dry run\)/);
    const node = (await kubectl.ok(["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"])).trim();
    expect(await kubectl.ok(["cordon", node, DRY])).toMatch(/cordoned \(server dry run\)/);
    expect(await kubectl.ok(["get", "node", node, "-o", "jsonpath={.spec.unschedulable}"])).toBe("");
    const drain = await kubectl.ok(["drain", node, "--ignore-daemonsets", DRY]);
    expect(drain).toMatch(/evicting pod .* \(server dry run\)/);
    expect(drain).toMatch(/drained \(server dry run\)/);
    expect(revision()).toBe(rev);
    const pods = await kubectl.ok([
      "get",
      "pods",
      "-l",
      "app=web",
      "-o",
      "jsonpath={.items[*].metadata.deletionTimestamp}",
    ]);
    expect(pods.trim()).toBe("");
    // A tenant's dry run is still the tenant's: another's namespace is refused as the write would be.
    expect(
      (await kubectl.run(["create", "configmap", "x", "-n", f.tenants.b.namespace, "--from-literal=a=1", DRY])).stderr,
    ).toMatch(/forbidden: User .* cannot create resource "configmaps"/);
  });
});
