import { describe, expect, it } from "vitest";
import { parseIpv4 } from "../ipv4";
import { DdosProtection, type DdosThresholds } from "./ddos";

const T: DdosThresholds = { packetsPerSecond: 1000, bitsPerSecond: 1e6, sustainMs: 3000, blackholeMs: 60_000 };
const ip = parseIpv4("203.0.113.10");
const flood = { packetsPerSecond: 5000, bitsPerSecond: 1e5, intervalMs: 1000 };
const calm = { packetsPerSecond: 10, bitsPerSecond: 1e4, intervalMs: 1000 };

/** Feeds `n` one-second samples ending at start+1s … start+n s; returns every event. */
function feed(d: DdosProtection, sample: typeof flood, start: number, n: number) {
  const events = [];
  for (let i = 1; i <= n; i++) events.push(...d.observe(ip, sample, start + i * 1000));
  return events;
}

describe("DDoS protection", () => {
  it("black-holes an IP above a threshold for the sustain period, with the figures", () => {
    const d = new DdosProtection(T);
    expect(feed(d, flood, 0, 2)).toEqual([]);
    expect(d.stateOf(ip, 2000)).toMatchObject({
      status: "over-threshold",
      aboveForMs: 2000,
      lastPacketsPerSecond: 5000,
    });
    const [started] = feed(d, flood, 2000, 1);
    expect(started).toEqual({
      type: "started",
      ip: "203.0.113.10",
      at: 3000,
      until: 63_000,
      packetsPerSecond: 5000,
      bitsPerSecond: 1e5,
      aboveForMs: 3000,
      thresholds: T,
    });
    expect(d.blackholedUntil(ip, 3000)).toBe(63_000);
    expect(d.stateOf(ip, 10_000)).toMatchObject({ status: "blackholed", blackholedAt: 3000, blackholedUntil: 63_000 });
    expect(d.blackholes(10_000).map((s) => s.ip)).toEqual(["203.0.113.10"]);
  });

  it("triggers on bits per second as well, and not on a flood with a gap", () => {
    const d = new DdosProtection(T);
    expect(feed(d, { packetsPerSecond: 10, bitsPerSecond: 5e6, intervalMs: 1000 }, 0, 3)).toHaveLength(1);
    const e = new DdosProtection(T);
    feed(e, flood, 0, 2);
    expect(e.observe(ip, flood, 5000)).toEqual([]); // 3 s-4 s unmeasured: the count restarts
    expect(e.stateOf(ip, 5000).aboveForMs).toBe(1000);
    feed(e, calm, 5000, 1);
    expect(e.stateOf(ip, 6000).status).toBe("normal");
  });

  it("ends the blackhole when its period is over, counting what it dropped, and black-holes again if the attack goes on", () => {
    const d = new DdosProtection(T);
    feed(d, flood, 0, 3);
    feed(d, flood, 3000, 10);
    expect(d.advance(62_999)).toEqual([]);
    const [ended] = d.advance(63_000);
    expect(ended).toEqual({
      type: "ended",
      ip: "203.0.113.10",
      at: 63_000,
      startedAt: 3000,
      cause: "expired",
      peakPacketsPerSecond: 5000,
      peakBitsPerSecond: 1e5,
      droppedPackets: 50_000,
      droppedBits: 1e6,
    });
    expect(d.blackholedUntil(ip, 63_000)).toBeUndefined();
    expect(d.stateOf(ip, 63_000).status).toBe("normal");
    const again = feed(d, flood, 63_000, 3);
    expect(again.map((e) => e.type)).toEqual(["started"]);
  });

  it("reports the end on the next sample when nobody advanced the clock", () => {
    const d = new DdosProtection(T);
    feed(d, flood, 0, 3);
    const events = d.observe(ip, calm, 70_000);
    expect(events.map((e) => [e.type, e.at])).toEqual([["ended", 63_000]]);
  });

  it("lets an operator clear a blackhole (the count restarts) and disable protection for an IP", () => {
    const d = new DdosProtection(T);
    feed(d, flood, 0, 3);
    const [cleared] = d.clear(ip, 5000);
    expect(cleared).toMatchObject({ type: "ended", cause: "cleared", at: 5000 });
    expect(d.blackholedUntil(ip, 5000)).toBeUndefined();
    expect(d.clear(ip, 5000)).toEqual([]);
    feed(d, flood, 5000, 3);
    expect(d.blackholedUntil(ip, 8000)).toBe(68_000);
    expect(d.disable(ip, 9000).map((e) => e.type === "ended" && e.cause)).toEqual(["protection-disabled"]);
    expect(feed(d, flood, 9000, 20)).toEqual([]);
    expect(d.stateOf(ip, 29_000).status).toBe("protection-disabled");
    d.enable(ip);
    expect(feed(d, flood, 29_000, 3).map((e) => e.type)).toEqual(["started"]);
  });

  it("uses an IP's own thresholds when set, and refuses nonsense thresholds", () => {
    const d = new DdosProtection(T);
    d.setThresholds(ip, { ...T, packetsPerSecond: 10_000 });
    expect(feed(d, flood, 0, 5)).toEqual([]);
    d.setThresholds(ip, undefined);
    expect(feed(d, flood, 5000, 3)).toHaveLength(1);
    expect(() => d.setThresholds(ip, { ...T, sustainMs: 0 })).toThrow(/sustainMs must be a positive number/);
    expect(() => new DdosProtection({ ...T, blackholeMs: Number.NaN })).toThrow(/blackholeMs/);
  });

  it("forgets a released IP", () => {
    const d = new DdosProtection(T);
    feed(d, flood, 0, 3);
    d.forget(ip);
    expect(d.blackholedUntil(ip, 4000)).toBeUndefined();
    expect(d.blackholes(4000)).toEqual([]);
    expect(d.advance(100_000)).toEqual([]);
  });
});
