import { describe, expect, it } from "vitest";
import { cidrContains, parseCidr, parseIpv4 } from "../network/ipv4";
import { createEngine } from "./engine";
import { type Harness, startHarness, webDeployment } from "../test-kit";

const A = "tenant-a";
const B = "tenant-b";
const RANGE = parseCidr("10.96.0.0/16");

async function world(): Promise<Harness> {
  const h = await startHarness();
  await h.engine.ensureTenantNamespace(A, "acme");
  await h.engine.ensureTenantNamespace(B, "bravo");
  for (const t of [A, B])
    await h.engine.createNodePool(t, { name: "pool", machineType: "8c16g", minSize: 2, maxSize: 2 });
  await h.engine.settle();
  return h;
}

const myService = (extra: Record<string, unknown> = {}) => ({
  name: "my-service",
  spec: { selector: { app: "web" }, ports: [{ protocol: "TCP" as const, port: 80, targetPort: 9376 }], ...extra },
});

const addressesOf = (h: Harness, tenant: string, service = "my-service") =>
  h.engine
    .listEndpointSlices(tenant, { service })
    .items.flatMap((s) => s.endpoints.filter((e) => e.conditions.ready).flatMap((e) => e.addresses))
    .sort();

const readyPodIps = (h: Harness, tenant: string) =>
  h.engine
    .listPods(tenant, { limit: 1000 })
    .items.filter(
      (p) =>
        p.deletionTimestamp === undefined && p.status.conditions.some((c) => c.type === "Ready" && c.status === "True"),
    )
    .map((p) => p.podIP as string)
    .sort();

