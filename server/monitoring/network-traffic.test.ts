/**
 * Monitoring of the modelled traffic: cAdvisor's network counters and our drops by reason come
 * from the traffic model, grow monotonically round by round, and are served as Prometheus
 * counters that promtool accepts.
 */
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { Orchestrator } from "../engine/api/orchestrator";
import type { Pod } from "../engine/kinds/types";
import { TRAFFIC_POD_ID, trafficWorld } from "../engine/runtime/traffic/traffic.test-kit";
import type { PodTrafficReport } from "../engine/runtime/traffic/traffic-report";
import { collectRound } from "./collector";
import { createContainerCounters } from "./counters";
import { hasPromtool, parseExposition, promtoolCheck } from "./exposition.test-kit";
import { createNetworkDropCounters } from "./network-drop-counters";
import { createNetworkRuleHitCounters } from "./network-rule-hit-counters";
import { writeNetworkDrops } from "./prometheus";
import { metricFamilies } from "./prometheus-families";

const report = (packetsPerSecond: number): PodTrafficReport => ({
  rx: { offeredBitsPerSecond: 0, bitsPerSecond: 0, packetsPerSecond: 0, droppedPacketsPerSecond: 0 },
  tx: { offeredBitsPerSecond: 0, bitsPerSecond: 0, packetsPerSecond: 0, droppedPacketsPerSecond: packetsPerSecond },
  qos: {
    ingress: { guaranteeBitsPerSecond: 0, maxBitsPerSecond: 1e9, packetRateCap: null },
    egress: { guaranteeBitsPerSecond: 0, maxBitsPerSecond: 1e9, packetRateCap: null },
  },
  drops: [
    { direction: "egress", reason: "egress-denied", group: "web", rule: 1, packetsPerSecond, bytesPerSecond: 0 },
    { direction: "egress", reason: "pps-cap", packetsPerSecond: 2 * packetsPerSecond, bytesPerSecond: 0 },
  ],
  ruleHits: [],
  containers: [],
});

describe("network drop counters", () => {
  it("integrate drops over each interval, once per instant, and forget pods that are gone", () => {
    const c = createNetworkDropCounters();
    c.record(10_000, 10_000, "t1", "p1", report(100));
    c.record(10_000, 10_000, "t1", "p1", report(100)); // the same round read again
    c.record(15_000, 10_000, "t1", "p1", report(100)); // 5 s after the last
    expect(c.dropsOfPod("t1", "p1").map((d) => [d.reason, d.group, d.rule, d.packets])).toEqual([
      ["egress-denied", "web", 1, 1500],
      ["pps-cap", undefined, undefined, 3000],
    ]);
    expect(c.dropsOfPod("t2", "p1")).toEqual([]);
    c.prune(20_000, () => false);
    expect(c.dropsOfPod("t1", "p1")).toEqual([]);
  });
});

describe("collected traffic", () => {
  it("grows cAdvisor's network counters and the drops monotonically from the model", () => {
    const w = trafficWorld();
    const pod = { id: TRAFFIC_POD_ID, tenantId: "acme", name: "web" } as Pod;
    const engine = {
      runningPodsByNode: () => [{ node: { id: "n1", name: "n1", tenantId: "acme" }, pods: [{ pod, revision: 1 }] }],
      getPod: () => pod,
    } as unknown as Orchestrator;
    const counters = createContainerCounters();
    const networkCounters = createNetworkDropCounters();
    const ruleHitCounters = createNetworkRuleHitCounters();
    const seen: { tx: number; txPackets: number; txDropped: number; denied: number; admitted: number[] }[] = [];
    for (let round = 0; round < 4; round++) {
      collectRound({
        engine,
        runtime: w.rt,
        clock: w.clock,
        intervalMs: 10_000,
        counters,
        networkCounters,
        ruleHitCounters,
      });
      const totals = counters.ofPod("acme", TRAFFIC_POD_ID)?.get("app");
      const denied = networkCounters.dropsOfPod("acme", TRAFFIC_POD_ID).find((d) => d.reason === "egress-denied");
      seen.push({
        tx: totals?.netTxBytes ?? 0,
        txPackets: totals?.netTxPackets ?? 0,
        txDropped: totals?.netTxDropped ?? 0,
        denied: denied?.packets ?? 0,
        admitted: ruleHitCounters
          .hitsOfPod("acme", TRAFFIC_POD_ID)
          .flatMap((h) => [h.direction, h.group, h.rule, h.packets, h.bytes]) as number[],
      });
      w.clock.advance(10_000);
    }
    // 1,000 packets/s of 1,000 bytes delivered (admitted by rule 0 of group web), 1,000 packets/s denied: 10 s per round.
    expect(seen).toEqual(
      [1, 2, 3, 4].map((n) => ({
        tx: n * 1e7,
        txPackets: n * 1e4,
        txDropped: n * 1e4,
        denied: n * 1e4,
        admitted: ["egress", "web", 0, n * 1e4, n * 1e7],
      })),
    );
  });
});

describe("Prometheus families of the traffic", () => {
  it("serves tenant_network_drops_total as a counter per pod, direction, reason and rule", async () => {
    const registry = new Registry();
    const f = metricFamilies(registry);
    const c = createNetworkDropCounters();
    c.record(10_000, 10_000, "t1", "p1", report(100));
    writeNetworkDrops(f, "t1", { namespace: "prod", name: "web" }, c.dropsOfPod("t1", "p1"));
    const labels = { tenant: "t1", namespace: "prod", pod: "web", container: "app", image: "nginx", node: "n1" };
    for (const { metric } of f.networkCounters) metric.inc({ ...labels, interface: "eth0" }, 5);
    const body = await registry.metrics();
    const families = parseExposition(body);
    const drops = families.get("tenant_network_drops_total");
    expect(drops?.type).toBe("counter");
    expect(drops?.samples).toEqual([
      {
        labels: {
          tenant: "t1",
          namespace: "prod",
          pod: "web",
          direction: "egress",
          reason: "egress-denied",
          security_group: "web",
          rule: "1",
        },
        value: 1000,
      },
      { labels: { tenant: "t1", namespace: "prod", pod: "web", direction: "egress", reason: "pps-cap" }, value: 2000 },
    ]);
    for (const name of [
      "container_network_receive_bytes_total",
      "container_network_transmit_bytes_total",
      "container_network_receive_packets_total",
      "container_network_transmit_packets_total",
      "container_network_receive_packets_dropped_total",
      "container_network_transmit_packets_dropped_total",
    ])
      expect(families.get(name)?.type).toBe("counter");
    if (hasPromtool) expect(promtoolCheck(body)).toEqual({ status: 0, output: "" });
  });
});
