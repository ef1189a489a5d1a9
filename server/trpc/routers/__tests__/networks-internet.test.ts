/**
 * The connectivity check from the internet through the API, on the real database store: a
 * public IP bound to a pod is reached from the default internet host (or a named one), through
 * the pod's security groups (an allowed port delivered, another dropped naming the pod and its
 * groups), the operator's port bans (dropped with the ban's own words) and nothing else; another
 * tenant checking the same address learns nothing of the pod behind it; bad input is BAD_REQUEST
 * at its field (the source address, a pod as destination, a mixed-up source), never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";

let h: Harness;
let ops: TestUser;
let owner: TestUser;
let other: TestUser;
const ns = "inet-shop";
let pod: { name: string; namespace: string };
let address: string;

const app = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: 1
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
`;

beforeAll(async () => {
  h = await createHarness();
  ops = await h.signUp("ops@inet.test");
  owner = await h.signUp("owner@inet.test");
  other = await h.signUp("other@inet.test");
  await (await owner.caller()).tenants.create({ name: "Inet Shop", slug: ns });
  await (await other.caller()).tenants.create({ name: "Elsewhere", slug: "inet-elsewhere" });
  await (await ops.caller()).publicIpsAdmin.createPool({ name: "public-1", cidrs: ["203.0.113.0/28"] });
  const c = await owner.caller();
  await c.manifests.applyYaml({ yaml: app });
  await h.services.engine.settle();
  const first = (await c.pods.list({})).items[0];
  if (!first) throw new Error("the deployment's pod is missing");
  pod = { name: first.name, namespace: first.namespace };
  await c.publicIps.allocate({ name: "web-ip", namespace: ns });
  const bound = await c.publicIps.bind({ name: "web-ip", namespace: ns, target: { kind: "Pod", name: pod.name } });
  address = bound.address;
  await h.services.engine.settle();
}, 60_000);
afterAll(async () => h.close());

const check = async (user: TestUser, port: number, from: { internet: true; address?: string } = { internet: true }) =>
  (await user.caller()).networks.check({ from, to: { address }, protocol: "tcp", port });

describe("the connectivity check from the internet", () => {
  it("reaches the pod a public IP is bound to, from the default host or a named one", async () => {
    expect(await check(owner, 80)).toMatchObject({
      verdict: "delivered",
      path: "public",
      source: { internet: true, ip: "192.0.2.1", pod: "", namespace: "" },
      destination: { ip: address, pod: pod.name, namespace: ns },
    });
    expect((await check(owner, 80, { internet: true, address: "198.51.100.20" })).source).toEqual({
      internet: true,
      ip: "198.51.100.20",
      pod: "",
      namespace: "",
    });
  });

  it("is dropped by the pod's security groups on a port they do not allow, naming the pod and its groups", async () => {
    await (await owner.caller()).security.create({
      name: "web",
      podSelector: { matchLabels: { app: "web" } },
      ingressRules: [
        {
          protocol: "tcp",
          portRangeMin: 80,
          portRangeMax: 80,
          remoteAddress: "0.0.0.0/0",
          action: "allow",
          priority: 1,
        },
      ],
    });
    await h.services.engine.settle();
    expect((await check(owner, 80)).verdict).toBe("delivered");
    const r = await check(owner, 22);
    expect(r).toMatchObject({
      verdict: "dropped",
      reason: { code: "ingress-denied", pod: `${ns}/${pod.name}`, protocol: "tcp", port: 22, remote: "192.0.2.1" },
    });
    expect(r.reason?.groups).toEqual([expect.stringContaining("web")]);
    expect(r.trace.find((s) => s.outcome === "dropped")?.stage).toBe("ingress-groups");
  });

  it("is dropped by an operator's port ban, with the ban's reason as written", async () => {
    await (await ops.caller()).security.addPortBan({
      name: "no-8080",
      protocol: "tcp",
      portRangeMin: 8080,
      scope: "public",
      reason: "Port 8080 is closed to the internet — ticket OPS-42",
    });
    const r = await check(owner, 8080);
    expect(r).toMatchObject({
      verdict: "dropped",
      reason: {
        code: "port-blocked",
        entryId: expect.stringContaining("no-8080"),
        protocol: "tcp",
        port: 8080,
        reason: "Port 8080 is closed to the internet — ticket OPS-42",
      },
    });
    await (await ops.caller()).security.removePortBan({ name: "no-8080" });
  });

  it("tells another tenant nothing about what is behind the address", async () => {
    const r = await check(other, 80);
    expect(r).toMatchObject({ verdict: "dropped", reason: { code: "no-route", cause: "no-public-target", address } });
    expect(JSON.stringify(r)).not.toContain(pod.name);
    expect(JSON.stringify(r)).not.toContain(ns);
  });

  it("refuses bad input at its field, never a 500", async () => {
    const c = await owner.caller();
    const refused = (input: unknown, path: (string | number)[]) =>
      expect(c.networks.check(input as never)).rejects.toMatchObject({
        code: "BAD_REQUEST",
        cause: { issues: [expect.objectContaining({ path })] },
      });
    const to = { address: "203.0.113.1" };
    await refused({ from: { internet: true, address: "198.51.100" }, to, protocol: "tcp", port: 80 }, [
      "from",
      "address",
    ]);
    await refused({ from: { internet: true }, to: { pod: pod.name, namespace: ns }, protocol: "tcp", port: 80 }, [
      "to",
    ]);
    await refused({ from: { internet: true }, to: { service: "web" }, protocol: "tcp", port: 80 }, ["to"]);
    await refused({ from: { internet: false, pod: pod.name }, to, protocol: "tcp", port: 80 }, ["from", "internet"]);
    await refused({ from: { internet: true, pod: pod.name }, to, protocol: "tcp", port: 80 }, ["from"]);
    await refused({ from: { internet: true }, to, protocol: "tcp" }, ["port"]);
    // Checked by the engine: no host on the internet has a private address.
    await expect(
      c.networks.check({ from: { internet: true, address: "10.0.0.5" }, to, protocol: "tcp", port: 80 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { detail: { field: "from.address" } } });
  });
});
