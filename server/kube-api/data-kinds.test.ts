/**
 * ConfigMaps, Secrets and LimitRanges with the real kubectl: created from manifests and by
 * kubectl's own generators, read back, patched, replaced at a stale version (refused), deleted;
 * a viewer does not read Secrets (as Kubernetes' `view` role); a LimitRange's defaults reach a
 * deployment created after it. Skipped when kubectl is not installed.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeFixture, startKubeFixture } from "./testing/fixture";

const KUBECTL = "/usr/bin/kubectl";
const exec = promisify(execFile);
let f: KubeFixture;
let kc: string;
let kcViewer: string;
let ns: string;

async function kubectl(
  kubeconfig: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cache = mkdtempSync(path.join(f.dir, "cache-"));
  try {
    const r = await exec(
      KUBECTL,
      ["--kubeconfig", kubeconfig, "--cache-dir", cache, "--request-timeout", "20s", ...args],
      {
        timeout: 25_000,
        env: { PATH: process.env.PATH ?? "", HOME: f.dir } as unknown as NodeJS.ProcessEnv,
      },
    );
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : 1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}
async function ok(kubeconfig: string, ...args: string[]): Promise<string> {
  const r = await kubectl(kubeconfig, ...args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}
function file(name: string, content: unknown): string {
  const p = path.join(f.dir, name);
  writeFileSync(p, JSON.stringify(content));
  return p;
}

beforeAll(async () => {
  if (!existsSync(KUBECTL)) return;
  f = await startKubeFixture();
  ns = f.tenants.a.namespace;
  kc = f.kubeconfig(f.tokens.a, ns);
  kcViewer = f.kubeconfig(f.tokens.aViewer, ns);
}, 60_000);
afterAll(async () => f?.close());

describe.skipIf(!existsSync(KUBECTL))("ConfigMaps, Secrets and LimitRanges with kubectl", () => {
  it("a ConfigMap: apply, get, patch, a stale replace refused, delete", async () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { mode: "demo" } };
    expect(await ok(kc, "apply", "-f", file("cm.json", cm))).toMatch(/configmap\/settings created/);
    expect(await ok(kc, "get", "cm")).toMatch(/^NAME\s+DATA\s+AGE\n(.*\n)*settings\s+1\s+/m);
    expect(await ok(kc, "patch", "cm", "settings", "--type", "merge", "-p", '{"data":{"level":"3"}}')).toMatch(
      /patched/,
    );
    const got = JSON.parse(await ok(kc, "get", "cm", "settings", "-o", "json"));
    expect(got.data).toEqual({ mode: "demo", level: "3" });
    // The copy read before the patch is stale: replace refuses it, nothing changes.
    const stale = file("stale.json", { ...cm, metadata: { name: "settings", resourceVersion: "1" } });
    expect((await kubectl(kc, "replace", "-f", stale)).stderr).toMatch(/Conflict|has been modified/);
    expect(JSON.parse(await ok(kc, "get", "cm", "settings", "-o", "json")).data).toEqual({ mode: "demo", level: "3" });
    expect(await ok(kc, "create", "configmap", "literal", "--from-literal", "a=1")).toMatch(
      /configmap\/literal created/,
    );
    expect(await ok(kc, "delete", "cm", "settings", "literal")).toMatch(/deleted/);
    expect(await ok(kc, "get", "cm", "-o", "name")).toBe("");
  });

  it("a Secret: created with kubectl's generator, shown base64 to members, hidden from viewers", async () => {
    expect(await ok(kc, "create", "secret", "generic", "db", "--from-literal", "password=s3cret")).toMatch(
      /secret\/db created/,
    );
    expect(await ok(kc, "get", "secret", "db", "-o", "jsonpath={.data.password}")).toBe(
      Buffer.from("s3cret").toString("base64"),
    );
    expect(await ok(kc, "get", "secrets")).toMatch(/db\s+Opaque\s+1\s+/);
    const viewer = await kubectl(kcViewer, "get", "secrets");
    expect(viewer.code).not.toBe(0);
    expect(viewer.stderr).toMatch(/Forbidden/);
    expect((await kubectl(kcViewer, "auth", "can-i", "get", "secrets")).stdout.trim()).toBe(
      "no - viewers do not read secrets",
    );
    expect((await kubectl(kcViewer, "auth", "can-i", "get", "configmaps")).stdout.trim()).toBe("yes");
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
    expect(await ok(kc, "apply", "-f", file("lr.json", lr))).toMatch(/limitrange\/defaults created/);
    expect(await ok(kc, "get", "limits")).toMatch(/defaults/);
    await ok(kc, "create", "deployment", "limited", "--image", "nginx:1.27");
    const resources = JSON.parse(
      await ok(kc, "get", "deploy", "limited", "-o", "jsonpath={.spec.template.spec.containers[0].resources}"),
    );
    expect(resources).toMatchObject({ requests: { cpu: "200m" }, limits: { cpu: "500m" } });
    const big = await kubectl(
      kc,
      "create",
      "-f",
      file("big.json", {
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
    );
    expect(big.stderr).toMatch(/maximum cpu usage per Container is 1, but limit is 2/);
    expect(await ok(kc, "delete", "limitrange", "defaults")).toMatch(/deleted/);
  });
});
