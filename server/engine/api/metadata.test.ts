import { describe, expect, it } from "vitest";
import { EMPTY_MAP, type EngineObject, NAMESPACED_KINDS, OBJECT_KINDS } from "../kinds/types";
import { PORT_BAN_OWNER } from "../kinds/port-ban";
import { livePods, startHarness, webDeployment } from "../test-kit";

const T = "acme";

async function world() {
  const h = await startHarness();
  await h.engine.ensureTenantNamespace(T, "acme");
  await h.engine.setQuota(T, { cpu: "64" });
  await h.engine.createNodePool(T, { name: "pool", machineType: "4c8g", minSize: 1, maxSize: 2 });
  await h.engine.settle();
  await h.engine.createDeployment(T, webDeployment("web", 3));
  await h.engine.setResourceQuota(T, { namespace: "acme", hard: { pods: 50 } });
  await h.engine.createConfigMap(T, { name: "web-config", data: { a: "1" } });
  await h.engine.createSecret(T, { name: "web-secret", stringData: { b: "2" } });
  await h.engine.createLimitRange(T, { name: "web-limits", limits: [{ type: "Container", max: { cpu: "2" } }] });
  await h.engine.createService(T, { name: "web", spec: { selector: { app: "web" }, ports: [{ port: 80 }] } });
  await h.engine.createSecurityGroup(T, { name: "web-sg", spec: { podSelector: { matchLabels: { app: "web" } } } });
  await h.engine.createNetworkPolicy(T, { name: "deny-all", spec: { podSelector: {} } });
  await h.engine.addPortBan({ name: "smtp", spec: { protocol: "tcp", portRangeMin: 25, reason: "spam" } });
  await h.engine.createPublicIpPool({ name: "main", spec: { cidrs: ["203.0.113.0/24"] } });
  await h.engine.createPublicIp(T, { name: "web-ip", spec: { target: { kind: "Service", name: "shop" } } });
  await h.engine.settle();
  return h;
}

describe("object metadata", () => {
  it("every object of every kind has Kubernetes' metadata, namespaced kinds their namespace", async () => {
    const h = await world();
    const snapshot = h.store.snapshot();
    const seen = new Set<string>();
    for (const kind of OBJECT_KINDS) {
      for (const o of snapshot[kind] as EngineObject[]) {
        seen.add(kind);
        expect(o.name, `${kind} name`).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
        expect(o.id.length).toBeGreaterThan(0);
        expect(o.tenantId).toBe(kind === "PortBan" || kind === "PublicIPPool" ? PORT_BAN_OWNER : T);
        expect(typeof o.labels).toBe("object");
        expect(typeof o.annotations).toBe("object");
        expect(o.generation, `${kind} generation`).toBeGreaterThanOrEqual(1);
        expect(o.createdAt).toBeGreaterThan(0);
        expect(o.resourceVersion, `${kind} resourceVersion`).toBeGreaterThan(0);
        if (NAMESPACED_KINDS.has(kind)) expect("namespace" in o && o.namespace, `${kind} namespace`).toBe("acme");
        else expect("namespace" in o, `${kind} is cluster-scoped`).toBe(false);
      }
    }
    expect([...seen].sort()).toEqual([...OBJECT_KINDS].sort());
    expect(snapshot.Quota[0]?.name).toBe("tenant-quota");
    const ev = snapshot.Event.find((e) => e.objectKind === "Deployment");
    expect(ev).toMatchObject({ namespace: "acme", objectNamespace: "acme", objectUid: snapshot.Deployment[0]?.id });
    expect(ev?.name).toBe(ev?.id);
    const nodeEvent = snapshot.Event.find((e) => e.objectKind === "Node");
    expect(nodeEvent).toMatchObject({ namespace: "acme", objectUid: snapshot.Node[0]?.id });
    expect(nodeEvent?.objectNamespace).toBeUndefined();
  });

  it("pods carry pod-template-hash and share one labels object per replica set; empty maps are shared", async () => {
    const h = await world();
    const [rs] = h.engine.listRevisions(T, "web");
    const pods = livePods(h.engine, T, "web");
    expect(pods).toHaveLength(3);
    expect(rs?.labels).toEqual({ app: "web", "pod-template-hash": rs?.templateHash });
    for (const p of pods) {
      expect(p.labels).toBe(rs?.labels);
      expect(p.annotations).toBe(EMPTY_MAP);
      expect(p.spec).toBe(rs?.template.spec);
      expect(p.generation).toBe(1);
    }
    expect(Object.isFrozen(EMPTY_MAP)).toBe(true);
    expect(h.engine.listNodes(T).items[0]?.annotations).toBe(EMPTY_MAP);
  });

  it("a restarted engine shares its pods' labels and spec with their replica set again", async () => {
    const h = await world();
    await h.engine.stop();
    const again = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now() });
    const [rs] = again.engine.listRevisions(T, "web");
    const pods = livePods(again.engine, T, "web");
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.labels).toBe(rs?.labels);
      expect(p.spec).toBe(rs?.template.spec);
      expect(p.annotations).toBe(EMPTY_MAP);
    }
  });

  it("generation counts spec changes: deployments, replica sets (replicas), pools and cordons", async () => {
    const h = await world();
    const d0 = h.engine.getDeployment(T, "web");
    expect(d0.generation).toBe(1);
    await h.engine.scaleDeployment(T, "web", 4);
    await h.engine.settle();
    const d1 = h.engine.getDeployment(T, "web");
    expect(d1.generation).toBe(2);
    expect(d1.status.observedGeneration).toBe(2);
    expect(d1.revisions[0]?.generation).toBe(2); // created at 3, scaled to 4
    const pool = h.engine.listNodePools(T).items[0];
    expect(pool?.generation).toBe(1);
    await h.engine.updateNodePool(T, "pool", { maxSize: 3 });
    await h.engine.updateNodePool(T, "pool", { labels: { tier: "web" } }); // metadata only
    expect(h.engine.listNodePools(T).items[0]?.generation).toBe(2);
    const node = h.engine.listNodes(T).items[0];
    await h.engine.cordonNode(T, node?.id ?? "");
    expect(h.engine.getNode(T, node?.id ?? "").generation).toBe((node?.generation ?? 0) + 1);
  });
});

