/**
 * The Networks page's data through the API, on the real database store: the tenant's VPC and
 * subnets with their address use (every running pod holds one address; the namespaces listed are
 * the tenant's own), and the connectivity check: pod to pod and pod to service delivered along
 * the private path with every filter in the trace, an address no pod holds dropped with the
 * no-route reason, another tenant's pods NOT_FOUND (from or to), bad input BAD_REQUEST at its field;
 * the tenant's subnets: created for a namespace (its new pods take addresses there), refused at the
 * field, edited with a precondition, their deletion refused while a pod holds an address.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";

let h: Harness;
let owner: TestUser;
let other: TestUser;
const ns = "net-shop";
const otherNs = "net-elsewhere";

const app = (namespace: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${namespace}
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
          ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${namespace}
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
`;

type Pod = { name: string; namespace: string; podIP?: string };
let pods: Pod[];
/** Tenant A's two pods, and one of tenant B's. */
let a: Pod;
let b: Pod;
let foreign: Pod;

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

beforeAll(async () => {
  h = await createHarness();
  await h.signUp("ops@net.test");
  owner = await h.signUp("owner@net.test");
  other = await h.signUp("other@net.test");
  await (await owner.caller()).tenants.create({ name: "Net Shop", slug: ns });
  await (await other.caller()).tenants.create({ name: "Elsewhere", slug: otherNs });
  for (const [user, namespace] of [
    [owner, ns],
    [other, otherNs],
  ] as const) {
    const { results } = await (await user.caller()).manifests.applyYaml({ yaml: app(namespace) });
    expect(results.map((r) => r.outcome)).toEqual(["created", "created"]);
  }
  await h.services.engine.settle();
  pods = (await (await owner.caller()).pods.list({})).items;
  expect(pods).toHaveLength(2);
  [a, b] = [must(pods[0], "a pod"), must(pods[1], "a second pod")];
  foreign = must((await (await other.caller()).pods.list({})).items[0], "a pod of tenant B");
}, 60_000);
afterAll(async () => h.close());

const ref = (p: Pod) => ({ pod: p.name, namespace: p.namespace });

describe("the tenant network", () => {
  it("shows the VPC, the service range and the subnet's address use", async () => {
    const net = await (await owner.caller()).networks.get({});
    expect(net.vpc.cidr).toBe("10.0.0.0/16");
    expect(net.serviceCidr).toBe("10.96.0.0/16");
    expect(net.dnsSuffix).toBe("svc.cluster.local");
    expect(net.subnets.length).toBeGreaterThan(0);
    const subnet = must(net.subnets[0], "a subnet");
    expect(subnet.namespaces).toContain(ns);
    expect(subnet.namespaces).not.toContain(otherNs);
    expect(subnet.used).toBe(pods.length);
    expect(subnet.used + subnet.held + subnet.free).toBe(subnet.total);
  });
});

