/**
 * Public IPs in the data plane, through the engine: the connectivity check and the traffic model
 * reach a pod from the internet by its public IP (subject to its security groups), a pod reaches the
 * internet from its public IP (capped at the bandwidth bought), and DDoS protection black-holes a
 * flooded address, with its operator overrides, on the virtual clock.
 */
import { describe, expect, it } from "vitest";
import type { Engine } from "../api/engine";
import type { Pod } from "../kinds/types";
import { type Harness, livePods, startHarness } from "../test-kit";

const A = "tenant-a";
const B = "tenant-b";

const THRESHOLDS = { packetsPerSecond: 1_000, bitsPerSecond: 1e9, sustainMs: 10_000, blackholeMs: 60_000 };

async function world(): Promise<Harness> {
  const h = await startHarness({ config: { ddosThresholds: THRESHOLDS, ddosIntervalMs: 5_000 } });
  await h.engine.ensureTenantNamespace(A, "acme");
  await h.engine.ensureTenantNamespace(B, "bravo");
  for (const t of [A, B])
    await h.engine.createNodePool(t, { name: "pool", machineType: "8c16g", minSize: 1, maxSize: 1 });
  await h.engine.createPublicIpPool({ name: "main", spec: { cidrs: ["203.0.113.0/24"] } });
  await h.engine.settle();
  return h;
}

async function deploy(engine: Engine, tenant: string, name: string, traffic = ""): Promise<Pod> {
  await engine.createDeployment(tenant, {
    name,
    replicas: 1,
    template: {
      labels: { app: name },
      spec: {
        containers: [
          {
            name: "app",
            image: "nginx:1.27",
            env: traffic ? [{ name: "SIM_TRAFFIC", value: traffic }] : [],
            ports: [{ name: "http", containerPort: 80 }],
            resources: { requests: { cpu: "100m", memory: "64Mi" } },
          },
        ],
      },
    },
  });
  await engine.runFor(15_000);
  return livePods(engine, tenant, name)[0] as Pod;
}

const trafficOf = (h: Harness, pod: Pod) => h.engine.internals.ctx.runtime.traffic?.(pod.id);
const publicReport = (h: Harness, address: string) =>
  h.engine.internals.ctx.runtime.publicIpTraffic?.()?.find((r) => r.address === address);