describe("services", () => {
  it("get a ClusterIP from the tenant's range, keep it, and give it back when deleted", async () => {
    const h = await world();
    const svc = await h.engine.createService(A, myService());
    expect(svc.spec).toMatchObject({ type: "ClusterIP", sessionAffinity: "None" });
    expect(cidrContains(RANGE, parseIpv4(svc.spec.clusterIP as string))).toBe(true);
    // Another tenant's range is its own: the same first address.
    const other = await h.engine.createService(B, myService());
    expect(other.spec.clusterIP).toBe(svc.spec.clusterIP);

    await expect(h.engine.createService(A, myService())).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'services "my-service" already exists',
    });
    await expect(
      h.engine.createService(A, { name: "taken", spec: { clusterIP: svc.spec.clusterIP, ports: [{ port: 80 }] } }),
    ).rejects.toMatchObject({
      code: "INVALID",
      message: `spec.clusterIPs: Invalid value: ["${svc.spec.clusterIP}"]: failed to allocate IP ${svc.spec.clusterIP}: provided IP is already allocated`,
    });
    await expect(
      h.engine.createService(A, { name: "outside", spec: { clusterIP: "10.0.0.7", ports: [{ port: 80 }] } }),
    ).rejects.toMatchObject({ message: expect.stringContaining("provided IP (10.0.0.7) is not in the valid range") });
    await expect(
      h.engine.createService(A, { name: "bad", spec: { ports: [{ port: 0, targetPort: 80 }] } }),
    ).rejects.toMatchObject({
      code: "INVALID",
      message: 'Service "bad" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    });
    const asked = await h.engine.createService(A, {
      name: "asked",
      spec: { clusterIP: "10.96.5.5", ports: [{ port: 53, protocol: "UDP" }] },
    });
    expect(asked.spec.clusterIP).toBe("10.96.5.5");

    // Immutable: a replace that leaves it out keeps it, one that names another is refused.
    const kept = await h.engine.replaceService(A, myService({ ports: [{ port: 8080, targetPort: 9376 }] }));
    expect(kept.spec.clusterIP).toBe(svc.spec.clusterIP);
    await expect(h.engine.replaceService(A, myService({ clusterIP: "10.96.9.9" }))).rejects.toMatchObject({
      code: "INVALID",
      message:
        'Service "my-service" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.9.9": may not change once set',
    });

    // A dry run shows an address and keeps none.
    const free = h.engine.internals.ctx.serviceNetwork.freeAddresses(A);
    const dry = await h.engine.createService(A, { name: "dry", spec: { ports: [{ port: 80 }] } }, { dryRun: true });
    expect(dry.spec.clusterIP).toBeDefined();
    expect(h.engine.internals.ctx.serviceNetwork.freeAddresses(A)).toBe(free);

    await h.engine.deleteService(A, "asked");
    expect(h.engine.internals.ctx.serviceNetwork.freeAddresses(A)).toBe(free + 1);
    const again = await h.engine.createService(A, {
      name: "asked",
      spec: { clusterIP: "10.96.5.5", ports: [{ port: 53 }] },
    });
    expect(again.spec.clusterIP).toBe("10.96.5.5");
  });

  it("rebuild the allocator from committed services after a restart", async () => {
    const h = await world();
    const first = await h.engine.createService(A, myService());
    await h.engine.stop();
    const engine = createEngine({ store: h.store, clock: h.clock });
    await engine.start();
    await engine.settle();
    // The address is still taken after the restart; the next service gets another.
    await expect(
      engine.createService(A, { name: "copy", spec: { clusterIP: first.spec.clusterIP, ports: [{ port: 80 }] } }),
    ).rejects.toMatchObject({ message: expect.stringContaining("provided IP is already allocated") });
    const next = await engine.createService(A, { name: "next", spec: { ports: [{ port: 80 }] } });
    expect(next.spec.clusterIP).not.toBe(first.spec.clusterIP);
    // And the table is rebuilt too.
    expect(engine.listForwardingEntries(A).map((e) => e.service)).toEqual(["acme/my-service", "acme/next"]);
    await engine.stop();
  });

  it("keep a doubled address with the older service after a restart, and keep it held when the other goes", async () => {
    const h = await world();
    await h.engine.createService(A, { name: "first", spec: { ports: [{ port: 80 }] } });
    await h.engine.createService(A, { name: "second", spec: { ports: [{ port: 80 }] } });
    await h.engine.stop();
    const snapshot = h.store.snapshot();
    const [first, second] = [...snapshot.Service].sort((a, b) => a.createdAt - b.createdAt);
    if (!first || !second) throw new Error("the services were not stored");
    second.spec = { ...second.spec, clusterIP: first.spec.clusterIP };
    const r = await startHarness({ snapshot, startMs: h.clock.now() });
    await r.engine.settle();
    const warning = r.engine.listEvents(A, { objectKind: "Service", objectName: "second" }).items[0];
    expect(warning).toMatchObject({ type: "Warning", reason: "ClusterIPConflict" });
    expect(r.engine.listForwardingEntries(A).map((e) => e.service)).toEqual(["acme/first"]);
    await r.engine.deleteService(A, "second");
    await expect(
      r.engine.createService(A, { name: "third", spec: { clusterIP: first.spec.clusterIP, ports: [{ port: 80 }] } }),
    ).rejects.toMatchObject({ message: expect.stringContaining("provided IP is already allocated") });
    await r.engine.stop();
  });

  it("keep their EndpointSlices on the ready pods through a rollout", async () => {
    const h = await world();
    await h.engine.createService(A, myService());
    const slices = h.engine.listEndpointSlices(A, { service: "my-service" }).items;
    // Nothing selected yet: one empty placeholder slice, as Kubernetes keeps.
    await h.engine.settle();
    expect(h.engine.listEndpointSlices(A, { service: "my-service" }).items).toHaveLength(1);
    expect(slices.length).toBeLessThanOrEqual(1);

    const ready = { env: [{ name: "SIM_READY_AFTER_SECONDS", value: "5" }] };
    const template = (image: string) => ({
      labels: { app: "web" },
      spec: {
        containers: [{ name: "app", image, ...ready, resources: { requests: { cpu: "250m", memory: "256Mi" } } }],
      },
    });
    await h.engine.createDeployment(A, { ...webDeployment("web", 3), template: template("nginx:1.27") });
    await h.engine.settle();
    expect(addressesOf(h, A)).toEqual(readyPodIps(h, A));
    expect(addressesOf(h, A)).toHaveLength(3);
    const [slice] = h.engine.listEndpointSlices(A, { service: "my-service" }).items;
    expect(slice?.ports).toEqual([{ name: "", protocol: "TCP", port: 9376 }]);
    expect(slice?.labels["kubernetes.io/service-name"]).toBe("my-service");

    // A rollout: at every step the ready endpoints are exactly the ready pods.
    await h.engine.updateDeployment(A, "web", { template: template("nginx:1.28") });
    let steps = 0;
    await h.engine.runFor(120_000, () => {
      steps++;
      expect(addressesOf(h, A)).toEqual(readyPodIps(h, A));
    });
    expect(steps).toBeGreaterThan(5);
    const images = h.engine
      .listPods(A, { limit: 100 })
      .items.filter((p) => p.deletionTimestamp === undefined)
      .map((p) => p.spec.containers[0]?.image);
    expect(images).toEqual(["nginx:1.28", "nginx:1.28", "nginx:1.28"]);
    expect(addressesOf(h, A)).toHaveLength(3);

    // Deleting the service takes its slices with it.
    await h.engine.deleteService(A, "my-service");
    await h.engine.settle();
    expect(h.engine.listEndpointSlices(A).items).toEqual([]);
  });

  it("route a ready pod through its VIP in the tenant's table; another tenant's same VIP reaches its own pods", async () => {
    const h = await world();
    const a = await h.engine.createService(A, myService());
    const b = await h.engine.createService(B, myService());
    expect(a.spec.clusterIP).toBe(b.spec.clusterIP);
    const vip = a.spec.clusterIP as string;
    expect(h.engine.lookupServiceRoute(A, { ip: vip, port: 80 })).toEqual({ outcome: "no-ready-endpoints" });

    await h.engine.createDeployment(A, webDeployment("web", 1));
    await h.engine.createDeployment(B, webDeployment("web", 2));
    await h.engine.settle();
    const podA = readyPodIps(h, A);
    const podsB = readyPodIps(h, B);
    expect(podA).toHaveLength(1);
    const routeA = h.engine.lookupServiceRoute(A, { ip: vip, port: 80, sourceIp: "10.0.0.99", sourcePort: 40000 });
    expect(routeA).toMatchObject({
      outcome: "forwarded",
      port: 9376,
      service: { namespace: "acme", name: "my-service" },
    });
    expect(routeA.outcome === "forwarded" && routeA.ip).toBe(parseIpv4(podA[0] as string));
    const routeB = h.engine.lookupServiceRoute(B, { ip: vip, port: 80, sourceIp: "10.0.0.99", sourcePort: 40000 });
    expect(routeB).toMatchObject({ outcome: "forwarded", service: { namespace: "bravo", name: "my-service" } });
    expect(podsB.map(parseIpv4)).toContain(routeB.outcome === "forwarded" ? routeB.ip : -1);
    expect(h.engine.listForwardingEntries(B)[0]?.backends).toEqual(podsB.map((ip) => `${ip}:9376`));
    expect(h.engine.lookupServiceRoute(A, { ip: vip, port: 81 })).toEqual({ outcome: "port-not-exposed" });
    expect(h.engine.lookupServiceRoute(A, { ip: "10.96.200.1", port: 80 })).toEqual({ outcome: "no-such-service" });

    // The service gone, its VIP routes nowhere; tenant B's is untouched.
    await h.engine.deleteService(A, "my-service");
    await h.engine.settle();
    expect(h.engine.lookupServiceRoute(A, { ip: vip, port: 80 })).toEqual({ outcome: "no-such-service" });
    expect(h.engine.lookupServiceRoute(B, { ip: vip, port: 80 }).outcome).toBe("forwarded");
  });

  it("go with their namespace, slices included; another tenant cannot see them", async () => {
    const h = await world();
    await h.engine.createNamespace(A, { name: "shop" });
    await h.engine.createService(A, { ...myService(), namespace: "shop" });
    await h.engine.createDeployment(A, { ...webDeployment("web", 2), namespace: "shop" });
    await h.engine.settle();
    expect(h.engine.listEndpointSlices(A, { namespace: "shop" }).items).toHaveLength(1);
    expect(() => h.engine.getService(B, "my-service", { namespace: "shop" })).toThrow(/not found/);
    expect(h.engine.listServices(B).items).toEqual([]);
    const free = h.engine.internals.ctx.serviceNetwork.freeAddresses(A);

    await h.engine.deleteNamespace(A, "shop");
    await h.engine.settle();
    expect(h.engine.listServices(A).items).toEqual([]);
    expect(h.engine.listEndpointSlices(A).items).toEqual([]);
    expect(h.engine.internals.ctx.serviceNetwork.freeAddresses(A)).toBe(free + 1);
    expect(h.engine.listForwardingEntries(A)).toEqual([]);
  });

  it("refuse what is not modelled by name", async () => {
    const h = await world();
    await expect(
      h.engine.createService(A, { name: "np", spec: { type: "NodePort", ports: [{ port: 80 }] } }),
    ).rejects.toMatchObject({ message: expect.stringContaining('spec.type: Unsupported value: "NodePort"') });
    await expect(
      h.engine.createService(A, { name: "v6", spec: { ipFamilies: ["IPv6"], ports: [{ port: 80 }] } }),
    ).rejects.toMatchObject({ message: expect.stringContaining('spec.ipFamilies[0]: Unsupported value: "IPv6"') });
    const lb = await h.engine.createService(A, { name: "lb", spec: { type: "LoadBalancer", ports: [{ port: 80 }] } });
    expect(lb.status).toEqual({});
  });
});