describe("the connectivity check", () => {
  it("delivers pod to pod inside the private network, with every filter traced", async () => {
    const c = await owner.caller();
    const r = await c.networks.check({
      from: ref(a),
      to: ref(b),
      protocol: "tcp",
      port: 80,
    });
    expect(r).toMatchObject({
      verdict: "delivered",
      path: "private",
      source: { pod: a.name, namespace: ns, ip: a.podIP },
      destination: { ip: b.podIP, pod: b.name },
    });
    expect(r.trace.map((s) => s.stage)).toContain("route");
    expect(r.trace.every((s) => s.outcome !== "dropped")).toBe(true);
  });

  it("delivers pod to service, to one of its endpoints", async () => {
    const r = await (await owner.caller()).networks.check({
      from: ref(a),
      to: { service: "web", namespace: ns },
      protocol: "tcp",
      port: 80,
    });
    expect(r.verdict).toBe("delivered");
    expect(r.destination.service).toContain("web");
    expect(pods.map((p) => p.name)).toContain(r.destination.pod);
  });

  it("drops traffic to an address no pod holds, saying there is no route", async () => {
    const r = await (await owner.caller()).networks.check({
      from: ref(a),
      to: { address: "10.0.0.250" },
      protocol: "tcp",
      port: 80,
    });
    expect(r).toMatchObject({ verdict: "dropped", reason: { code: "no-route" } });
    expect(r.message).toContain("10.0.0.250");
    expect(r.trace.some((s) => s.outcome === "dropped")).toBe(true);
  });

  it("never reaches another tenant's pods: NOT_FOUND from or to them", async () => {
    const c = await owner.caller();
    await expect(c.networks.check({ from: ref(a), to: ref(foreign), protocol: "tcp", port: 80 })).rejects.toMatchObject(
      { code: "NOT_FOUND" },
    );
    await expect(c.networks.check({ from: ref(foreign), to: ref(a), protocol: "tcp", port: 80 })).rejects.toMatchObject(
      { code: "NOT_FOUND" },
    );
    await expect(
      c.networks.check({
        from: ref(a),
        to: { service: "web", namespace: otherNs },
        protocol: "tcp",
        port: 80,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses bad input at its field, never a 500", async () => {
    const c = await owner.caller();
    const from = ref(a);
    const refused = (input: unknown, path: (string | number)[]) =>
      expect(c.networks.check(input as never)).rejects.toMatchObject({
        code: "BAD_REQUEST",
        cause: { issues: [expect.objectContaining({ path })] },
      });
    await refused({ from, to: { address: "10.0.0.7" }, protocol: "tcp" }, ["port"]);
    await refused({ from, to: { address: "10.0.0.7" }, protocol: "tcp", port: 70000 }, ["port"]);
    await refused({ from, to: { address: "10.0.0.7" }, protocol: "gre", port: 1 }, ["protocol"]);
    await refused({ from: { pod: "" }, to: { address: "10.0.0.7" }, protocol: "tcp", port: 1 }, ["from", "pod"]);
    await expect(
      c.networks.check({ from, to: { address: "10.0.0.300" }, protocol: "tcp", port: 80 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(c.networks.get({ extra: 1 } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("drops what a NetworkPolicy forbids, naming the policy (the same tables the model enforces)", async () => {
    const c = await owner.caller();
    const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-deny-ingress
  namespace: ${ns}
spec:
  podSelector:
    matchLabels: { app: web }
  policyTypes: [Ingress]
`;
    const { results } = await c.manifests.applyYaml({ yaml: policy });
    expect(results[0]?.outcome).toBe("created");
    const r = await c.networks.check({ from: ref(a), to: ref(b), protocol: "tcp", port: 80 });
    expect(r).toMatchObject({
      verdict: "dropped",
      reason: { code: "network-policy", direction: "ingress", policies: [expect.stringContaining("web-deny-ingress")] },
    });
    expect(r.trace.find((s) => s.outcome === "dropped")?.stage).toBe("ingress-policy");
  });
});

describe("the tenant's subnets", () => {
  it("a member creates a subnet for a namespace: its new pods take addresses there, running ones keep theirs", async () => {
    const c = await owner.caller();
    const before = new Map(pods.map((p) => [p.name, p.podIP]));
    await c.networks.createSubnet({ name: "shop", cidrBlock: "10.0.64.0/24", namespaces: [ns] });
    const net = await c.networks.get({});
    const shop = must(
      net.subnets.find((s) => s.name === "shop"),
      "the new subnet",
    );
    expect(shop).toMatchObject({ cidr: "10.0.64.0/24", default: false, namespaces: [ns], used: 0, total: 253 });
    const def = must(
      net.subnets.find((s) => s.default),
      "the default subnet",
    );
    expect(def.namespaces).not.toContain(ns);
    await c.deployments.scale({ name: "web", namespace: ns, replicas: 3 });
    await h.services.engine.settle();
    const now = (await c.pods.list({})).items;
    expect(now).toHaveLength(3);
    for (const p of now) {
      if (before.has(p.name)) expect(p.podIP).toBe(before.get(p.name));
      else expect(p.podIP).toMatch(/^10\.0\.64\./);
    }
    const after = await c.networks.get({});
    expect(after.subnets.find((s) => s.name === "shop")?.used).toBe(1);
  });

  it("refuses an overlapping block and a namespace another subnet names, at the field", async () => {
    const c = await owner.caller();
    await expect(
      c.networks.createSubnet({ name: "x", cidrBlock: "10.0.64.128/25", namespaces: [] }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining('overlaps subnet "shop"'),
      cause: { detail: { field: "spec.cidrBlock" } },
    });
    await expect(
      c.networks.createSubnet({ name: "y", cidrBlock: "10.0.65.0/24", namespaces: [ns] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { detail: { field: "spec.namespaces[0]" } } });
    await expect(c.networks.createSubnet({ name: "z", cidrBlock: "not-a-cidr", namespaces: [] })).rejects.toMatchObject(
      {
        code: "BAD_REQUEST",
      },
    );
  });

  it("edits a subnet's namespaces and refuses deleting one that holds a pod's address, or the default", async () => {
    const c = await owner.caller();
    const net = await c.networks.get({});
    const shop = must(
      net.subnets.find((s) => s.name === "shop"),
      "the subnet",
    );
    await c.networks.updateSubnetNamespaces({
      name: "shop",
      namespaces: [ns, "later"],
      resourceVersion: String(shop.resourceVersion),
    });
    expect((await c.networks.get({})).subnets.find((s) => s.name === "shop")?.assignedNamespaces).toEqual([
      ns,
      "later",
    ]);
    await expect(
      c.networks.updateSubnetNamespaces({
        name: "shop",
        namespaces: [],
        resourceVersion: String(shop.resourceVersion),
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(c.networks.deleteSubnet({ name: "shop" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(`pod "${ns}/`),
    });
    await expect(c.networks.deleteSubnet({ name: "default" })).rejects.toMatchObject({ code: "CONFLICT" });
    // Another tenant has no subnet "shop" yet: NOT_FOUND, as for one that does not exist.
    await expect((await other.caller()).networks.deleteSubnet({ name: "shop" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("the same block in another tenant is fine: tenants' networks never meet", async () => {
    const c = await other.caller();
    await c.networks.createSubnet({ name: "shop", cidrBlock: "10.0.64.0/24", namespaces: [] });
    const mine = (await c.networks.get({})).subnets.find((s) => s.name === "shop");
    expect(mine).toMatchObject({ cidr: "10.0.64.0/24", used: 0, assignedNamespaces: [] });
  });
});