describe("public IPs in the data plane", () => {
  it("the internet reaches a bound pod by its public address, as its security groups allow", async () => {
    const h = await world();
    const web = await deploy(h.engine, A, "web");
    const pip = await h.engine.createPublicIp(A, { name: "web", spec: { target: { kind: "Pod", name: web.name } } });
    const check = (port: number) =>
      h.engine.checkConnectivity(A, {
        from: { internet: true },
        to: { address: pip.status.address },
        protocol: "tcp",
        port,
      });
    expect(check(80)).toMatchObject({
      verdict: "delivered",
      path: "public",
      destination: { ip: pip.status.address, pod: web.name },
      source: { internet: true, ip: "192.0.2.1" },
    });
    await h.engine.createSecurityGroup(A, {
      name: "web",
      spec: {
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
      },
    });
    expect(check(80).verdict).toBe("delivered");
    expect(check(22)).toMatchObject({ verdict: "dropped", reason: { code: "ingress-denied" } });
    // Another tenant's view of that address: the internet, nothing about the pod behind it.
    const other = h.engine.checkConnectivity(B, {
      from: { internet: true },
      to: { address: pip.status.address },
      protocol: "tcp",
      port: 80,
    });
    expect(other).toMatchObject({ verdict: "dropped", reason: { code: "no-route", cause: "no-public-target" } });
    expect(JSON.stringify(other)).not.toContain(web.name);
    // Unbound, nothing answers there.
    await h.engine.unbindPublicIp(A, "web");
    expect(check(80)).toMatchObject({ verdict: "dropped", reason: { code: "no-route" } });
  });

  it("a LoadBalancer's public address forwards to one of its ready endpoints", async () => {
    const h = await world();
    const web = await deploy(h.engine, A, "web");
    await h.engine.createService(A, {
      name: "shop",
      spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80 }] },
    });
    const lb = await h.engine.createPublicIp(A, { name: "lb", spec: { target: { kind: "Service", name: "shop" } } });
    await h.engine.runFor(5_000);
    expect(h.engine.getService(A, "shop").status.loadBalancer).toEqual({ ingress: [{ ip: lb.status.address }] });
    expect(
      h.engine.checkConnectivity(A, {
        from: { internet: true },
        to: { address: lb.status.address },
        protocol: "tcp",
        port: 80,
      }),
    ).toMatchObject({ verdict: "delivered", destination: { pod: web.name } });
    // Traffic from another tenant's pod (through its own public IP) arrives at the endpoint.
    const client = await deploy(h.engine, B, "client", `to=${lb.status.address};port=80;rate=1M;size=1000`);
    await h.engine.createPublicIp(B, { name: "out", spec: { target: { kind: "Pod", name: client.name } } });
    await h.engine.runFor(1_000);
    // B's check reaches A's address across the internet and learns nothing of what is behind it.
    const seenByB = h.engine.checkConnectivity(B, {
      from: { pod: client.name },
      to: { address: lb.status.address },
      protocol: "tcp",
      port: 80,
    });
    expect(seenByB).toMatchObject({ verdict: "delivered", path: "public", destination: { ip: lb.status.address } });
    expect(JSON.stringify(seenByB)).not.toContain(web.name);
    expect(trafficOf(h, web)?.rx.bitsPerSecond).toBeCloseTo(1e6, -3);
    expect(publicReport(h, lb.status.address)?.rxBitsPerSecond).toBeCloseTo(1e6, -3);
  });

  it("a pod reaches the internet from its public IP only, capped at the bandwidth bought", async () => {
    const h = await world();
    const pod = await deploy(h.engine, A, "client", "to=internet;port=443;rate=50M;size=1000");
    await h.engine.runFor(1_000);
    expect(trafficOf(h, pod)?.drops).toEqual([expect.objectContaining({ direction: "egress", reason: "no-route" })]);
    expect(
      h.engine.checkConnectivity(A, {
        from: { pod: pod.name },
        to: { address: "192.0.2.1" },
        protocol: "tcp",
        port: 443,
      }),
    ).toMatchObject({ verdict: "dropped", reason: { code: "no-route", cause: "no-internet-egress" } });

    const pip = await h.engine.createPublicIp(A, {
      name: "out",
      spec: { bandwidthMbps: 10, target: { kind: "Pod", name: pod.name } },
    });
    await h.engine.runFor(1_000);
    const r = trafficOf(h, pod);
    expect(r?.tx.bitsPerSecond).toBeCloseTo(10e6, -3);
    expect(r?.drops).toEqual([expect.objectContaining({ direction: "egress", reason: "rate-limit" })]);
    expect(publicReport(h, pip.status.address)).toMatchObject({ name: "out", tenantId: A, blackholed: false });
    expect(publicReport(h, pip.status.address)?.txBitsPerSecond).toBeCloseTo(10e6, -3);
    expect(h.engine.networkUsageByTenant()).toEqual([
      expect.objectContaining({ tenantId: A, publicIps: 1, boundPublicIps: 1, bandwidthMbps: 10 }),
    ]);
  });

  it("a flood black-holes the address, with events, overrides and an end", async () => {
    const h = await world();
    const victim = await deploy(h.engine, A, "web");
    const target = await h.engine.createPublicIp(A, {
      name: "web",
      spec: { target: { kind: "Pod", name: victim.name } },
    });
    const address = target.status.address;
    const attacker = await deploy(h.engine, B, "flood", `to=${address};port=80;rate=20M;size=100`);
    await h.engine.createPublicIp(B, {
      name: "out",
      spec: { bandwidthMbps: 100, target: { kind: "Pod", name: attacker.name } },
    });
    const status = () => h.engine.getPublicIp(A, "web").status.ddos;
    const reasons = () =>
      h.engine
        .listEvents(A, { objectKind: "PublicIP", objectName: "web", limit: 100 })
        .items.map((e) => e.reason)
        .filter((r) => r.startsWith("DDoS"));

    await h.engine.runFor(5_000);
    expect(publicReport(h, address)?.offeredRxPacketsPerSecond).toBeCloseTo(25_000, -2);
    expect(status().blackholedUntil).toBeUndefined();
    await h.engine.runFor(10_000);
    const until = status().blackholedUntil;
    expect(until).toBeGreaterThan(h.clock.now());
    expect(reasons()).toEqual(["DDoSBlackholed"]);
    expect(h.engine.listDdosEvents().items.map((e) => e.reason)).toEqual(["DDoSBlackholed"]);
    expect(publicReport(h, address)).toMatchObject({ blackholed: true });
    expect(publicReport(h, address)?.blackholedPacketsPerSecond).toBeGreaterThan(0);
    expect(trafficOf(h, victim)?.drops).toEqual([
      expect.objectContaining({ direction: "ingress", reason: "blackholed" }),
    ]);
    expect(
      h.engine.checkConnectivity(A, { from: { internet: true }, to: { address }, protocol: "tcp", port: 80 }),
    ).toMatchObject({ verdict: "dropped", reason: { code: "blackholed", side: "destination" } });
    expect(h.engine.networkUsageByTenant().find((u) => u.tenantId === A)?.blackholedPublicIps).toBe(1);

    // Operator: clear it; the flood goes on, so it is black-holed again after the sustain period.
    await h.engine.clearDdosBlackhole(address);
    expect(status().blackholedUntil).toBeUndefined();
    expect(status().lastBlackholeAt).toBeDefined();
    await h.engine.runFor(15_000);
    expect(status().blackholedUntil).toBeDefined();

    // Operator: disable protection: never black-holed while the flood lasts.
    await h.engine.setDdosProtection(address, false);
    expect(status()).toMatchObject({ protectionDisabled: true });
    expect(status().blackholedUntil).toBeUndefined();
    await h.engine.runFor(60_000);
    expect(status().blackholedUntil).toBeUndefined();
    expect(publicReport(h, address)?.rxPacketsPerSecond).toBeGreaterThan(0);

    // Protected again: black-holed, then the flood stops and the blackhole ends by itself.
    await h.engine.setDdosProtection(address, true);
    await h.engine.runFor(15_000);
    expect(status().blackholedUntil).toBeDefined();
    await h.engine.unbindPublicIp(B, "out");
    await h.engine.runFor(THRESHOLDS.blackholeMs + 10_000);
    expect(status().blackholedUntil).toBeUndefined();
    const ended = h.engine.listDdosEvents().items;
    expect(ended[0]).toMatchObject({ reason: "DDoSBlackholeEnded", objectName: "web" });
    expect(reasons().filter((r) => r === "DDoSBlackholed").length).toBeGreaterThanOrEqual(1);
    expect(() => h.engine.getPublicIp(B, "web", { namespace: "acme" })).toThrow();
  });

  it("a blackhole and an override survive a restart", async () => {
    const h = await world();
    const victim = await deploy(h.engine, A, "web");
    const { status } = await h.engine.createPublicIp(A, {
      name: "web",
      spec: { target: { kind: "Pod", name: victim.name } },
    });
    const attacker = await deploy(h.engine, B, "flood", `to=${status.address};port=80;rate=20M;size=100`);
    await h.engine.createPublicIp(B, {
      name: "out",
      spec: { bandwidthMbps: 100, target: { kind: "Pod", name: attacker.name } },
    });
    await h.engine.runFor(20_000);
    const until = h.engine.getPublicIp(A, "web").status.ddos.blackholedUntil;
    expect(until).toBeDefined();
    await h.engine.stop();
    const next = await startHarness({
      snapshot: h.store.snapshot(),
      startMs: h.clock.now(),
      config: { ddosThresholds: THRESHOLDS, ddosIntervalMs: 5_000 },
    });
    const ddos = next.engine.internals.ctx.publicIps.ddos;
    const ip = status.address.split(".").reduce((n, o) => n * 256 + Number(o), 0);
    expect(ddos.blackholedUntil(ip, next.clock.now())).toBe(until);
    await next.engine.setDdosProtection(status.address, false);
    await next.engine.stop();
    const third = await startHarness({ snapshot: next.store.snapshot(), startMs: next.clock.now() });
    expect(third.engine.internals.ctx.publicIps.ddos.stateOf(ip, third.clock.now()).status).toBe("protection-disabled");
  });
});
