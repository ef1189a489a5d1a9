/**
 * The simulated runtime with a network attached: SIM_TRAFFIC drives the samples' network
 * figures through the model (decided by the tables, shaped by QoS), an invalid flow is a Warning
 * event and nothing else, and without a network the figures stay synthetic.
 */
import { describe, expect, it } from "vitest";
import { trafficWorld as world } from "./traffic.test-kit";

describe("simulated runtime traffic", () => {
  it("reports the model's figures in the samples and the drops by reason", () => {
    const { rt, events } = world(true);
    const sample = rt.stats("p1", 10_000)?.[0]?.sample;
    // 443 passes (1,000 packets/s of 1,000 bytes, under the 2k cap); 25 is denied by rule 1 of web.
    expect(sample).toMatchObject({ netTxBytes: 10_000_000, netTxPackets: 10_000, netTxDrops: 10_000, netRxBytes: 0 });
    const report = rt.traffic?.("p1");
    expect(report?.drops).toEqual([
      {
        direction: "egress",
        reason: "egress-denied",
        group: "web",
        rule: 1,
        packetsPerSecond: 1000,
        bytesPerSecond: 1e6,
      },
    ]);
    expect(report?.qos.egress.packetRateCap).toBe(2000);
    expect(events.filter((e) => e.reason === "InvalidTraffic").map((e) => e.message)).toEqual([
      'SIM_TRAFFIC of container app, flow 3 ("to=mars;rate=1") ignored: to: "mars" is not internet, an IPv4 address, pod/<name> or svc/<name>',
    ]);
  });

  it("keeps synthetic network figures without a network", () => {
    const { rt } = world(false);
    expect(rt.traffic?.("p1")).toBeUndefined();
    expect(rt.stats("p1", 10_000)?.[0]?.sample.netTxBytes).toBeGreaterThan(0);
  });

  it("steps once per instant and again when time moves", () => {
    const { rt, clock } = world(true);
    const first = rt.traffic?.("p1");
    expect(rt.traffic?.("p1")).toBe(first);
    clock.advance(1000);
    expect(rt.traffic?.("p1")).not.toBe(first);
  });
});
