/**
 * The Services pages' data through the API, on the real database store: services made from
 * YAML are listed with kubectl's columns (a ClusterIP from the tenant's service range, a
 * LoadBalancer's EXTERNAL-IP `<pending>`), follow the namespace and come in pages; a service's
 * detail carries its endpoints (the selected pods' addresses, ready), its DNS name and the
 * forwarding rows to those endpoints; delete needs the member role and honours a
 * resourceVersion; bad input is BAD_REQUEST with the field, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import { joinByInvitation } from "@/server/testing/join";

let h: Harness;
let owner: TestUser;
let viewer: TestUser;
const ns = "svc-shop";
const extra = "svc-shop-extra";

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ name: http, containerPort: 8080 }]
`;
/** A pod whose readiness probe never passes: Running, never ready. */
const neverReady = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: slow
  namespace: ${ns}
spec:
  replicas: 1
  selector:
    matchLabels: { app: slow }
  template:
    metadata:
      labels: { app: slow }
    spec:
      containers:
        - name: slow
          image: nginx:1.27
          ports: [{ name: http, containerPort: 8080 }]
          env: [{ name: SIM_READY_AFTER_SECONDS, value: never }]
          readinessProbe: { httpGet: { path: /, port: http }, periodSeconds: 5 }
`;
const service = (name: string, namespace: string, extraSpec = "") => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
${extraSpec}`;

beforeAll(async () => {
  h = await createHarness();
  await h.signUp("ops@svc.test");
  owner = await h.signUp("owner@svc.test");
  viewer = await h.signUp("viewer@svc.test");
  const tenant = await (await owner.caller()).tenants.create({ name: "Svc Shop", slug: ns });
  await joinByInvitation(await owner.caller(), viewer, "viewer");
  await (await viewer.caller()).tenants.switch({ id: tenant.id });
  const c = await owner.caller();
  await c.namespaces.create({ name: extra });
  const { results } = await c.manifests.applyYaml({
    yaml: [
      deployment,
      service("web", ns),
      service("web-public", ns, "  type: LoadBalancer\n"),
      service("lonely", extra),
      neverReady,
      service("slow", ns).replace("app: web", "app: slow"),
    ].join("---\n"),
  });
  expect(results.map((r) => r.outcome)).toEqual(["created", "created", "created", "created", "created", "created"]);
  await h.services.engine.settle();
}, 60_000);
afterAll(async () => h.close());

describe("services", () => {
  it("lists services with their type, ClusterIP, EXTERNAL-IP and ports", async () => {
    const { items } = await (await viewer.caller()).services.list({});
    expect(items.map((s) => [s.namespace, s.name, s.type, s.externalIP])).toEqual([
      [extra, "lonely", "ClusterIP", "<none>"],
      [ns, "slow", "ClusterIP", "<none>"],
      [ns, "web", "ClusterIP", "<none>"],
      [ns, "web-public", "LoadBalancer", "<pending>"],
    ]);
    for (const s of items) expect(s.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(new Set(items.map((s) => s.clusterIP)).size).toBe(4);
    expect(items.find((s) => s.name === "web")).toMatchObject({
      ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: "http" }],
      selector: { app: "web" },
      sessionAffinity: "None",
    });
  });

  it("follows the namespace and pages", async () => {
    const c = await viewer.caller();
    expect((await c.services.list({ namespace: extra })).items.map((s) => s.name)).toEqual(["lonely"]);
    const first = await c.services.list({ namespace: ns, limit: 2 });
    expect(first.items.map((s) => s.name)).toEqual(["slow", "web"]);
    const second = await c.services.list({ namespace: ns, limit: 2, cursor: first.nextCursor });
    expect(second.items.map((s) => s.name)).toEqual(["web-public"]);
    expect(second.nextCursor).toBeUndefined();
    await expect(c.services.list({ namespace: "no-such-ns" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("shows a service's ready endpoints, DNS name and forwarding rows", async () => {
    const c = await viewer.caller();
    const pods = (await c.pods.list({ namespace: ns })).items.filter((p) => p.name.startsWith("web-"));
    expect(pods).toHaveLength(2);
    const detail = await c.services.get({ name: "web", namespace: ns });
    expect(detail.dnsName).toBe(`web.${ns}.svc.cluster.local`);
    expect(detail.endpoints.map((e) => [e.pod, e.address, e.ready]).sort()).toEqual(
      pods.map((p) => [p.name, p.podIP, true]).sort(),
    );
    expect(detail.endpointPorts).toEqual([{ name: "http", protocol: "TCP", port: 8080 }]);
    expect(detail.forwarding).toEqual([
      expect.objectContaining({ address: detail.clusterIP, port: 80, protocol: "TCP", portName: "http" }),
    ]);
    expect([...(detail.forwarding[0]?.backends ?? [])].sort()).toEqual(pods.map((p) => `${p.podIP}:8080`).sort());
    const lonely = await c.services.get({ name: "lonely", namespace: extra });
    expect(lonely.endpoints).toEqual([]);
  });

  it("lists a pod that is not ready as a not-ready endpoint, with no forwarding backend", async () => {
    const c = await viewer.caller();
    const slow = await c.services.get({ name: "slow", namespace: ns });
    expect(slow.endpoints).toEqual([expect.objectContaining({ ready: false, terminating: false })]);
    expect(slow.endpoints[0]?.pod).toMatch(/^slow-/);
    expect(slow.forwarding).toEqual([expect.objectContaining({ port: 80, backends: [] })]);
  });

  it("answers NOT_FOUND for a service that is not there and BAD_REQUEST for bad input", async () => {
    const c = await viewer.caller();
    await expect(c.services.get({ name: "nope", namespace: ns })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(c.services.get({ name: "Not_A_Name" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { issues: [expect.objectContaining({ path: ["name"] })] },
    });
    await expect(c.services.list({ limit: 0 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(c.services.get({ name: "web", extra: 1 } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("deletes with the member role, refusing a stale resourceVersion and viewers", async () => {
    const target = { name: "lonely", namespace: extra };
    await expect((await viewer.caller()).services.delete(target)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const c = await owner.caller();
    const listed = await c.services.get(target);
    await c.manifests.applyYaml({ yaml: service("lonely", extra).replace("app: web", "app: other") });
    await expect(c.services.delete({ ...target, resourceVersion: listed.resourceVersion })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await c.services.delete(target);
    await expect(c.services.get(target)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(c.services.delete(target)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
