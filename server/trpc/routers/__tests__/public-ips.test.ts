/**
 * Public IPs and the operators' public network through the API, on the real database store:
 * an operator creates the shared pool (a documentation range); a member allocates from it
 * (default bandwidth 5 Mbit/s, the address in the pool), binds it to a pod or a LoadBalancer
 * service (whose EXTERNAL-IP it becomes, shown on the service's detail), unbinds it, changes its
 * bandwidth and releases it (the address on hold, then free); a viewer reads but cannot write;
 * bad input is BAD_REQUEST at its field (the bandwidth's bounds, a ClusterIP service as a
 * target), a target holding an address already and an exhausted pool are CONFLICT (without
 * naming who holds it), and the operators' pool edits are refused while addresses are allocated.
 * The overrides (protection off and on again, clearing) and the usage by tenant are read back.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import { joinByInvitation } from "@/server/testing/join";
import { errorData } from "../../errors";

let h: Harness;
let ops: TestUser;
let member: TestUser;
let viewer: TestUser;
let other: TestUser;
let tenantId: string;
const ns = "pip-shop";

const manifests = `apiVersion: apps/v1
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
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: ${ns}
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: internal
  namespace: ${ns}
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
`;

/** The refusal's code, message and the field the console marks (`fieldErrors`, as the HTTP formatter sends it). */
async function refusal(call: Promise<unknown>) {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return { code: e.code, message: e.message, fields: Object.keys(errorData(e, "en").fieldErrors ?? {}) };
  }
  throw new Error("expected a refusal");
}

const inPool = (address: string) => /^203\.0\.113\.\d{1,3}$/.test(address);

beforeAll(async () => {
  h = await createHarness();
  ops = await h.signUp("ops@pip.test");
  member = await h.signUp("member@pip.test");
  viewer = await h.signUp("viewer@pip.test");
  other = await h.signUp("other@pip.test");
  const tenant = await (await member.caller()).tenants.create({ name: "PIP Shop", slug: ns });
  tenantId = tenant.id;
  await joinByInvitation(await member.caller(), viewer, "viewer");
  await (await viewer.caller()).tenants.switch({ id: tenant.id });
  await (await other.caller()).tenants.create({ name: "Elsewhere", slug: "pip-elsewhere" });
  const { results } = await (await member.caller()).manifests.applyYaml({ yaml: manifests });
  expect(results.map((r) => r.outcome)).toEqual(["created", "created", "created"]);
  await (await ops.caller()).publicIpsAdmin.createPool({ name: "public-1", cidrs: ["203.0.113.0/28"] });
  await h.services.engine.settle();
}, 60_000);
afterAll(async () => h.close());

