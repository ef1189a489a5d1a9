/**
 * ConfigMaps, Secrets and LimitRanges with the real kubectl: created from manifests and by
 * kubectl's own generators, read back, patched, replaced at a stale version (refused), deleted;
 * a viewer does not read Secrets (as Kubernetes' `view` role); a LimitRange's defaults reach a
 * deployment created after it. Skipped when kubectl is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";
import { hasKubectl, kubectlAs, type KubectlRunner } from "./testing/kubectl";

let f: KubeFixture;
/** kubectl as tenant A's owner, and as its viewer. */
let owner: KubectlRunner;
let viewer: KubectlRunner;
let ns: string;

beforeAll(async () => {
  if (!hasKubectl) return;
  f = await startKubeFixture();
  ns = f.tenants.a.namespace;
  owner = kubectlAs(f, f.tokens.a, ns);
  viewer = kubectlAs(f, f.tokens.aViewer, ns);
}, 60_000);
afterAll(async () => f?.close());

describe.skipIf(!hasKubectl)("ConfigMaps, Secrets and LimitRanges with kubectl", () => {
  it("a ConfigMap: apply, get, patch, a stale replace refused, delete", async () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { mode: "demo" } };
    expect(await owner.ok(["apply", "-f", owner.file("cm.json", cm)])).toMatch(/configmap\/settings created/);
    expect(await owner.ok(["get", "cm"])).toMatch(/^NAME\s+DATA\s+AGE\n(.*\n)*settings\s+1\s+/m);
    expect(await owner.ok(["patch", "cm", "settings", "--type", "merge", "-p", '{"data":{"level":"3"}}'])).toMatch(
      /patched/,
    );
    const got = JSON.parse(await owner.ok(["get", "cm", "settings", "-o", "json"]));
    expect(got.data).toEqual({ mode: "demo", level: "3" });
    // The copy read before the patch is stale: replace refuses it, nothing changes.
    const stale = owner.file("stale.json", { ...cm, metadata: { name: "settings", resourceVersion: "1" } });
    expect((await owner.run(["replace", "-f", stale])).stderr).toMatch(/Conflict|has been modified/);
    expect(JSON.parse(await owner.ok(["get", "cm", "settings", "-o", "json"])).data).toEqual({
      mode: "demo",
      level: "3",
    });
    expect(await owner.ok(["create", "configmap", "literal", "--from-literal", "a=1"])).toMatch(
      /configmap\/literal created/,
    );
    expect(await owner.ok(["delete", "cm", "settings", "literal"])).toMatch(/deleted/);
    expect(await owner.ok(["get", "cm", "-o", "name"])).toBe("");
  });

  it("a Secret: created with kubectl's generator, shown base64 to members, hidden from viewers", async () => {
    expect(await owner.ok(["create", "secret", "generic", "db", "--from-literal", "password=s3cret"])).toMatch(
      /secret\/db created/,
    );
    expect(await owner.ok(["get", "secret", "db", "-o", "jsonpath={.data.password}"])).toBe(
      Buffer.from("s3cret").toString("base64"),
    );
    expect(await owner.ok(["get", "secrets"])).toMatch(/db\s+Opaque\s+1\s+/);
    const hidden = await viewer.run(["get", "secrets"]);
    expect(hidden.code).not.toBe(0);
    expect(hidden.stderr).toMatch(/Forbidden/);
    expect((await viewer.run(["auth", "can-i", "get", "secrets"])).stdout.trim()).toBe(
      "no - viewers do not read secrets",
    );
    expect((await viewer.run(["auth", "can-i", "get", "configmaps"])).stdout.trim()).toBe("yes");
  });

  it("a LimitRange's defaults reach a deployment made after it; a pod over its max is refused", async () => {
    const lr = {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "defaults" },
      spec: {
        limits: [{ type: "Container", default: { cpu: "500m" }, defaultRequest: { cpu: "200m" }, max: { cpu: "1" } }],
      },
    };
    expect(await owner.ok(["apply", "-f", owner.file("lr.json", lr)])).toMatch(/limitrange\/defaults created/);
    expect(await owner.ok(["get", "limits"])).toMatch(/defaults/);
    await owner.ok(["create", "deployment", "limited", "--image", "nginx:1.27"]);
    const resources = JSON.parse(
      await owner.ok(["get", "deploy", "limited", "-o", "jsonpath={.spec.template.spec.containers[0].resources}"]),
    );
    expect(resources).toMatchObject({ requests: { cpu: "200m" }, limits: { cpu: "500m" } });
    const big = await owner.run([
      "create",
      "-f",
      owner.file("big.json", {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "big" },
        spec: {
          selector: { matchLabels: { app: "big" } },
          template: {
            metadata: { labels: { app: "big" } },
            spec: { containers: [{ name: "c", image: "nginx:1.27", resources: { limits: { cpu: "2" } } }] },
          },
        },
      }),
    ]);
    expect(big.stderr).toMatch(/maximum cpu usage per Container is 1, but limit is 2/);
    expect(await owner.ok(["delete", "limitrange", "defaults"])).toMatch(/deleted/);
  });
});
