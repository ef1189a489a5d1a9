import { describe, expect, it } from "vitest";
import { toTable } from "../kinds/printers";
import { findKindByResource, kindDefinition, objectMatcher, toKubernetes } from "../kinds/registry";
import { type Harness, livePods, startHarness, webDeployment } from "../test-kit";

const A = "tenant-a";
const B = "tenant-b";

async function world(
  opts: { cidrs?: string[]; config?: NonNullable<Parameters<typeof startHarness>[0]>["config"] } = {},
) {
  const h = await startHarness({ config: opts.config });
  await h.engine.ensureTenantNamespace(A, "acme");
  await h.engine.ensureTenantNamespace(B, "bravo");
  for (const t of [A, B])
    await h.engine.createNodePool(t, { name: "pool", machineType: "8c16g", minSize: 2, maxSize: 2 });
  await h.engine.createPublicIpPool({ name: "main", spec: { cidrs: opts.cidrs ?? ["203.0.113.0/24"] } });
  await h.engine.settle();
  return h;
}

const events = (h: Harness, tenant: string, name: string) =>
  h.engine
    .listEvents(tenant, { objectKind: "PublicIP", objectName: name, limit: 100 })
    .items.map((e) => e.reason)
    .reverse();

describe("public IP pools", () => {
  it("accept public ranges of /16 to /30 that overlap nothing, and refuse the others at their field", async () => {
    const h = await world();
    await expect(
      h.engine.createPublicIpPool({
        name: "bad",
        spec: { cidrs: ["10.1.0.0/24", "203.0.113.128/25", "198.51.100.0/31"] },
      }),
    ).rejects.toMatchObject({ code: "INVALID", detail: { field: "spec.cidrs[0]" } });
    await expect(
      h.engine.createPublicIpPool({ name: "main", spec: { cidrs: ["198.51.100.0/24"] } }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const second = await h.engine.createPublicIpPool({
      name: "second",
      spec: { cidrs: ["198.51.100.128/25", "198.51.100.0/25"] },
    });
    expect(second.spec.cidrs).toEqual(["198.51.100.0/25", "198.51.100.128/25"]);
    await h.engine.settle();
    expect(h.engine.getPublicIpPool("second").usage).toMatchObject({ usable: 252, used: 0, free: 252 });
    expect(h.engine.listPublicIpPools().map((p) => p.name)).toEqual(["main", "second"]);
  });

  it("refuse removing a range or deleting a pool while it holds allocated addresses", async () => {
    const h = await world({ cidrs: ["203.0.113.0/30"] });
    const pip = await h.engine.createPublicIp(A, { name: "ip" });
    expect(pip.status).toMatchObject({ address: "203.0.113.1", pool: "main", phase: "Allocated" });
    await expect(h.engine.deletePublicIpPool("main")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("203.0.113.0/30 holds 1 allocated address"),
    });
    await expect(
      h.engine.replacePublicIpPool({ name: "main", spec: { cidrs: ["198.51.100.0/24"] } }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(h.engine.getPublicIpPool("main").usage).toMatchObject({ used: 1, free: 1 });
    await h.engine.deletePublicIp(A, "ip");
    await h.engine.settle();
    expect(h.engine.getPublicIpPool("main").usage).toMatchObject({ used: 0, onHold: 1, free: 1 });
    const pool = h.engine.getPublicIpPool("main");
    await expect(
      h.engine.deletePublicIpPool("main", { resourceVersion: pool.resourceVersion + 1 }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await h.engine.deletePublicIpPool("main", { resourceVersion: pool.resourceVersion });
    expect(h.engine.listPublicIpPools()).toEqual([]);
  });
});

describe("public IPs", () => {
  it("are the tenant's own: another tenant's is NOT_FOUND, addresses are never shared", async () => {
    const h = await world();
    const a = await h.engine.createPublicIp(A, { name: "ip", spec: { bandwidthMbps: 20 } });
    const b = await h.engine.createPublicIp(B, { name: "ip" });
    expect(a.spec.bandwidthMbps).toBe(20);
    expect(b.spec.bandwidthMbps).toBe(5);
    expect(a.status.address).not.toBe(b.status.address);
    expect(a.namespace).toBe("acme");
    expect(() => h.engine.getPublicIp(B, a.id)).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    expect(() => h.engine.getPublicIp(B, "ip", { namespace: "acme" })).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
    await expect(h.engine.deletePublicIp(B, a.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      h.engine.bindPublicIp(B, "ip", { kind: "Pod", name: "x" }, { namespace: "acme" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(h.engine.listPublicIps(A).items.map((p) => p.name)).toEqual(["ip"]);
    expect(h.engine.listAllPublicIps().items.map((p) => p.tenantId)).toEqual([A, B]);
    expect(h.engine.listAllPublicIps({ tenantId: B }).items).toHaveLength(1);
  });

  it("refuse beyond the pool (naming nobody) and beyond the tenant's quota", async () => {
    const h = await world({ cidrs: ["203.0.113.0/30"] });
    await h.engine.createPublicIp(B, { name: "b1" });
    await h.engine.createPublicIp(A, { name: "a1" });
    await expect(h.engine.createPublicIp(A, { name: "a2" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("no free public address in the pool"),
    });
    await expect(h.engine.createPublicIp(A, { name: "a2" })).rejects.not.toMatchObject({
      message: expect.stringContaining(B),
    });
    await h.engine.setQuota(A, { publicIps: 1 });
    await h.engine.deletePublicIp(B, "b1");
    await expect(h.engine.createPublicIp(A, { name: "a2" })).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      message: "exceeded quota: tenant-quota, requested: publicips=1, used: publicips=1, limited: publicips=1",
    });
    expect(h.engine.getQuota(A)).toMatchObject({ limits: { publicIps: 1 }, used: { publicIps: 1 } });

    // A growth-frozen tenant (billing) gets no new address and buys no more bandwidth; it may buy less.
    await h.engine.setQuota(A, {});
    h.engine.setGrowthFrozen(A, { message: "balance overdue" });
    await expect(h.engine.createPublicIp(A, { name: "a2" })).rejects.toMatchObject({ code: "GROWTH_FROZEN" });
    await expect(h.engine.replacePublicIp(A, { name: "a1", spec: { bandwidthMbps: 50 } })).rejects.toMatchObject({
      code: "GROWTH_FROZEN",
    });
    await h.engine.replacePublicIp(A, { name: "a1", spec: { bandwidthMbps: 1 } });
    h.engine.setGrowthFrozen(A, undefined);
    expect(h.engine.getPublicIpPool("main").usage.used).toBe(1);
  });

  it("hold a released address 5 minutes before anyone gets it again", async () => {
    const h = await world({ cidrs: ["203.0.113.0/30"] });
    await h.engine.createPublicIp(A, { name: "a1" });
    const b = await h.engine.createPublicIp(B, { name: "b1" });
    await h.engine.deletePublicIp(B, "b1");
    await h.engine.settle();
    await expect(h.engine.createPublicIp(A, { name: "a2" })).rejects.toMatchObject({ code: "CONFLICT" });
    // A restart keeps the hold (the release's event carries it).
    await h.engine.stop();
    const next = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now() });
    await expect(next.engine.createPublicIp(A, { name: "a2" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(next.engine.getPublicIpPool("main").usage).toMatchObject({ used: 1, onHold: 1, free: 0 });
    await next.engine.runFor(5 * 60_000);
    const again = await next.engine.createPublicIp(A, { name: "a2" });
    expect(again.status.address).toBe(b.status.address);
  });

  it("bind to a pod (its public NIC) and to a LoadBalancer service, one holder per target", async () => {
    const h = await world();
    await h.engine.createDeployment(A, webDeployment("web", 2));
    await h.engine.settle();
    const [pod, other] = livePods(h.engine, A, "web");
    if (!pod || !other) throw new Error("no pods");
    const pip = await h.engine.createPublicIp(A, { name: "ip", spec: { target: { kind: "Pod", name: pod.name } } });
    expect(pip.status).toMatchObject({ phase: "Bound", boundPod: pod.name });
    await expect(
      h.engine.createPublicIp(A, { name: "ip2", spec: { target: { kind: "Pod", name: pod.name } } }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      h.engine.createPublicIp(A, { name: "ip2", spec: { target: { kind: "Node" as never, name: "x" } } }),
    ).rejects.toMatchObject({ code: "INVALID", detail: { field: "spec.target.kind" } });

    await h.engine.createService(A, { name: "internal", spec: { selector: { app: "web" }, ports: [{ port: 80 }] } });
    await expect(
      h.engine.createPublicIp(A, { name: "ip2", spec: { target: { kind: "Service", name: "internal" } } }),
    ).rejects.toMatchObject({ code: "INVALID", detail: { field: "spec.target.kind" } });

    // A service that does not exist yet: Pending, then Bound with the service's ingress when it comes.
    const lb = await h.engine.createPublicIp(A, { name: "lb", spec: { target: { kind: "Service", name: "shop" } } });
    expect(lb.status.phase).toBe("Pending");
    await h.engine.createService(A, {
      name: "shop",
      spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80 }] },
    });
    await h.engine.settle();
    expect(h.engine.getPublicIp(A, "lb").status.phase).toBe("Bound");
    expect(h.engine.getService(A, "shop").status.loadBalancer).toEqual({ ingress: [{ ip: lb.status.address }] });
    await h.engine.unbindPublicIp(A, "lb");
    await h.engine.settle();
    expect(h.engine.getPublicIp(A, "lb").status.phase).toBe("Allocated");
    expect(h.engine.getService(A, "shop").status.loadBalancer).toBeUndefined();
    await h.engine.bindPublicIp(A, "lb", { kind: "Service", name: "shop" });
    await h.engine.settle();
    expect(h.engine.getService(A, "shop").status.loadBalancer?.ingress?.[0]?.ip).toBe(lb.status.address);
    await h.engine.deletePublicIp(A, "lb");
    await h.engine.settle();
    expect(h.engine.getService(A, "shop").status.loadBalancer).toBeUndefined();
    expect(events(h, A, "ip")).toContain("PublicIpBound");
  });

  it("a non-sticky binding ends with its pod; the address stays the tenant's", async () => {
    const h = await world();
    await h.engine.createDeployment(A, webDeployment("web", 1));
    await h.engine.settle();
    const [pod] = livePods(h.engine, A, "web");
    if (!pod) throw new Error("no pod");
    await h.engine.createPublicIp(A, { name: "ip", spec: { target: { kind: "Pod", name: pod.name } } });
    await h.engine.deletePod(A, pod.name);
    await h.engine.settle();
    const after = h.engine.getPublicIp(A, "ip");
    expect(after.spec.target).toBeUndefined();
    expect(after.status.phase).toBe("Allocated");
    expect(events(h, A, "ip")).toContain("PublicIpUnbound");
  });

  it("a sticky binding follows its pod to the copy movePod makes", async () => {
    const h = await world();
    await h.engine.createDeployment(A, webDeployment("web", 1));
    await h.engine.settle();
    const [pod] = livePods(h.engine, A, "web");
    if (!pod) throw new Error("no pod");
    const pip = await h.engine.createPublicIp(A, {
      name: "ip",
      spec: { target: { kind: "Pod", name: pod.name }, sticky: true },
    });
    const target = h.engine.listNodes(A).items.find((n) => n.id !== pod.nodeId);
    if (!target) throw new Error("no other node");
    const copy = await h.engine.movePod(A, pod.name, target.name);
    await h.engine.settle();
    const after = h.engine.getPublicIp(A, "ip");
    expect(after.status).toMatchObject({ phase: "Bound", boundPod: copy.name, address: pip.status.address });
    expect(after.spec.target).toEqual({ kind: "Pod", name: pod.name });
    expect(events(h, A, "ip")).toContain("PublicIpFollowed");
  });

  it("a sticky binding follows its pod to the replacement after a drain", async () => {
    const h = await world();
    await h.engine.createDeployment(A, webDeployment("web", 2));
    await h.engine.settle();
    const [pod] = livePods(h.engine, A, "web");
    if (!pod?.nodeId) throw new Error("no pod");
    await h.engine.createPublicIp(A, { name: "ip", spec: { target: { kind: "Pod", name: pod.name }, sticky: true } });
    const others = new Set(livePods(h.engine, A, "web").map((p) => p.id));
    await h.engine.drainNode(A, pod.nodeId);
    await h.engine.settle();
    const after = h.engine.getPublicIp(A, "ip");
    const holder = livePods(h.engine, A, "web").find((p) => p.name === after.status.boundPod);
    expect(after.status.phase).toBe("Bound");
    expect(holder).toBeDefined();
    expect(others.has(holder?.id ?? "")).toBe(false);
  });

  it("a namespace's deletion releases its public IPs", async () => {
    const h = await world({ cidrs: ["203.0.113.0/30"] });
    await h.engine.createNamespace(A, { name: "scratch" });
    await h.engine.createPublicIp(A, { name: "ip", namespace: "scratch" });
    await h.engine.deleteNamespace(A, "scratch");
    await h.engine.settle();
    expect(h.engine.listPublicIps(A).items).toEqual([]);
    expect(h.engine.getPublicIpPool("main").usage).toMatchObject({ used: 0, onHold: 1 });
  });

  it("a restart rebuilds the pool from the committed objects: no address is handed out twice", async () => {
    const h = await world({ cidrs: ["203.0.113.0/29"] });
    for (let i = 0; i < 3; i++) await h.engine.createPublicIp(A, { name: `a${i}` });
    await h.engine.stop();
    const next = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now(), seed: 7 });
    await next.engine.settle();
    for (let i = 0; i < 3; i++) await next.engine.createPublicIp(B, { name: `b${i}` });
    const all = next.engine.listAllPublicIps().items.map((p) => p.status.address);
    expect(new Set(all).size).toBe(6);
    await expect(next.engine.createPublicIp(B, { name: "b4" })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("the PublicIP kind", () => {
  it("is served as cloud.tenant.io/v1 with kubectl's columns and its status in RFC 3339", async () => {
    const h = await world();
    const p = await h.engine.createPublicIp(A, {
      name: "web",
      spec: { bandwidthMbps: 20, target: { kind: "Pod", name: "web-1" }, sticky: true },
    });
    expect(findKindByResource("pip")?.kind).toBe("PublicIP");
    expect(findKindByResource("pipool")?.kind).toBe("PublicIPPool");
    const shown = { ...p, status: { ...p.status, ddos: { blackholedUntil: Date.UTC(2026, 0, 1, 0, 30) } } };
    const conv = { get: () => undefined, now: () => h.clock.now() };
    const k = toKubernetes(shown, conv);
    expect(k).toMatchObject({
      apiVersion: "cloud.tenant.io/v1",
      kind: "PublicIP",
      metadata: { name: "web", namespace: "acme" },
      spec: { bandwidthMbps: 20, target: { kind: "Pod", name: "web-1" }, sticky: true },
      status: {
        address: p.status.address,
        pool: "main",
        phase: "Pending",
        ddos: { blackholedUntil: "2026-01-01T00:30:00Z" },
      },
    });
    expect(JSON.stringify(k)).not.toContain("holder");
    const table = toTable(kindDefinition("PublicIP"), [shown], conv, () => null);
    expect(table.rows[0]?.cells).toEqual([
      "web",
      p.status.address,
      "20Mbps",
      "pod/web-1",
      "Pending",
      "0s",
      "main",
      true,
      "2026-01-01T00:30:00Z",
    ]);
    expect(
      h.engine
        .listPublicIps(A, { limit: 10 })
        .items.filter(objectMatcher("PublicIP", { fieldSelector: "status.phase=Pending" })),
    ).toHaveLength(1);
  });
});
