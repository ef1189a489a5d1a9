import { describe, expect, it } from "vitest";
import { type Harness, livePods, startHarness, webDeployment } from "../test-kit";
import { EngineSecurityState, LIMIT_EXCEEDED_GROUP } from "./engine-security-state";
import { parseCidr, parseIpv4 } from "./ipv4";
import { decideFlow } from "./security";

const A = "tenant-a";

const small = (name: string, replicas: number) =>
  webDeployment(name, replicas, "nginx:1.27", {
    template: {
      labels: { app: name },
      spec: {
        containers: [{ name: "app", image: "nginx:1.27", resources: { requests: { cpu: "10m", memory: "16Mi" } } }],
      },
    },
  });

async function world(nodes = 1): Promise<Harness> {
  const h = await startHarness();
  await h.engine.ensureTenantNamespace(A, "acme");
  await h.engine.createNodePool(A, { name: "pool", machineType: "8c16g", minSize: nodes, maxSize: nodes });
  await h.engine.createDeployment(A, small("web", 1));
  await h.engine.createDeployment(A, small("client", 1));
  await h.engine.settle();
  return h;
}

const clientPod = (h: Harness) => livePods(h.engine, A, "client")[0]?.name ?? "";
const to = (h: Harness, target: { pod: string } | { address: string }, port = 80) =>
  h.engine.checkConnectivity(A, { from: { pod: clientPod(h) }, to: target, protocol: "tcp", port });

