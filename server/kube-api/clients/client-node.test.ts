/**
 * The official JavaScript client (@kubernetes/client-node) against the HTTPS listener, with the
 * kubeconfig the console hands out: list with paging, an Informer following pods, create,
 * patch and delete of a deployment, and another tenant's namespace refused.
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeFixture, startKubeFixture } from "../testing/fixture";

let f: KubeFixture;
let kc: k8s.KubeConfig;
let ns: string;

beforeAll(async () => {
  f = await startKubeFixture();
  ns = f.tenants.a.namespace;
  kc = new k8s.KubeConfig();
  kc.loadFromFile(f.kubeconfig(f.tokens.a, ns));
}, 60_000);
afterAll(async () => f?.close());

/** Resolves when `check` holds, driving the engine's virtual clock meanwhile (rejects after 15 s of real time). */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await f.h.services.engine.settle(60_000);
    await new Promise((r) => setTimeout(r, 20)); // let the client's requests and watch events in between clock steps
  }
}

const deployment = (name: string): k8s.V1Deployment => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, labels: { app: name } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: "web", image: "nginx:1.27", ports: [{ containerPort: 80 }] }] },
    },
  },
});

describe("@kubernetes/client-node", () => {
  it("lists pods in pages of one, each page at the first page's resourceVersion", async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const first = await core.listNamespacedPod({ namespace: ns, limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.metadata?._continue).toMatch(/^\S+$/);
    const second = await core.listNamespacedPod({ namespace: ns, limit: 1, _continue: first.metadata?._continue });
    expect(second.items).toHaveLength(1);
    expect(second.items[0]?.metadata?.name).not.toBe(first.items[0]?.metadata?.name);
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
  });

  it("creates, patches and deletes a deployment, and an Informer sees its pods come and go", async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const seen = new Map<string, k8s.V1Pod>();
    const informer = k8s.makeInformer(
      kc,
      `/api/v1/namespaces/${ns}/pods`,
      () => core.listNamespacedPod({ namespace: ns, labelSelector: "app=api" }),
      "app=api",
    );
    informer.on("add", (pod) => seen.set(pod.metadata?.name ?? "", pod));
    informer.on("delete", (pod) => seen.delete(pod.metadata?.name ?? ""));
    await informer.start();
    try {
      const created = await apps.createNamespacedDeployment({ namespace: ns, body: deployment("api") });
      expect(created.metadata?.uid).toMatch(/^dep-/);
      await until(() => seen.size === 2, "the informer to see two pods");

      const patched = await apps.patchNamespacedDeployment(
        { name: "api", namespace: ns, body: { spec: { replicas: 3 } } },
        k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
      );
      expect(patched.spec?.replicas).toBe(3);
      await until(() => seen.size === 3, "the third pod");

      await apps.deleteNamespacedDeployment({ name: "api", namespace: ns });
      await until(() => seen.size === 0, "the pods to go");
      await expect(apps.readNamespacedDeployment({ name: "api", namespace: ns })).rejects.toMatchObject({ code: 404 });
    } finally {
      await informer.stop();
    }
  });

  it("is refused another tenant's namespace", async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await expect(core.listNamespacedPod({ namespace: f.tenants.b.namespace })).rejects.toMatchObject({ code: 403 });
  });
});
