import { describe, expect, it } from "vitest";
import { EngineError } from "../core/errors";
import { cidrContains, parseCidr, parseIpv4 } from "../network/ipv4";
import { type Harness, livePods, startHarness, webDeployment } from "../test-kit";
import type { Pod } from "../kinds/types";
import { kindDefinition, findKindByResource } from "../kinds/registry";
import { contextOf } from "../kinds/fixtures.test-kit";

const A = "acme";
const B = "globex";

async function world(config: { vpcCidr?: string } = {}): Promise<Harness> {
  const h = await startHarness({ config });
  for (const t of [A, B]) {
    await h.engine.ensureTenantNamespace(t, t);
    await h.engine.setQuota(t, { cpu: "64", memory: "256Gi", pods: 200 });
    await h.engine.createNodePool(t, { name: "pool", machineType: "8c16g", minSize: 1, maxSize: 4 });
  }
  await h.engine.createNamespace(A, { name: "shop" });
  await h.engine.settle();
  return h;
}

const inside = (cidr: string) => (p: Pod) => p.podIP !== undefined && cidrContains(parseCidr(cidr), parseIpv4(p.podIP));

async function refusal(p: Promise<unknown>): Promise<EngineError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(EngineError);
  return e as EngineError;
}

describe("Vpc and Subnet objects", () => {
  it("every tenant has its default Vpc and Subnet from its first namespace, with usage at read time", async () => {
    const h = await world();
    const vpc = h.engine.getVpc(A, "default");
    expect(vpc.spec).toEqual({ cidrBlock: "10.0.0.0/16" });
    expect(vpc.status).toEqual({ subnets: ["default"] });
    const subnet = h.engine.getSubnet(A, "default");
    expect(subnet.spec).toEqual({ cidrBlock: "10.0.0.0/18", gateway: "10.0.0.1", namespaces: [], default: true });
    expect(subnet.status).toMatchObject({ used: 0, onHold: 0, namespaces: [A, "shop"] });
    await h.engine.createDeployment(A, webDeployment("web", 3));
    await h.engine.settle();
    expect(h.engine.getSubnet(A, "default").status?.used).toBe(3);
    expect(h.engine.getTenantNetwork(A).subnets).toMatchObject([{ name: "default", used: 3, default: true }]);
  });

  it("a namespace's pods take addresses from its subnet, every other namespace's from the default", async () => {
    const h = await world();
    await h.engine.createSubnet(A, { name: "shop", spec: { cidrBlock: "10.0.64.0/24", namespaces: ["shop"] } });
    await h.engine.createDeployment(A, webDeployment("api", 4, "nginx:1.27", { namespace: "shop" }));
    await h.engine.createDeployment(A, webDeployment("web", 2));
    await h.engine.settle();
    const shop = h.engine.listPods(A, { namespace: "shop", limit: 100 }).items;
    expect(shop).toHaveLength(4);
    expect(shop.every(inside("10.0.64.0/24"))).toBe(true);
    expect(livePods(h.engine, A, "web").every(inside("10.0.0.0/18"))).toBe(true);
    const net = h.engine.getTenantNetwork(A);
    expect(net.subnets.map((s) => [s.name, s.used, s.namespaces])).toEqual([
      ["default", 2, [A]],
      ["shop", 4, ["shop"]],
    ]);
    expect(h.engine.getSubnet(A, "shop").status).toMatchObject({ usable: 253, used: 4, free: 249 });
    // The flow decision's VPC is the tenant's Vpc object's.
    expect(h.engine.getVpc(A, "default").status?.subnets).toEqual(["default", "shop"]);
  });

  it("changing a subnet's namespaces moves new pods only; running pods keep their addresses", async () => {
    const h = await world();
    await h.engine.createDeployment(A, webDeployment("api", 2, "nginx:1.27", { namespace: "shop" }));
    await h.engine.settle();
    const before = new Map(h.engine.listPods(A, { namespace: "shop" }).items.map((p) => [p.id, p.podIP]));
    expect([...before.values()].every((ip) => ip?.startsWith("10.0.0."))).toBe(true);
    await h.engine.createSubnet(A, { name: "shop", spec: { cidrBlock: "10.0.64.0/24", namespaces: ["shop"] } });
    await h.engine.scaleDeployment(A, "api", 4, { namespace: "shop" });
    await h.engine.settle();
    const pods = h.engine.listPods(A, { namespace: "shop" }).items;
    for (const p of pods) if (before.has(p.id)) expect(p.podIP).toBe(before.get(p.id));
    expect(pods.filter((p) => !before.has(p.id)).every(inside("10.0.64.0/24"))).toBe(true);
    // The default subnet still counts the two it holds.
    expect(h.engine.getSubnet(A, "default").status?.used).toBe(2);
  });

  it("refuses overlapping, outside and duplicate-namespace subnets at the field", async () => {
    const h = await world();
    const overlap = await refusal(h.engine.createSubnet(A, { name: "x", spec: { cidrBlock: "10.0.32.0/24" } }));
    expect(overlap.code).toBe("INVALID");
    expect(overlap.detail?.field).toBe("spec.cidrBlock");
    expect(overlap.message).toContain('overlaps subnet "default"');
    const outside = await refusal(h.engine.createSubnet(A, { name: "x", spec: { cidrBlock: "10.9.0.0/24" } }));
    expect(outside.detail?.field).toBe("spec.cidrBlock");
    expect(outside.message).toContain("outside the VPC 10.0.0.0/16");
    await h.engine.createSubnet(A, { name: "shop", spec: { cidrBlock: "10.0.64.0/24", namespaces: ["shop"] } });
    const twice = await refusal(
      h.engine.createSubnet(A, { name: "y", spec: { cidrBlock: "10.0.65.0/24", namespaces: ["web", "shop"] } }),
    );
    expect(twice.code).toBe("INVALID");
    expect(twice.detail?.field).toBe("spec.namespaces[1]");
    expect(twice.message).toContain('namespace "shop" already takes its addresses from subnet "shop"');
    const taken = await refusal(h.engine.createSubnet(A, { name: "shop", spec: { cidrBlock: "10.0.66.0/24" } }));
    expect(taken.code).toBe("CONFLICT");
    // A dry run checks and stores nothing.
    await h.engine.createSubnet(A, { name: "dry", spec: { cidrBlock: "10.0.70.0/24" } }, { dryRun: true });
    expect(h.engine.listSubnets(A).items.map((s) => s.name)).toEqual(["default", "shop"]);
  });

  it("refuses deleting the default subnet, a subnet holding live pods (naming one), a VPC with subnets, a second VPC", async () => {
    const h = await world();
    await h.engine.createSubnet(A, { name: "shop", spec: { cidrBlock: "10.0.64.0/24", namespaces: ["shop"] } });
    await h.engine.createDeployment(A, webDeployment("api", 1, "nginx:1.27", { namespace: "shop" }));
    await h.engine.settle();
    const def = await refusal(h.engine.deleteSubnet(A, "default"));
    expect(def.code).toBe("CONFLICT");
    const used = await refusal(h.engine.deleteSubnet(A, "shop"));
    expect(used.code).toBe("CONFLICT");
    const pod = h.engine.listPods(A, { namespace: "shop" }).items[0] as Pod;
    expect(used.message).toContain(`pod "shop/${pod.name}"`);
    const shrink = await refusal(
      h.engine.replaceSubnet(A, { name: "shop", spec: { cidrBlock: "10.0.65.0/24", namespaces: ["shop"] } }),
    );
    expect(shrink.code).toBe("CONFLICT");
    expect(shrink.message).toContain(`pod "shop/${pod.name}"`);
    const vpcDelete = await refusal(h.engine.deleteVpc(A, "default"));
    expect(vpcDelete.code).toBe("CONFLICT");
    expect(vpcDelete.message).toContain("default, shop");
    const second = await refusal(h.engine.createVpc(A, { name: "default" }));
    expect(second.code).toBe("INVALID");
    expect(second.message).toContain("exactly one VPC");
    const small = await refusal(h.engine.replaceVpc(A, { name: "default", spec: { cidrBlock: "10.0.0.0/18" } }));
    expect(small.code).toBe("INVALID");
    expect(small.message).toContain('subnet "shop"');
    // Growing the VPC is fine; a stale precondition is CONFLICT.
    const grown = await h.engine.replaceVpc(A, { name: "default", spec: { cidrBlock: "10.0.0.0/15" } });
    expect(grown.spec.cidrBlock).toBe("10.0.0.0/15");
    const stale = await refusal(
      h.engine.replaceVpc(A, { name: "default", spec: { cidrBlock: "10.0.0.0/16" }, resourceVersion: 1 }),
    );
    expect(stale.code).toBe("CONFLICT");
    // Once its pods are gone the subnet goes; its namespace's new pods take the default's addresses.
    await h.engine.deleteDeployment(A, "api", { namespace: "shop" });
    await h.engine.settle();
    await h.engine.deleteSubnet(A, "shop");
    await h.engine.createDeployment(A, webDeployment("api", 1, "nginx:1.27", { namespace: "shop" }));
    await h.engine.settle();
    expect(h.engine.listPods(A, { namespace: "shop" }).items.every(inside("10.0.0.0/18"))).toBe(true);
  });

  it("exactly one default subnet: marking one default takes it from the other; un-marking it is refused", async () => {
    const h = await world();
    const unmark = await refusal(
      h.engine.replaceSubnet(A, { name: "default", spec: { cidrBlock: "10.0.0.0/18", default: false } }),
    );
    expect(unmark.code).toBe("INVALID");
    expect(unmark.detail?.field).toBe("spec.default");
    await h.engine.createSubnet(A, { name: "main", spec: { cidrBlock: "10.0.128.0/20", default: true } });
    expect(h.engine.getSubnet(A, "default").spec.default).toBe(false);
    await h.engine.createDeployment(A, webDeployment("web", 2));
    await h.engine.settle();
    expect(livePods(h.engine, A, "web").every(inside("10.0.128.0/20"))).toBe(true);
  });

  it("a subnet that runs out names itself in the Pending pod's reason", async () => {
    const h = await world();
    await h.engine.createSubnet(A, { name: "tiny", spec: { cidrBlock: "10.0.64.0/29", namespaces: ["shop"] } });
    await h.engine.createDeployment(A, webDeployment("api", 6, "nginx:1.27", { namespace: "shop" }));
    await h.engine.settle();
    const pending = h.engine.listPods(A, { namespace: "shop" }).items.filter((p) => p.podIP === undefined);
    expect(pending).toHaveLength(1);
    const cond = pending[0]?.status.conditions.find((c) => c.type === "PodScheduled");
    expect(cond?.message).toContain('the subnet "tiny" (10.0.64.0/29) has no free address');
  });

  it("another tenant's Vpc and Subnet are NOT_FOUND; tenants' CIDRs may overlap", async () => {
    const h = await world();
    await h.engine.createSubnet(A, { name: "shop", spec: { cidrBlock: "10.0.64.0/24", namespaces: ["shop"] } });
    await h.engine.createSubnet(B, { name: "shop", spec: { cidrBlock: "10.0.64.0/24" } });
    expect((await refusal(Promise.resolve().then(() => h.engine.getSubnet(B, "nope")))).code).toBe("NOT_FOUND");
    const other = h.engine.getSubnet(A, "shop").id;
    expect((await refusal(Promise.resolve().then(() => h.engine.getSubnet(B, other)))).code).toBe("NOT_FOUND");
    expect((await refusal(h.engine.deleteSubnet(B, other))).code).toBe("NOT_FOUND");
    const vpcId = h.engine.getVpc(A, "default").id;
    expect((await refusal(Promise.resolve().then(() => h.engine.getVpc(B, vpcId)))).code).toBe("NOT_FOUND");
    expect((await refusal(h.engine.replaceVpc(B, { name: vpcId }))).code).toBe("NOT_FOUND");
    expect(h.engine.getSubnet(B, "shop").spec.namespaces).toEqual([]);
  });

  it("a restart keeps every pod's address and its subnet's counts", async () => {
    let h = await world();
    await h.engine.createSubnet(A, { name: "shop", spec: { cidrBlock: "10.0.64.0/24", namespaces: ["shop"] } });
    await h.engine.createDeployment(A, webDeployment("api", 5, "nginx:1.27", { namespace: "shop" }));
    await h.engine.createDeployment(A, webDeployment("web", 3));
    await h.engine.settle();
    const before = new Map(livePods(h.engine, A).map((p) => [p.id, p.podIP]));
    await h.engine.stop();
    h = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now(), seed: 7 });
    await h.engine.scaleDeployment(A, "api", 8, { namespace: "shop" });
    await h.engine.settle();
    const after = livePods(h.engine, A);
    for (const p of after) if (before.has(p.id)) expect(p.podIP).toBe(before.get(p.id));
    expect(new Set(after.map((p) => p.podIP)).size).toBe(after.length);
    expect(h.engine.getSubnet(A, "shop").status?.used).toBe(8);
    expect(h.engine.getSubnet(A, "default").status?.used).toBe(3);
  });

  it("the load-time migration gives a tenant without objects its defaults and keeps every pod's address", async () => {
    let h = await world();
    await h.engine.createDeployment(A, webDeployment("web", 4));
    await h.engine.settle();
    const before = new Map(livePods(h.engine, A, "web").map((p) => [p.id, p.podIP]));
    await h.engine.stop();
    // A state written before the kinds existed: no Vpc, no Subnet.
    const snapshot = h.store.snapshot();
    snapshot.Vpc = [];
    snapshot.Subnet = [];
    h = await startHarness({ snapshot, startMs: h.clock.now(), seed: 7 });
    await h.engine.settle();
    expect(h.engine.listVpcs(A).items.map((v) => v.spec.cidrBlock)).toEqual(["10.0.0.0/16"]);
    expect(h.engine.listSubnets(A).items.map((s) => [s.name, s.spec.cidrBlock, s.status?.used])).toEqual([
      ["default", "10.0.0.0/18", 4],
    ]);
    expect(h.engine.listSubnets(B).items).toHaveLength(1);
    // Committed: in the store, once.
    expect(h.store.snapshot().Subnet).toHaveLength(2);
    for (const p of livePods(h.engine, A, "web")) expect(p.podIP).toBe(before.get(p.id));
    await h.engine.scaleDeployment(A, "web", 6);
    await h.engine.settle();
    expect(new Set(livePods(h.engine, A, "web").map((p) => p.podIP)).size).toBe(6);
  });

  it("an address newly excluded stays its pod's until it goes; new pods never get it", async () => {
    const h = await world();
    await h.engine.createDeployment(A, webDeployment("web", 2));
    await h.engine.settle();
    const held = livePods(h.engine, A, "web").map((p) => p.podIP as string);
    const current = h.engine.getSubnet(A, "default");
    await h.engine.replaceSubnet(A, {
      name: "default",
      spec: { ...current.spec, excludeIps: [...held, "10.0.0.10..10.0.0.20"] },
    });
    expect(h.engine.getSubnet(A, "default").status?.usable).toBe((current.status?.usable ?? 0) - 11 - held.length);
    await h.engine.scaleDeployment(A, "web", 12);
    await h.engine.settle();
    const pods = livePods(h.engine, A, "web");
    for (const ip of held) expect(pods.filter((p) => p.podIP === ip)).toHaveLength(1);
    const fresh = pods.map((p) => p.podIP as string).filter((ip) => !held.includes(ip));
    expect(fresh).toHaveLength(10);
    for (const ip of fresh) {
      const last = Number(ip.split(".")[3]);
      expect(ip.startsWith("10.0.0.") && last >= 10 && last <= 20).toBe(false);
    }
  });

  it("kubectl's columns are Kube-OVN's, with usage computed at read", async () => {
    const h = await world();
    expect(findKindByResource("subnet")?.kind).toBe("Subnet");
    expect(findKindByResource("vpcs.cloud.tenant.io")?.kind).toBe("Vpc");
    const cols = (k: "Vpc" | "Subnet") =>
      kindDefinition(k)
        .printerColumns.filter((c) => c.priority === 0)
        .map((c) => c.name.toUpperCase());
    expect(cols("Vpc")).toEqual(["NAME", "CIDR", "SUBNETS", "AGE"]);
    expect(cols("Subnet")).toEqual(["NAME", "CIDR", "NAMESPACES", "USED", "FREE", "DEFAULT", "AGE"]);
    const subnet = h.engine.getSubnet(A, "default");
    const cells = kindDefinition("Subnet").printerColumns.map((c) => c.cell(subnet, contextOf()));
    expect(cells.slice(0, 6)).toEqual(["default", "10.0.0.0/18", `${A},shop`, 0, subnet.status?.free, true]);
    const vpc = h.engine.getVpc(A, "default");
    expect(kindDefinition("Vpc").printerColumns[2]?.cell(vpc, contextOf())).toBe("default");
  });

  it("the flow decision's VPC is the tenant's Vpc object: an address outside it is outside-vpc until the VPC grows", async () => {
    const h = await world();
    await h.engine.createDeployment(A, webDeployment("web", 1));
    await h.engine.settle();
    const pod = livePods(h.engine, A, "web")[0] as Pod;
    const check = () =>
      h.engine.checkConnectivity(A, {
        from: { pod: pod.name },
        to: { address: "10.1.0.5" },
        protocol: "tcp",
        port: 80,
      });
    expect(check().reason).toMatchObject({ code: "no-route", cause: "outside-vpc" });
    await h.engine.replaceVpc(A, { name: "default", spec: { cidrBlock: "10.0.0.0/15" } });
    expect(check().reason).toMatchObject({ code: "no-route", cause: "no-port-at-address" });
    // Tenant B's VPC is its own: still 10.0.0.0/16.
    expect(h.engine.getVpc(B, "default").spec.cidrBlock).toBe("10.0.0.0/16");
  });
});