describe("engine security state", () => {
  it("follows pods as they come and go once the tenant's tables are built", async () => {
    const h = await world();
    const [first] = livePods(h.engine, A, "web");
    expect(to(h, { pod: first?.name ?? "" }).verdict).toBe("delivered");
    await h.engine.scaleDeployment(A, "web", 2);
    await h.engine.settle();
    const added = livePods(h.engine, A, "web").find((p) => p.name !== first?.name);
    expect(to(h, { pod: added?.name ?? "" }).verdict).toBe("delivered");
    const state = h.engine.internals.ctx.securityState;
    expect(state.portAt(A, parseIpv4(added?.podIP ?? "0.0.0.0"))?.podName).toBe(added?.name);

    await h.engine.deletePod(A, added?.name ?? "", { gracePeriodSeconds: 0 });
    await h.engine.scaleDeployment(A, "web", 1);
    await h.engine.settle();
    expect(livePods(h.engine, A).map((p) => p.podIP)).not.toContain(added?.podIP);
    expect(to(h, { address: added?.podIP ?? "" }).reason).toMatchObject({
      code: "no-route",
      cause: "no-port-at-address",
    });
  });

  it("re-reads namespace labels for NetworkPolicy namespace selectors when they change", async () => {
    const h = await world();
    await h.engine.createNetworkPolicy(A, {
      name: "from-trusted",
      spec: {
        podSelector: { matchLabels: { app: "web" } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { trust: "yes" } } }] }],
      },
    });
    await h.engine.settle();
    const web = livePods(h.engine, A, "web")[0]?.name ?? "";
    expect(to(h, { pod: web }).reason?.code).toBe("network-policy");
    await h.engine.updateNamespaceMetadata(A, "acme", { labels: { trust: "yes" } });
    await h.engine.settle();
    expect(to(h, { pod: web }).verdict).toBe("delivered");
  });

  it("fails closed for a pod holding an address whose groups exceed the limits (limits lowered since)", async () => {
    const h = await world();
    for (const name of ["a", "b"])
      await h.engine.createSecurityGroup(A, {
        name,
        spec: {
          podSelector: { matchLabels: { app: "web" } },
          ingressRules: [{ protocol: "all", remoteAddress: "0.0.0.0/0", action: "allow", priority: 1 }],
        },
      });
    await h.engine.settle();
    const web = livePods(h.engine, A, "web")[0];
    const ip = parseIpv4(web?.podIP ?? "0.0.0.0");
    const lowered = new EngineSecurityState(h.engine.internals.ctx.state, () => parseCidr("10.0.0.0/16"), {
      rulesPerGroup: 60,
      groupsPerPod: 1,
      rulesPerPod: 60,
    });
    const port = lowered.portAt(A, ip);
    expect(port?.groups).toEqual([LIMIT_EXCEEDED_GROUP]);
    const client = lowered.portAt(A, parseIpv4(livePods(h.engine, A, "client")[0]?.podIP ?? "0.0.0.0"));
    if (!port || !client) throw new Error("no ports");
    const flow = {
      source: { kind: "port", port: client },
      destination: { kind: "port", port },
      protocol: "tcp",
      port: 80,
    } as const;
    expect(decideFlow(flow, lowered, lowered, 0)).toMatchObject({
      verdict: "dropped",
      reason: { code: "ingress-denied" },
    });
    // With the engine's own limits the same pod is allowed by its two groups.
    const engine = h.engine.internals.ctx.securityState;
    const own = engine.portAt(A, ip);
    if (!own) throw new Error("no port");
    expect(own.groups).toEqual(["a", "b"]);
    expect(decideFlow({ ...flow, destination: { kind: "port", port: own } }, engine, engine, 0).verdict).toBe(
      "delivered",
    );
  });

  it("has no public IPs or NAT yet: the internet is unreachable, and documented as such", async () => {
    const h = await world();
    const r = to(h, { address: "8.8.8.8" }, 443);
    expect(r.reason).toMatchObject({ code: "no-route", cause: "no-internet-egress" });
    const state = h.engine.internals.ctx.securityState;
    expect(state.portAtPublicAddress(parseIpv4("8.8.8.8"))).toBeUndefined();
    expect(state.vpcContains(A, parseIpv4("10.0.200.1"))).toBe(true);
    expect(state.vpcContains(A, parseIpv4("10.1.0.1"))).toBe(false);
    expect(to(h, { address: "192.168.1.1" }).reason).toMatchObject({ code: "no-route", cause: "outside-vpc" });
  });

  it("answers a check within 50 ms at a few hundred pods, right after a group change", async () => {
    const h = await world(3);
    await h.engine.scaleDeployment(A, "web", 300);
    await h.engine.settle();
    const pods = livePods(h.engine, A, "web").filter((p) => p.podIP !== undefined);
    expect(pods.length).toBe(300);
    const group = (name: string, base: number) => ({
      name,
      spec: {
        podSelector: { matchLabels: { app: "web" } },
        ingressRules: Array.from({ length: 60 }, (_, r) => ({
          protocol: "tcp",
          portRangeMin: base + r,
          portRangeMax: base + r,
          remoteAddress: "10.0.0.0/16",
          action: "allow",
          priority: 1 + r,
        })),
      },
    });
    for (let i = 0; i < 4; i++) await h.engine.createSecurityGroup(A, group(`g${i}`, 1000 + 100 * i));
    const input = {
      from: { pod: clientPod(h) },
      to: { pod: pods[150]?.name ?? "" },
      protocol: "tcp" as const,
      // In g4's rules only while they start at 1400 (even rounds), so each answer shows the edit.
      port: 1400,
    };
    // Each round edits a group (the tenant's tables are rebuilt) and times the first check after it.
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      await (round === 0
        ? h.engine.createSecurityGroup(A, group("g4", 1400))
        : h.engine.replaceSecurityGroup(A, group("g4", 1400 + (round % 2))));
      await h.engine.settle();
      const started = performance.now();
      const r = h.engine.checkConnectivity(A, input);
      times.push(performance.now() - started);
      expect(r.verdict).toBe(round % 2 === 0 ? "delivered" : "dropped");
    }
    times.sort((a, b) => a - b);
    // The median, so one garbage-collection pause on a busy machine does not decide it.
    expect(times[2]).toBeLessThan(50);
  });
});
