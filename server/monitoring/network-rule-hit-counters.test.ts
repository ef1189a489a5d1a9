/**
 * Rule hit counters: the model's per-rule rates integrated round by round with the drop
 * counters' guarantees, and served as the two counter families that promtool accepts.
 */
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { PodTrafficReport, RuleHit } from "../engine/runtime/traffic/traffic-report";
import { hasPromtool, parseExposition, promtoolCheck } from "./exposition.test-kit";
import { createNetworkRuleHitCounters } from "./network-rule-hit-counters";
import { writeRuleHits } from "./prometheus";
import { metricFamilies } from "./prometheus-families";

const rates = { offeredBitsPerSecond: 0, bitsPerSecond: 0, packetsPerSecond: 0, droppedPacketsPerSecond: 0 };
const report = (ruleHits: RuleHit[]): PodTrafficReport => ({
  rx: rates,
  tx: rates,
  qos: {
    ingress: { guaranteeBitsPerSecond: 0, maxBitsPerSecond: 1e9, packetRateCap: null },
    egress: { guaranteeBitsPerSecond: 0, maxBitsPerSecond: 1e9, packetRateCap: null },
  },
  drops: [],
  ruleHits,
  containers: [],
});
const hit = (direction: RuleHit["direction"], group: string, rule: RuleHit["rule"], pps: number): RuleHit => ({
  direction,
  group,
  rule,
  packetsPerSecond: pps,
  bytesPerSecond: pps * 1000,
});
const totals = (c: ReturnType<typeof createNetworkRuleHitCounters>, podId = "p1") =>
  c.hitsOfPod("t1", podId).map((h) => [h.direction, h.group, h.rule, h.packets, h.bytes]);

describe("network rule hit counters", () => {
  it("integrate each rule's hits over each interval, once per instant, per direction and rule", () => {
    const c = createNetworkRuleHitCounters();
    const r = report([
      hit("egress", "web", 0, 100),
      hit("ingress", "web", 0, 10),
      hit("ingress", "db", "same-group", 1),
    ]);
    c.record(10_000, 10_000, "t1", "p1", r);
    c.record(10_000, 10_000, "t1", "p1", r); // the same round read again
    c.record(15_000, 10_000, "t1", "p1", r); // 5 s after the last
    expect(totals(c)).toEqual([
      ["egress", "web", 0, 1500, 1.5e6],
      ["ingress", "web", 0, 150, 1.5e5],
      ["ingress", "db", "same-group", 15, 15_000],
    ]);
    expect(c.hitsOfPod("t2", "p1")).toEqual([]);
  });

  it("never decrease: a rule not hit in a round keeps its total, and a late round adds nothing", () => {
    const c = createNetworkRuleHitCounters();
    c.record(10_000, 10_000, "t1", "p1", report([hit("egress", "web", 1, 100)]));
    c.record(20_000, 10_000, "t1", "p1", report([hit("egress", "web", 2, 50)])); // rule 1 no longer hit
    c.record(15_000, 10_000, "t1", "p1", report([hit("egress", "web", 1, 1e6)])); // out of order: ignored
    expect(totals(c)).toEqual([
      ["egress", "web", 1, 1000, 1e6],
      ["egress", "web", 2, 500, 5e5],
    ]);
  });

  it("forget a pod once it is gone, and keep one still there that was not recorded", () => {
    const c = createNetworkRuleHitCounters();
    c.record(10_000, 10_000, "t1", "p1", report([hit("egress", "web", 0, 1)]));
    c.record(10_000, 10_000, "t1", "p2", report([hit("egress", "web", 0, 1)]));
    c.prune(20_000, (_t, podId) => podId === "p2");
    expect(c.hitsOfPod("t1", "p1")).toEqual([]);
    expect(totals(c, "p2")).toEqual([["egress", "web", 0, 10, 10_000]]);
  });
});

describe("a group's rule hits", () => {
  it("sum each rule's totals over the tenant's pods, for that group only", () => {
    const c = createNetworkRuleHitCounters();
    c.record(10_000, 10_000, "t1", "p1", report([hit("ingress", "web", 0, 10), hit("egress", "web", 0, 1)]));
    c.record(10_000, 10_000, "t1", "p2", report([hit("ingress", "web", 0, 20), hit("ingress", "db", 0, 5)]));
    c.record(10_000, 10_000, "t2", "p3", report([hit("ingress", "web", 0, 1000)]));
    expect(c.hitsOfGroup("t1", "web")).toEqual([
      { direction: "ingress", rule: 0, packets: 300, bytes: 3e5, pods: 2 },
      { direction: "egress", rule: 0, packets: 10, bytes: 1e4, pods: 1 },
    ]);
    expect(c.hitsOfGroup("t1", "none")).toEqual([]);
  });
});

describe("Prometheus families of the rule hits", () => {
  it("serves tenant_network_rule_hits_{packets,bytes}_total as counters per pod, direction, group and rule", async () => {
    const registry = new Registry();
    const f = metricFamilies(registry);
    const c = createNetworkRuleHitCounters();
    c.record(
      10_000,
      10_000,
      "t1",
      "p1",
      report([hit("egress", "web", 0, 100), hit("ingress", "web", "same-group", 5)]),
    );
    writeRuleHits(f, "t1", { namespace: "prod", name: "web" }, c.hitsOfPod("t1", "p1"));
    const body = await registry.metrics();
    const families = parseExposition(body);
    const labels = (direction: string, rule: string) => ({
      tenant: "t1",
      namespace: "prod",
      pod: "web",
      direction,
      security_group: "web",
      rule,
    });
    const packets = families.get("tenant_network_rule_hits_packets_total");
    expect(packets?.type).toBe("counter");
    expect(packets?.samples).toEqual([
      { labels: labels("egress", "0"), value: 1000 },
      { labels: labels("ingress", "same-group"), value: 50 },
    ]);
    const bytes = families.get("tenant_network_rule_hits_bytes_total");
    expect(bytes?.type).toBe("counter");
    expect(bytes?.samples).toEqual([
      { labels: labels("egress", "0"), value: 1e6 },
      { labels: labels("ingress", "same-group"), value: 50_000 },
    ]);
    if (hasPromtool) expect(promtoolCheck(body)).toEqual({ status: 0, output: "" });
  });
});