describe("deployment selector", () => {
  it("defaults to the template's labels, and to app=<name> for an unlabelled template", async () => {
    const h = await startHarness();
    const d = await h.engine.createDeployment(T, webDeployment("web", 1));
    expect(d.spec.selector).toEqual({ matchLabels: { app: "web" } });
    const bare = webDeployment("api", 1);
    const { labels: _l, ...template } = bare.template;
    const api = await h.engine.createDeployment(T, { ...bare, template });
    expect(api.spec.selector).toEqual({ matchLabels: { app: "api" } });
    expect(api.spec.template.labels).toEqual({ app: "api" });
  });

  it("must be non-empty and select the template's labels (Kubernetes' messages)", async () => {
    const h = await startHarness();
    await expect(
      h.engine.createDeployment(T, { ...webDeployment("web", 1), selector: { matchLabels: { app: "other" } } }),
    ).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("`selector` does not match template `labels`"),
    });
    await expect(
      h.engine.createDeployment(T, { ...webDeployment("web", 1), selector: { matchLabels: {} } }),
    ).rejects.toMatchObject({ code: "INVALID", message: expect.stringContaining("empty selector is invalid") });
    const set = await h.engine.createDeployment(T, {
      ...webDeployment("web", 1),
      selector: { matchLabels: {}, matchExpressions: [{ key: "app", operator: "In", values: ["web", "www"] }] },
    });
    expect(set.spec.selector.matchExpressions).toHaveLength(1);
    expect(h.engine.listDeployments(T).items).toHaveLength(1);
  });

  it("is immutable, and a template must keep matching it", async () => {
    const h = await startHarness();
    await h.engine.createDeployment(T, webDeployment("web", 1));
    await expect(
      h.engine.updateDeployment(T, "web", { selector: { matchLabels: { app: "web", tier: "x" } } }),
    ).rejects.toMatchObject({ code: "INVALID", message: expect.stringContaining("field is immutable") });
    const t = webDeployment("web", 1).template;
    await expect(
      h.engine.updateDeployment(T, "web", { template: { ...t, labels: { app: "other" } } }),
    ).rejects.toMatchObject({ code: "INVALID", message: expect.stringContaining("does not match template") });
    // The same selector, or a template without labels (it keeps the current ones), is fine.
    await h.engine.updateDeployment(T, "web", { selector: { matchLabels: { app: "web" } } });
    const { labels: _l, ...unlabelled } = {
      ...t,
      spec: { ...t.spec, containers: [{ name: "app", image: "nginx:2" }] },
    };
    const d = await h.engine.updateDeployment(T, "web", { template: unlabelled });
    expect(d.spec.template.labels).toEqual({ app: "web" });
    expect(d.spec.selector).toEqual({ matchLabels: { app: "web" } });
  });
});
