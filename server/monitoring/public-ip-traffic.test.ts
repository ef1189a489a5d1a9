/**
 * Public IPs in monitoring: the counters integrate the model's per-IP rates round by round
 * (never twice for one instant, forgetting released IPs), the collector feeds them from the
 * runtime's `publicIpTraffic()`, and `/api/metrics` serves them as counters and a gauge per
 * tenant, namespace, PublicIP and address that promtool accepts, each tenant only its own;
 * end to end, a flood from one tenant black-holes another's address in the engine's model and
 * the scrape says so.
 */
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "@/db/client";
import { createSimulatedRuntime, createVirtualClock, type RuntimePort } from "../engine";
import type { Orchestrator } from "../engine/api/orchestrator";
import type { PublicIpTrafficReport } from "../engine/runtime/traffic/traffic-report";
import { collectRound } from "./collector";
import { createContainerCounters } from "./counters";
import { hasPromtool, parseExposition, promtoolCheck } from "./exposition.test-kit";
import { renderMetrics, writePublicIps } from "./prometheus";
import { metricFamilies } from "./prometheus-families";
import { createMonitoring } from "./index";
import { createPublicIpCounters } from "./public-ip-counters";
import { livePods, startHarness } from "../engine/test-kit";
import { openTestDatabase } from "../testing/database";

const report = (r: Partial<PublicIpTrafficReport> & Pick<PublicIpTrafficReport, "tenantId" | "name" | "address">) => ({
  namespace: "default",
  rxBitsPerSecond: 8_000,
  txBitsPerSecond: 16_000,
  rxPacketsPerSecond: 10,
  txPacketsPerSecond: 20,
  offeredRxPacketsPerSecond: 10,
  offeredRxBitsPerSecond: 8_000,
  blackholedPacketsPerSecond: 0,
  blackholed: false,
  ...r,
});

const web = report({ tenantId: "t1", name: "web", address: "203.0.113.7" });
const flooded = report({
  tenantId: "t1",
  name: "shop",
  address: "203.0.113.8",
  rxBitsPerSecond: 0,
  blackholedPacketsPerSecond: 50_000,
  blackholed: true,
});
const other = report({ tenantId: "t2", name: "api", address: "203.0.113.9" });

describe("public IP counters", () => {
  it("integrate each interval once per instant, keep the blackhole state and forget released IPs", () => {
    const c = createPublicIpCounters();
    c.record(10_000, 10_000, [web, flooded, other]);
    c.record(10_000, 10_000, [web, flooded, other]); // the same round read again
    c.record(15_000, 10_000, [web, { ...flooded, blackholed: false, blackholedPacketsPerSecond: 0 }, other]);
    expect(c.ofTenant("t1").map((t) => [t.name, t.receiveBytes, t.transmitBytes, t.blackholedPackets, t.blackholed]))
      // 8 kbit/s = 1,000 B/s over 15 s; the flood dropped 50,000 packets/s for the first 10 s.
      .toEqual([
        ["shop", 0, 30_000, 500_000, false],
        ["web", 15_000, 30_000, 0, false],
      ]);
    c.record(25_000, 10_000, [other]); // web and shop released
    expect(c.ofTenant("t1")).toEqual([]);
    expect(c.ofTenant("t2").map((t) => t.receiveBytes)).toEqual([25_000]);
  });

  it("are fed by the collector from the runtime's publicIpTraffic()", () => {
    const clock = createVirtualClock(0);
    const engine = { runningPodsByNode: () => [] } as unknown as Orchestrator;
    const runtime = { stats: () => undefined, publicIpTraffic: () => [web] } as unknown as RuntimePort;
    const publicIpCounters = createPublicIpCounters();
    const counters = createContainerCounters();
    for (let round = 1; round <= 3; round++) {
      clock.advance(10_000);
      collectRound({ engine, runtime, clock, intervalMs: 10_000, counters, publicIpCounters });
      expect(publicIpCounters.ofTenant("t1")[0]?.receiveBytes).toBe(round * 10_000);
    }
  });
});

