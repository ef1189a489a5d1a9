import { describe, expect, it } from "vitest";
import { contextOf } from "../kinds/fixtures.test-kit";
import { kindDefinition, toKubernetes } from "../kinds/registry";
import type { Pod } from "../kinds/types";
import { type Harness, livePods, startHarness, webDeployment } from "../test-kit";
import { cidrContains, parseCidr, parseIpv4 } from "./ipv4";
import { IP_ADDRESS_ANNOTATION, MAC_ADDRESS_ANNOTATION } from "./ipam";

const A = "acme";
const B = "globex";

async function world(config: { vpcCidr?: string } = {}): Promise<Harness> {
  const h = await startHarness({ config });
  for (const t of [A, B]) {
    await h.engine.ensureTenantNamespace(t, t);
    await h.engine.setQuota(t, { cpu: "64", memory: "256Gi", pods: 200 });
    await h.engine.createNodePool(t, { name: "pool", machineType: "8c16g", minSize: 1, maxSize: 4 });
  }
  await h.engine.settle();
  return h;
}

// biome-ignore lint/suspicious/noExplicitAny: the test reads the wire shape.
const wire = (p: Pod) => toKubernetes(p, contextOf()) as any;

const addresses = (pods: Pod[]) => pods.map((p) => p.podIP as string);

describe("pods' private addresses", () => {
  it("a bound pod gets an address and MAC of its tenant's default subnet; tenants' ranges overlap", async () => {
    const h = await world();
    await h.engine.createDeployment(A, webDeployment("web", 5));
    await h.engine.createDeployment(B, webDeployment("web", 5));
    await h.engine.settle();
    const subnet = parseCidr("10.0.0.0/18");
    for (const t of [A, B]) {
      const pods = livePods(h.engine, t, "web");
      expect(pods.every((p) => p.nodeId !== undefined && cidrContains(subnet, parseIpv4(p.podIP ?? "")))).toBe(true);
      expect(new Set(addresses(pods)).size).toBe(5);
      for (const p of pods) {
        const [, , c, d] = (p.podIP as string).split(".").map(Number) as number[];
        expect(p.macAddress).toBe(
          `0a:58:0a:00:${c?.toString(16).padStart(2, "0")}:${d?.toString(16).padStart(2, "0")}`,
        );
      }
    }
    // Both tenants start at the same first address: their networks never meet.
    expect(addresses(livePods(h.engine, A, "web")).sort()).toEqual(addresses(livePods(h.engine, B, "web")).sort());

    const pod = livePods(h.engine, A, "web")[0] as Pod;
    const k = wire(pod);
    expect(k.status.podIP).toBe(pod.podIP);
    expect(k.status.podIPs).toEqual([{ ip: pod.podIP }]);
    expect(k.metadata.annotations[MAC_ADDRESS_ANNOTATION]).toBe(pod.macAddress);
    const ip = kindDefinition("Pod").printerColumns.find((c) => c.name === "IP");
    expect(ip?.cell(pod, contextOf())).toBe(pod.podIP);
    expect(kindDefinition("Pod").fieldGetters["status.podIP"]?.(pod)).toBe(pod.podIP);
  });

  it("never hands one address to two live pods through churn, and keeps them across a restart", async () => {
    let h = await world();
    await h.engine.createDeployment(A, webDeployment("web", 20));
    await h.engine.settle();
    for (const replicas of [5, 25, 10, 30]) {
      await h.engine.scaleDeployment(A, "web", replicas);
      await h.engine.settle();
      const live = addresses(livePods(h.engine, A, "web"));
      expect(live).toHaveLength(replicas);
      expect(new Set(live).size).toBe(replicas);
    }
    const before = new Map(livePods(h.engine, A, "web").map((p) => [p.id, p.podIP]));
    await h.engine.stop();
    h = await startHarness({ snapshot: h.store.snapshot(), startMs: h.clock.now(), seed: 7 });
    await h.engine.scaleDeployment(A, "web", 40);
    await h.engine.settle();
    const after = livePods(h.engine, A, "web");
    for (const p of after) if (before.has(p.id)) expect(p.podIP).toBe(before.get(p.id));
    expect(new Set(addresses(after)).size).toBe(40);
  });

  it("a subnet that runs out keeps the pod Pending with the reason and an event, and places it once an address is free", async () => {
    // A /28 VPC is one subnet of 13 usable addresses (network, broadcast and gateway reserved).
    const h = await world({ vpcCidr: "10.1.0.0/28" });
    await h.engine.createDeployment(A, webDeployment("web", 14));
    await h.engine.settle();
    const pods = livePods(h.engine, A, "web");
    const waiting = pods.filter((p) => p.podIP === undefined);
    expect(waiting).toHaveLength(1);
    const pending = waiting[0] as Pod;
    expect(pending.status.phase).toBe("Pending");
    const scheduled = pending.status.conditions.find((c) => c.type === "PodScheduled");
    expect(scheduled).toMatchObject({ status: "False", reason: "Unschedulable" });
    expect(scheduled?.message).toBe(
      'the subnet "default" (10.1.0.0/28) has no free address: all 13 usable addresses are in use; delete pods or add a subnet',
    );
    const events = h.engine.listEvents(A, { limit: 500 }).items;
    expect(events.some((e) => e.reason === "FailedScheduling" && e.objectName === pending.name)).toBe(true);

    // A pod goes: its address is held 30 s, then the waiting pod gets it.
    const gone = pods.find((p) => p.podIP !== undefined) as Pod;
    await h.engine.deletePod(A, gone.name, { gracePeriodSeconds: 0 });
    await h.engine.settle();
    const placed = h.engine.getPod(A, pending.name);
    expect(placed.podIP).toBe(gone.podIP);
    expect(placed.nodeId).toBeDefined();
  });

  it("a static address asked for in an annotation is given, and refused with the reason while another pod holds it", async () => {
    const h = await world();
    const annotated = (name: string) =>
      webDeployment(name, 1, "nginx:1.27", {
        template: { ...webDeployment(name).template, annotations: { [IP_ADDRESS_ANNOTATION]: "10.0.7.7" } },
      });
    await h.engine.createDeployment(A, annotated("db"));
    await h.engine.createDeployment(A, annotated("db2"));
    await h.engine.settle();
    const [first] = livePods(h.engine, A, "db");
    const [second] = livePods(h.engine, A, "db2");
    expect(first?.podIP).toBe("10.0.7.7");
    expect(second?.podIP).toBeUndefined();
    expect(second?.status.conditions.find((c) => c.type === "PodScheduled")?.message).toMatch(/10\.0\.7\.7/);
    // The first goes: a static address is free at once, so the second takes it.
    await h.engine.deleteDeployment(A, "db");
    await h.engine.settle();
    expect(livePods(h.engine, A, "db2")[0]?.podIP).toBe("10.0.7.7");
  });
});
