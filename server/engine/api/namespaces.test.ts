import { describe, expect, it } from "vitest";
import { livePods, startHarness, webDeployment } from "../test-kit";

const A = "tenant-a";
const B = "tenant-b";

async function world() {
  const h = await startHarness();
  await h.engine.ensureTenantNamespace(A, "acme");
  await h.engine.ensureTenantNamespace(B, "bravo");
  for (const t of [A, B])
    await h.engine.createNodePool(t, { name: "pool", machineType: "8c16g", minSize: 1, maxSize: 2 });
  await h.engine.settle();
  return h;
}

describe("namespaces", () => {
  it("ensureTenantNamespace is idempotent and gives the tenant its default namespace", async () => {
    const h = await world();
    const again = await h.engine.ensureTenantNamespace(A, "acme");
    expect(again).toMatchObject({ name: "acme", tenantDefault: true, status: { phase: "Active" } });
    expect(again.labels).toEqual({ "kubernetes.io/metadata.name": "acme" });
    expect(h.engine.listNamespaces(A).items.map((n) => n.name)).toEqual(["acme"]);
    const d = await h.engine.createDeployment(A, webDeployment("web", 1));
    expect(d.namespace).toBe("acme");
  });

  it("updates a namespace's labels and annotations only: its name label stays, a stale version or bad label changes nothing", async () => {
    const h = await world();
    const ns = await h.engine.updateNamespaceMetadata(A, "acme", { labels: { team: "web" }, annotations: { a: "1" } });
    expect(ns.labels).toEqual({ team: "web", "kubernetes.io/metadata.name": "acme" });
    expect(ns.annotations).toEqual({ a: "1" });
    expect(ns.generation).toBe(1);
    await expect(
      h.engine.updateNamespaceMetadata(A, "acme", { labels: {}, resourceVersion: ns.resourceVersion - 1 }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(h.engine.updateNamespaceMetadata(A, "acme", { labels: { "-bad": "x" } })).rejects.toMatchObject({
      code: "INVALID",
    });
    await expect(h.engine.updateNamespaceMetadata(B, "acme", { labels: {} })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const dry = await h.engine.updateNamespaceMetadata(A, "acme", { labels: { team: "api" } }, { dryRun: true });
    expect(dry.labels.team).toBe("api");
    expect(h.engine.getNamespace(A, "acme").labels.team).toBe("web");
  });

  it("keeps Kubernetes' own names for the system and bounds how many one tenant holds", async () => {
    const h = await world();
    for (const name of ["default", "kube-system", "kube-public"])
      await expect(h.engine.createNamespace(A, { name })).rejects.toMatchObject({ code: "INVALID" });
    const limited = await startHarness({ config: { namespacesPerTenant: 2 } });
    await limited.engine.ensureTenantNamespace(A, "acme");
    await limited.engine.createNamespace(A, { name: "acme-dev" });
    await expect(limited.engine.createNamespace(A, { name: "acme-test" })).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
    });
    expect(limited.engine.listNamespaces(A).items.map((n) => n.name)).toEqual(["acme", "acme-dev"]);
  });

  it("names are unique across tenants, and nothing says whose a name is", async () => {
    const h = await world();
    const mine = await h.engine.createNamespace(A, { name: "shared" }).catch((e: Error) => e);
    expect(mine).toMatchObject({ name: "shared" });
    const theirs = await h.engine.createNamespace(B, { name: "shared" }).catch((e: Error) => e);
    const own = await h.engine.createNamespace(A, { name: "shared" }).catch((e: Error) => e);
    expect(theirs).toMatchObject({ code: "CONFLICT", message: 'namespaces "shared" already exists' });
    expect(own).toMatchObject({ code: "CONFLICT", message: 'namespaces "shared" already exists' });
    await expect(h.engine.ensureTenantNamespace(B, "acme")).rejects.toMatchObject({ code: "CONFLICT" });
    // Another tenant's namespace reads as missing, for queries and writes alike.
    expect(() => h.engine.getNamespace(B, "shared")).toThrow('namespaces "shared" not found');
    expect(() => h.engine.listPods(B, { namespace: "shared" })).toThrow('namespaces "shared" not found');
    await expect(
      h.engine.createDeployment(B, { ...webDeployment("web", 1), namespace: "shared" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND", message: 'namespaces "shared" not found' });
    await expect(h.engine.createNamespace(A, { name: "Not_Valid" })).rejects.toMatchObject({ code: "INVALID" });
  });

  it("the same name may live in two namespaces; lookups and lists follow the namespace", async () => {
    const h = await world();
    await h.engine.createNamespace(A, { name: "staging" });
    await h.engine.createDeployment(A, webDeployment("web", 1));
    await h.engine.createDeployment(A, { ...webDeployment("web", 2), namespace: "staging" });
    await h.engine.settle();
    expect(h.engine.listDeployments(A).items.map((d) => `${d.namespace}/${d.name}`)).toEqual([
      "acme/web",
      "staging/web",
    ]);
    expect(h.engine.listDeployments(A, { namespace: "staging" }).items).toHaveLength(1);
    expect(h.engine.getDeployment(A, "web").spec.replicas).toBe(1);
    expect(h.engine.getDeployment(A, "web", { namespace: "staging" }).spec.replicas).toBe(2);
    expect(h.engine.listPods(A, { namespace: "staging" }).items).toHaveLength(2);
    expect(h.engine.listPods(A, { namespace: "staging", deployment: "web" }).items).toHaveLength(2);
    expect(h.engine.listPods(A).items).toHaveLength(3);
    expect(h.engine.listEvents(A, { namespace: "staging" }).items.every((e) => e.namespace === "staging")).toBe(true);
    await h.engine.scaleDeployment(A, "web", 0, { namespace: "staging" });
    expect(h.engine.getDeployment(A, "web").spec.replicas).toBe(1);
  });

  it("deleting a namespace deletes everything in it, Terminating until it is empty", async () => {
    const h = await world();
    await h.engine.createNamespace(A, { name: "staging" });
    await h.engine.createDeployment(A, webDeployment("web", 1));
    await h.engine.createDeployment(A, { ...webDeployment("api", 3), namespace: "staging" });
    await h.engine.setResourceQuota(A, { namespace: "staging", hard: { pods: 10 } });
    await h.engine.settle();
    expect(() => livePods(h.engine, A, "api")).toThrow('deployment "api" not found'); // not in the default namespace
    expect(h.engine.listPods(A, { namespace: "staging" }).items).toHaveLength(3);
    const ns = await h.engine.deleteNamespace(A, "staging");
    expect(ns.status.phase).toBe("Terminating");
    expect(ns.deletionTimestamp).toBe(h.clock.now());
    await expect(
      h.engine.createDeployment(A, { ...webDeployment("late", 1), namespace: "staging" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: "unable to create new content in namespace staging because it is being terminated",
    });
    await h.engine.runFor(1_000);
    // The deployment is gone at once; its pods terminate gracefully, and the namespace waits for them.
    expect(h.engine.listDeployments(A, { namespace: "staging" }).items).toHaveLength(0);
    expect(h.engine.getNamespace(A, "staging").status.phase).toBe("Terminating");
    expect(h.engine.listPods(A, { namespace: "staging" }).items.every((p) => p.deletionTimestamp !== undefined)).toBe(
      true,
    );
    await h.engine.settle();
    expect(() => h.engine.getNamespace(A, "staging")).toThrow('namespaces "staging" not found');
    expect(h.engine.listResourceQuotas(A)).toHaveLength(0);
    expect(h.engine.listPods(A).items).toHaveLength(1); // the default namespace is untouched
    expect(h.engine.listEvents(A).items.some((e) => e.namespace === "staging")).toBe(false);
    // The name is free again, for anyone.
    await expect(h.engine.createNamespace(B, { name: "staging" })).resolves.toMatchObject({ tenantId: B });
  });

  it("a terminating namespace is finished after an engine restart", async () => {
    const h = await world();
    await h.engine.createNamespace(A, { name: "staging" });
    await h.engine.createDeployment(A, { ...webDeployment("api", 2), namespace: "staging" });
    await h.engine.settle();
    await h.engine.deleteNamespace(A, "staging");
    await h.engine.stop();
    const again = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now() });
    await again.engine.settle();
    expect(again.engine.listNamespaces(A).items.map((n) => n.name)).toEqual(["acme"]);
    expect(again.engine.listPods(A).items).toHaveLength(0);
  });

  it("the default namespace cannot be deleted; a missing one answers NOT_FOUND", async () => {
    const h = await world();
    await expect(h.engine.deleteNamespace(A, "acme")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining('namespaces "acme" is forbidden: this namespace may not be deleted'),
    });
    await expect(h.engine.deleteNamespace(A, "nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(h.engine.deleteNamespace(A, "bravo")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(h.engine.createDeployment(A, { ...webDeployment("web", 1), namespace: "nope" })).rejects.toMatchObject(
      { code: "NOT_FOUND", message: 'namespaces "nope" not found' },
    );
  });

  it("a tenant without a default namespace gets one named after it on its first write", async () => {
    const h = await startHarness();
    const d = await h.engine.createDeployment("t1", webDeployment("web", 1));
    expect(d.namespace).toBe("t1");
    expect(h.engine.getNamespace("t1", "t1").tenantDefault).toBe(true);
  });
});

describe("namespace quota (ResourceQuota)", () => {
  it("refuses what would exceed a namespace's quota, naming it; other namespaces are not limited by it", async () => {
    const h = await world();
    await h.engine.createNamespace(A, { name: "small" });
    const q = await h.engine.setResourceQuota(A, { namespace: "small", name: "small-quota", hard: { cpu: "500m" } });
    expect(q).toMatchObject({ kind: "ResourceQuota", namespace: "small", hard: { cpuMillis: 500 } });
    await h.engine.createDeployment(A, { ...webDeployment("web", 2), namespace: "small" }); // 2 x 250m
    await expect(h.engine.scaleDeployment(A, "web", 3, { namespace: "small" })).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      message: "exceeded quota: small-quota, requested: cpu=250m, used: cpu=500m, limited: cpu=500m",
    });
    await expect(
      h.engine.createDeployment(A, { ...webDeployment("api", 1), namespace: "small" }),
    ).rejects.toMatchObject({ code: "QUOTA_EXCEEDED", message: expect.stringContaining("small-quota") });
    await h.engine.createDeployment(A, webDeployment("web", 4)); // the default namespace has no quota
    await h.engine.settle();
    expect(h.engine.getNamespace(A, "small").used).toEqual({ cpuMillis: 500, memoryBytes: 512 * 2 ** 20, pods: 2 });
    expect(h.engine.listResourceQuotas(A, { namespace: "small" })[0]?.used.pods).toBe(2);
  });

  it("pod creation is held to actual usage after the quota is lowered", async () => {
    const h = await world();
    await h.engine.createDeployment(A, webDeployment("web", 3));
    await h.engine.settle();
    await h.engine.setResourceQuota(A, { hard: { pods: 2 } }); // default namespace, default name
    const [victim] = livePods(h.engine, A, "web");
    await h.engine.deletePod(A, victim?.name ?? "", { gracePeriodSeconds: 0 });
    await h.engine.settle();
    expect(livePods(h.engine, A, "web")).toHaveLength(2);
    const failed = h.engine.listEvents(A, { type: "Warning" }).items.find((e) => e.reason === "FailedCreate");
    expect(failed?.message).toContain(
      "exceeded quota: namespace-quota, requested: pods=1, used: pods=2, limited: pods=2",
    );
    await h.engine.deleteResourceQuota(A, "namespace-quota");
    await h.engine.scaleDeployment(A, "web", 4); // new work after the quota is gone
    await h.engine.settle(600_000);
    expect(livePods(h.engine, A, "web")).toHaveLength(4);
  });
});

describe("objects stored before namespaces and metadata existed", () => {
  it("are completed on load and move into the tenant's namespace when tenancy names it", async () => {
    const h = await world();
    await h.engine.createDeployment(A, webDeployment("web", 2));
    await h.engine.settle();
    const old = h.store.snapshot();
    // What the previous release stored: no namespaces, no namespace or metadata on objects.
    const strip = <T extends object>(o: T) => {
      const { namespace: _n, labels: _l, annotations: _a, generation: _g, ...rest } = o as T & Record<string, unknown>;
      return rest as unknown as T;
    };
    old.Namespace = [];
    old.Deployment = old.Deployment.map(strip);
    old.ReplicaSet = old.ReplicaSet.map((r) => ({ ...strip(r), labels: r.labels }));
    old.Pod = old.Pod.map((p) => ({ ...strip(p), labels: p.labels }));
    old.Event = old.Event.map(strip);
    old.Quota = old.Quota.map(strip);
    await h.engine.stop();
    const again = await startHarness({ snapshot: old, startMs: h.clock.now() });
    const e = again.engine;
    expect(e.listDeployments(A).items[0]).toMatchObject({ generation: 1, annotations: {} });
    await e.ensureTenantNamespace(A, "acme");
    await e.settle();
    expect(e.getDeployment(A, "web")).toMatchObject({ namespace: "acme", name: "web" });
    expect(e.listPods(A, { namespace: "acme" }).items).toHaveLength(2);
    expect(e.listEvents(A).items.every((ev) => ev.namespace === "acme")).toBe(true);
    const stored = again.store.snapshot();
    expect(stored.Pod.every((p) => p.namespace === "acme")).toBe(true);
    // A second start finds them in place.
    await e.stop();
    const third = await startHarness({ snapshot: stored, startMs: again.clock.now() });
    expect(third.engine.getDeployment(A, "web").namespace).toBe("acme");
  });
});