describe("Prometheus families of public IPs", () => {
  it("serves bytes and blackholed packets as counters and the blackhole as a 0/1 gauge", async () => {
    const registry = new Registry();
    const f = metricFamilies(registry);
    const c = createPublicIpCounters();
    c.record(10_000, 10_000, [web, flooded]);
    writePublicIps(f, "t1", c.ofTenant("t1"));
    const body = await registry.metrics();
    const families = parseExposition(body);
    const labels = (name: string, address: string) => ({ tenant: "t1", namespace: "default", publicip: name, address });
    const values = (family: string) => families.get(family)?.samples.map((s) => [s.labels, s.value]);
    for (const name of [
      "public_ip_receive_bytes_total",
      "public_ip_transmit_bytes_total",
      "public_ip_blackholed_packets_total",
    ])
      expect(families.get(name)?.type).toBe("counter");
    expect(families.get("public_ip_blackholed")?.type).toBe("gauge");
    expect(values("public_ip_receive_bytes_total")).toEqual([
      [labels("shop", "203.0.113.8"), 0],
      [labels("web", "203.0.113.7"), 10_000],
    ]);
    expect(values("public_ip_blackholed_packets_total")).toEqual([
      [labels("shop", "203.0.113.8"), 500_000],
      [labels("web", "203.0.113.7"), 0],
    ]);
    expect(values("public_ip_blackholed")).toEqual([
      [labels("shop", "203.0.113.8"), 1],
      [labels("web", "203.0.113.7"), 0],
    ]);
    if (hasPromtool) expect(promtoolCheck(body)).toEqual({ status: 0, output: "" });
  });

  it("a tenant's scrape holds only its own public IPs", async () => {
    const c = createPublicIpCounters();
    c.record(10_000, 10_000, [web, flooded, other]);
    const engine = {
      listPods: () => ({ items: [] }),
      listDeployments: () => ({ items: [] }),
    } as unknown as Orchestrator;
    const scrape = async (tenants: string[]) => {
      const { body } = await renderMetrics(
        {} as Database,
        engine,
        { ofPod: () => undefined, publicIpsOfTenant: c.ofTenant },
        tenants,
      );
      return parseExposition(body)
        .get("public_ip_blackholed")
        ?.samples.map((s) => s.labels.address);
    };
    expect(await scrape(["t2"])).toEqual(["203.0.113.9"]);
    expect(await scrape(["t1"])).toEqual(["203.0.113.8", "203.0.113.7"]);
    expect(await scrape(["t1", "t2"])).toHaveLength(3); // an operator's scrape: every tenant's
  });
});

describe("public IPs in a scrape of the engine's model", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => handle.close());

  it("shows a flood black-holing a tenant's address, its counters growing, each tenant only its own", async () => {
    const runtime = createSimulatedRuntime();
    const h = await startHarness({
      runtime,
      config: {
        ddosThresholds: { packetsPerSecond: 1_000, bitsPerSecond: 1e9, sustainMs: 10_000, blackholeMs: 600_000 },
        ddosIntervalMs: 5_000,
      },
    });
    await h.engine.ensureTenantNamespace("ta", "acme");
    await h.engine.ensureTenantNamespace("tb", "bravo");
    for (const t of ["ta", "tb"])
      await h.engine.createNodePool(t, { name: "pool", machineType: "8c16g", minSize: 1, maxSize: 1 });
    await h.engine.createPublicIpPool({ name: "main", spec: { cidrs: ["203.0.113.0/24"] } });
    const deploy = async (tenant: string, name: string, traffic: string) => {
      await h.engine.createDeployment(tenant, {
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
      await h.engine.runFor(15_000);
      return livePods(h.engine, tenant, name)[0]?.name ?? "";
    };
    const victim = await deploy("ta", "web", "");
    const { status } = await h.engine.createPublicIp("ta", {
      name: "web",
      spec: { target: { kind: "Pod", name: victim } },
    });
    const attacker = await deploy("tb", "flood", `to=${status.address};port=80;rate=20M;size=100`);
    await h.engine.createPublicIp("tb", {
      name: "out",
      spec: { bandwidthMbps: 100, target: { kind: "Pod", name: attacker } },
    });

    const engine = h.engine as unknown as Orchestrator;
    const counters = createContainerCounters();
    const publicIpCounters = createPublicIpCounters();
    const scrape = async (tenant: string) => {
      const { body } = await renderMetrics(
        handle.db,
        engine,
        { ofPod: counters.ofPod, publicIpsOfTenant: publicIpCounters.ofTenant },
        [tenant],
      );
      return body;
    };
    const sample = (body: string, family: string) =>
      parseExposition(body)
        .get(family)
        ?.samples.map((s) => [s.labels.publicip, s.value]);
    const dropped: number[] = [];
    for (let round = 0; round < 4; round++) {
      await h.engine.runFor(10_000);
      collectRound({ engine, runtime, clock: h.clock, intervalMs: 10_000, counters, publicIpCounters });
      dropped.push(Number(sample(await scrape("ta"), "public_ip_blackholed_packets_total")?.[0]?.[1] ?? 0));
    }
    const a = await scrape("ta");
    expect(sample(a, "public_ip_blackholed")).toEqual([["web", 1]]);
    expect(dropped[dropped.length - 1]).toBeGreaterThan(0);
    expect(dropped).toEqual([...dropped].sort((x, y) => x - y)); // a counter: never down
    const b = await scrape("tb");
    expect(sample(b, "public_ip_blackholed")).toEqual([["out", 0]]);
    expect(Number(sample(b, "public_ip_transmit_bytes_total")?.[0]?.[1])).toBeGreaterThan(0);
    expect(b).not.toContain(status.address);
    if (hasPromtool) expect(promtoolCheck(a)).toEqual({ status: 0, output: "" });
    const monitoring = createMonitoring({ db: handle.db, engine, runtime, clock: h.clock });
    expect(monitoring.publicIpTraffic("ta").map((r) => [r.name, r.blackholed])).toEqual([["web", true]]);
  }, 60_000);
});
