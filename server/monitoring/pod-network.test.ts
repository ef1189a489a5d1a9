import { describe, expect, it } from "vitest";
import type { PodTrafficReport } from "../engine/runtime/traffic/traffic-report";
import { createNetworkDropCounters } from "./network-drop-counters";
import { createNetworkRuleHitCounters } from "./network-rule-hit-counters";
import { podNetworkView, readPodNetwork } from "./pod-network";

const rates = (bits: number) => ({
  offeredBitsPerSecond: bits,
  bitsPerSecond: bits,
  packetsPerSecond: bits / 8000,
  droppedPacketsPerSecond: 0,
});
const report: PodTrafficReport = {
  rx: rates(8e6),
  tx: rates(16e6),
  qos: {
    ingress: { guaranteeBitsPerSecond: 0, maxBitsPerSecond: 5e9, packetRateCap: null },
    egress: { guaranteeBitsPerSecond: 1e8, maxBitsPerSecond: 2e8, packetRateCap: 1000 },
  },
  drops: [
    { direction: "egress", reason: "egress-denied", group: "web", rule: 1, packetsPerSecond: 100, bytesPerSecond: 1e5 },
  ],
  ruleHits: [
    { direction: "egress", group: "web", rule: 0, packetsPerSecond: 2000, bytesPerSecond: 2e6 },
    { direction: "ingress", group: "web", rule: "same-group", packetsPerSecond: 1000, bytesPerSecond: 1e6 },
  ],
  containers: [],
};

describe("readPodNetwork", () => {
  it("joins the pod's addresses and annotations, the model's rates now and the drop and rule hit totals", () => {
    const counters = createNetworkDropCounters();
    counters.record(10_000, 10_000, "t", "p", report);
    const hits = createNetworkRuleHitCounters();
    hits.record(10_000, 10_000, "t", "p", report);
    const view = readPodNetwork(
      {
        podIP: "10.0.0.7",
        macAddress: "0a:58:0a:00:00:07",
        annotations: {
          "cloud.tenant.io/egress-bandwidth-guarantee": "100M",
          "kubernetes.io/egress-bandwidth": "200M",
          "cloud.tenant.io/egress-packet-rate": "1k",
          "kubernetes.io/ingress-bandwidth": "10Mbit",
        },
      },
      report,
      counters.dropsOfPod("t", "p"),
      hits.hitsOfPod("t", "p"),
    );
    expect(podNetworkView.parse(view)).toEqual(view);
    expect(view.qos).toEqual({
      ingress: { guaranteeBitsPerSecond: 0, maxBitsPerSecond: null, packetRateCap: null },
      egress: { guaranteeBitsPerSecond: 1e8, maxBitsPerSecond: 2e8, packetRateCap: 1000 },
    });
    expect(view.qosProblems.map((p) => p.field)).toEqual(["metadata.annotations['kubernetes.io/ingress-bandwidth']"]);
    expect(view.traffic?.tx.bitsPerSecond).toBe(16e6);
    expect(view.traffic?.effectiveMaxBitsPerSecond).toEqual({ ingress: 5e9, egress: 2e8 });
    expect(view.drops).toEqual([
      { direction: "egress", reason: "egress-denied", group: "web", rule: 1, packets: 1000, packetsPerSecond: 100 },
    ]);
    expect(view.ruleHits).toEqual([
      {
        direction: "egress",
        group: "web",
        rule: 0,
        packets: 20_000,
        bytes: 2e7,
        packetsPerSecond: 2000,
        bytesPerSecond: 2e6,
      },
      {
        direction: "ingress",
        group: "web",
        rule: "same-group",
        packets: 10_000,
        bytes: 1e7,
        packetsPerSecond: 1000,
        bytesPerSecond: 1e6,
      },
    ]);
  });

  it("answers without a model: no traffic, totals only, no address yet", () => {
    const view = readPodNetwork({ annotations: {} }, undefined, []);
    expect(view).toMatchObject({ podIP: null, macAddress: null, traffic: null, drops: [], ruleHits: [] });
  });
});