describe("public IPs", () => {
  it("a member allocates from the pool; every member reads it; a viewer cannot write", async () => {
    const c = await member.caller();
    const ip = await c.publicIps.allocate({ name: "web-ip", namespace: ns });
    expect(ip).toMatchObject({
      name: "web-ip",
      namespace: ns,
      pool: "public-1",
      bandwidthMbps: 5,
      phase: "Allocated",
      sticky: false,
      ddos: { protectionDisabled: false },
    });
    expect(inPool(ip.address)).toBe(true);
    expect(ip.target).toBeUndefined();
    const v = await viewer.caller();
    expect((await v.publicIps.list({})).items.map((p) => [p.name, p.address])).toEqual([["web-ip", ip.address]]);
    expect(await v.publicIps.get({ name: "web-ip", namespace: ns })).toEqual(ip);
    await expect(v.publicIps.allocate({ name: "mine", namespace: ns })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(v.publicIps.release({ name: "web-ip", namespace: ns })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await refusal(c.publicIps.allocate({ name: "web-ip", namespace: ns }))).code).toBe("CONFLICT");
    // Another tenant's lists and reads never see it.
    const o = await other.caller();
    expect((await o.publicIps.list({})).items).toEqual([]);
    await expect(o.publicIps.get({ name: "web-ip" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses bad input at its field before the engine sees it", async () => {
    const c = await member.caller();
    for (const bandwidthMbps of [0, 10_001, 2.5]) {
      const r = await refusal(c.publicIps.allocate({ name: "bad", namespace: ns, bandwidthMbps }));
      expect(r).toMatchObject({ code: "BAD_REQUEST", fields: ["bandwidthMbps"] });
    }
    expect((await refusal(c.publicIps.allocate({ name: "Bad_Name", namespace: ns }))).code).toBe("BAD_REQUEST");
    const dry = await c.publicIps.allocate({ name: "dry", namespace: ns, dryRun: true });
    expect(inPool(dry.address)).toBe(true);
    await expect(c.publicIps.get({ name: "dry", namespace: ns })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("binds to a pod, then to a LoadBalancer service, whose EXTERNAL-IP it becomes", async () => {
    const c = await member.caller();
    const pod = (await c.pods.list({ namespace: ns })).items[0];
    expect(pod).toBeDefined();
    const onPod = await c.publicIps.bind({
      name: "web-ip",
      namespace: ns,
      target: { kind: "Pod", name: pod?.name ?? "" },
      sticky: true,
    });
    expect(onPod).toMatchObject({ target: { kind: "Pod", name: pod?.name }, sticky: true });
    await h.services.engine.settle();
    expect(await c.publicIps.get({ name: "web-ip", namespace: ns })).toMatchObject({
      phase: "Bound",
      boundPod: pod?.name,
    });
    // A ClusterIP service cannot hold a public address: refused at the target's kind.
    const clusterIp = await refusal(
      c.publicIps.bind({ name: "web-ip", namespace: ns, target: { kind: "Service", name: "internal" } }),
    );
    expect(clusterIp).toMatchObject({ code: "BAD_REQUEST", fields: ["kind"] });

    const ip = await c.publicIps.bind({ name: "web-ip", namespace: ns, target: { kind: "Service", name: "shop" } });
    expect(ip.target).toEqual({ kind: "Service", name: "shop" });
    await h.services.engine.settle();
    const shop = await c.services.get({ name: "shop", namespace: ns });
    expect(shop).toMatchObject({ externalIP: ip.address, publicIp: "web-ip" });
    expect((await c.services.get({ name: "internal", namespace: ns })).publicIp).toBeUndefined();

    // One target holds at most one address.
    await c.publicIps.allocate({ name: "second-ip", namespace: ns, bandwidthMbps: 20 });
    const twice = await refusal(
      c.publicIps.bind({ name: "second-ip", namespace: ns, target: { kind: "Service", name: "shop" } }),
    );
    expect(twice.code).toBe("CONFLICT");
  });

  it("changes the bandwidth with the version last read, unbinds and releases", async () => {
    const c = await member.caller();
    const before = await c.publicIps.get({ name: "web-ip", namespace: ns });
    const wider = await c.publicIps.setBandwidth({
      name: "web-ip",
      namespace: ns,
      bandwidthMbps: 50,
      resourceVersion: before.resourceVersion,
    });
    expect(wider).toMatchObject({ bandwidthMbps: 50, target: { kind: "Service", name: "shop" } });
    // The version read before the change is stale now.
    const stale = await refusal(
      c.publicIps.setBandwidth({
        name: "web-ip",
        namespace: ns,
        bandwidthMbps: 60,
        resourceVersion: before.resourceVersion,
      }),
    );
    expect(stale.code).toBe("CONFLICT");

    const unbound = await c.publicIps.unbind({ name: "web-ip", namespace: ns });
    expect(unbound).toMatchObject({ phase: "Allocated", address: before.address });
    expect(unbound.target).toBeUndefined();
    await h.services.engine.settle();
    expect((await c.services.get({ name: "shop", namespace: ns })).externalIP).toBe("<pending>");

    await c.publicIps.release({ name: "second-ip", namespace: ns });
    await expect(c.publicIps.get({ name: "second-ip", namespace: ns })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [pool] = await (await ops.caller()).publicIpsAdmin.pools({});
    expect(pool).toMatchObject({ name: "public-1", used: 1, onHold: 1 });
    expect(pool?.ranges).toEqual([expect.objectContaining({ cidr: "203.0.113.0/28", used: 1, onHold: 1 })]);
  });

  it("an exhausted pool is CONFLICT naming no tenant", async () => {
    const c = await member.caller();
    // Past the default quota (5), so that the pool, not the quota, is what runs out.
    await h.services.engine.setQuota(tenantId, { publicIps: 100 });
    const [pool] = await (await ops.caller()).publicIpsAdmin.pools({});
    for (let i = 0; i < (pool?.free ?? 0); i++) await c.publicIps.allocate({ name: `fill-${i}`, namespace: ns });
    const out = await refusal(c.publicIps.allocate({ name: "one-too-many", namespace: ns }));
    expect(out).toMatchObject({ code: "CONFLICT" });
    expect(out.message).toContain("no free public address in the pool");
    expect(out.message).not.toContain(tenantId);
    // A second range makes room; the operator's edit is checked with the version last read.
    const o = await ops.caller();
    const grown = await o.publicIpsAdmin.replacePool({
      name: "public-1",
      cidrs: ["203.0.113.0/28", "198.51.100.0/29"],
      resourceVersion: pool?.resourceVersion,
    });
    expect(grown.ranges.map((r) => r.cidr).sort()).toEqual(["198.51.100.0/29", "203.0.113.0/28"]);
    expect((await c.publicIps.allocate({ name: "one-more", namespace: ns })).address).toMatch(/^198\.51\.100\./);
  });

  it("operators cannot remove a range or a pool that holds allocated addresses", async () => {
    const o = await ops.caller();
    const removing = await refusal(o.publicIpsAdmin.replacePool({ name: "public-1", cidrs: ["198.51.100.0/29"] }));
    expect(removing.code).toBe("CONFLICT");
    expect(removing.message).toContain("203.0.113.0/28");
    expect((await refusal(o.publicIpsAdmin.deletePool({ name: "public-1" }))).code).toBe("CONFLICT");
    // Overlapping another pool's range: refused at the ranges.
    const overlap = await refusal(o.publicIpsAdmin.createPool({ name: "public-2", cidrs: ["203.0.113.8/29"] }));
    expect(overlap).toMatchObject({ code: "BAD_REQUEST", fields: ["cidrs"] });
    // A pool holding nothing goes.
    await o.publicIpsAdmin.createPool({ name: "spare", cidrs: ["192.0.2.0/30"] });
    await o.publicIpsAdmin.deletePool({ name: "spare" });
    expect((await o.publicIpsAdmin.pools({})).map((p) => p.name)).toEqual(["public-1"]);
    // Tenants never reach these.
    await expect((await member.caller()).publicIpsAdmin.pools({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("operators see every tenant's public IPs, turn protection off and on, and read usage by tenant", async () => {
    const o = await ops.caller();
    const all = await o.publicIpsAdmin.publicIps({});
    const web = all.items.find((p) => p.name === "web-ip");
    expect(web).toMatchObject({ tenantId, tenantName: "PIP Shop", namespace: ns });
    const address = web?.address ?? "";
    expect(await o.publicIpsAdmin.setProtection({ address, enabled: false })).toMatchObject({
      address,
      ddos: { protectionDisabled: true },
    });
    // The tenant sees the operators' override.
    const c = await member.caller();
    expect((await c.publicIps.get({ name: "web-ip", namespace: ns })).ddos.protectionDisabled).toBe(true);
    expect((await o.publicIpsAdmin.setProtection({ address, enabled: true })).ddos.protectionDisabled).toBe(false);
    // Nothing black-holed: clearing changes nothing; an address nobody holds is NOT_FOUND.
    expect((await o.publicIpsAdmin.clearBlackhole({ address })).ddos.blackholedUntil).toBeUndefined();
    await expect(o.publicIpsAdmin.clearBlackhole({ address: "192.0.2.200" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await o.publicIpsAdmin.ddosEvents({})).items).toEqual([]);

    const held = (await c.publicIps.list({ limit: 500 })).items;
    const usage = (await o.publicIpsAdmin.usage({})).find((u) => u.tenantId === tenantId);
    expect(usage).toMatchObject({
      tenantName: "PIP Shop",
      publicIps: held.length,
      boundPublicIps: held.filter((p) => p.target).length,
      bandwidthMbps: held.reduce((sum, p) => sum + p.bandwidthMbps, 0),
      blackholedPublicIps: 0,
    });
  });
});
