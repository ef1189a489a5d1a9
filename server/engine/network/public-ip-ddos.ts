/**
 * DDoS protection of the public IPs, wired to the engine: every `ddosIntervalMs` the traffic model's
 * per-public-IP report (RuntimePort.publicIpTraffic) feeds DdosProtection, and every change of state
 * it returns (a blackhole started or ended, by expiry, an operator's clear or override) is written
 * to the PublicIP's `status.ddos` with an event on it: a Warning `DDoSBlackholed`, a Normal
 * `DDoSBlackholeEnded`.
 *
 * Guarantees:
 * - The writes are staged like a controller's and committed with the next pass; the decision reads
 *   DdosProtection directly, so a blackhole drops traffic from the instant it starts.
 * - Free without public IPs: nothing is measured while no PublicIP is bound.
 * - The figures are the model's: offered packets/s and bits/s from outside, what the sources send
 *   toward the address across the public network (network/security/ddos.ts's thresholds).
 */
import type { Ctx } from "../core/context";
import type { PublicIp } from "../kinds/public-ip";
import { parseIpv4 } from "./ipv4";
import type { BlackholeEndCause, DdosEvent } from "./security/ddos";

const causeText: Record<BlackholeEndCause, string> = {
  expired: "the blackhole period is over",
  cleared: "an operator cleared it",
  "protection-disabled": "an operator disabled DDoS protection for this address",
};

const rate = (n: number, unit: string) =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(1)} G${unit}`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(1)} M${unit}`
      : n >= 1e3
        ? `${(n / 1e3).toFixed(1)} k${unit}`
        : `${Math.round(n)} ${unit}`;

/** One measuring interval: the model's figures to DdosProtection, expiries, and what changed to the objects. */
export function measureDdos(ctx: Ctx): void {
  const ddos = ctx.publicIps.ddos;
  const now = ctx.clock.now();
  applyDdosEvents(ctx, ddos.advance(now));
  if (ctx.publicIps.boundCount === 0) return;
  const reports = ctx.runtime.publicIpTraffic?.();
  if (!reports) return;
  const intervalMs = ctx.config.ddosIntervalMs;
  for (const r of reports) {
    const sample = {
      packetsPerSecond: r.offeredRxPacketsPerSecond,
      bitsPerSecond: r.offeredRxBitsPerSecond,
      intervalMs,
    };
    applyDdosEvents(ctx, ddos.observe(parseIpv4(r.address), sample, now));
  }
}

/** Writes DdosProtection's changes of state to the PublicIPs holding those addresses, with their events. */
export function applyDdosEvents(ctx: Ctx, events: readonly DdosEvent[]): void {
  for (const e of events) {
    const p = ctx.publicIps.publicIpAt(e.ip);
    if (!p) continue;
    const ddos = { ...p.status.ddos };
    if (e.type === "started") {
      ddos.blackholedUntil = e.until;
      ddos.lastBlackholeAt = e.at;
      ctx.events.recordFor(
        p,
        "Warning",
        "DDoSBlackholed",
        `${e.ip} is black-holed until ${new Date(e.until).toISOString()}: ${rate(e.packetsPerSecond, "pps")}, ${rate(e.bitsPerSecond, "bit/s")} for ${Math.round(e.aboveForMs / 1000)} s (thresholds ${rate(e.thresholds.packetsPerSecond, "pps")} or ${rate(e.thresholds.bitsPerSecond, "bit/s")}); all traffic to it is dropped`,
      );
    } else {
      delete ddos.blackholedUntil;
      ctx.events.recordFor(
        p,
        "Normal",
        "DDoSBlackholeEnded",
        `${e.ip} is reachable again: ${causeText[e.cause]} (peak ${rate(e.peakPacketsPerSecond, "pps")}, ${e.droppedPackets} packets dropped)`,
      );
    }
    putDdos(ctx, p, ddos);
  }
}

/** The PublicIP with this DDoS status, staged (nothing when it is already so). */
export function putDdos(ctx: Ctx, p: PublicIp, ddos: PublicIp["status"]["ddos"]): PublicIp {
  const current = ctx.state.get("PublicIP", p.id) ?? p;
  return ctx.state.put({ ...current, status: { ...current.status, ddos } });
}
