/**
 * DDoS protection in front of public IPs, as clouds' basic protection works: traffic to each
 * public IP is measured per interval; above the packet-rate or bit-rate threshold for
 * `sustainMs` in a row, the IP is black-holed (all traffic to it dropped upstream) for
 * `blackholeMs`, then released; an attack still going on black-holes it again after another
 * `sustainMs`. Operators may clear a blackhole early or disable protection for an IP (it is
 * then never black-holed). Pure: time is the `now` (ms) callers pass; every change of state
 * returns its events (started / ended, with the figures), and `stateOf` answers a console banner.
 * A table keyed by the IP as a number (public IPs are few: the pool's size bounds it); `forget`
 * drops a released IP.
 */
import { formatIpv4, type Ipv4 } from "../ipv4";

export interface DdosThresholds {
  readonly packetsPerSecond: number;
  readonly bitsPerSecond: number;
  /** How long traffic must stay above a threshold before the blackhole. */
  readonly sustainMs: number;
  readonly blackholeMs: number;
}

/** 150 kpps or 1 Gbit/s for 10 s: a 30-minute blackhole (the scale of public clouds' free tier). */
export const DEFAULT_DDOS_THRESHOLDS: DdosThresholds = {
  packetsPerSecond: 150_000,
  bitsPerSecond: 1_000_000_000,
  sustainMs: 10_000,
  blackholeMs: 30 * 60_000,
};

/** One interval's traffic to a public IP, ending at `now`. */
export interface TrafficSample {
  readonly packetsPerSecond: number;
  readonly bitsPerSecond: number;
  readonly intervalMs: number;
}

export type BlackholeEndCause = "expired" | "cleared" | "protection-disabled";

export type DdosEvent =
  | {
      readonly type: "started";
      readonly ip: string;
      readonly at: number;
      readonly until: number;
      readonly packetsPerSecond: number;
      readonly bitsPerSecond: number;
      readonly aboveForMs: number;
      readonly thresholds: DdosThresholds;
    }
  | {
      readonly type: "ended";
      readonly ip: string;
      readonly at: number;
      readonly startedAt: number;
      readonly cause: BlackholeEndCause;
      readonly peakPacketsPerSecond: number;
      readonly peakBitsPerSecond: number;
      /** Traffic dropped while black-holed (from the samples observed meanwhile). */
      readonly droppedPackets: number;
      readonly droppedBits: number;
    };

export type DdosStatus = "normal" | "over-threshold" | "blackholed" | "protection-disabled";

export interface DdosIpState {
  readonly ip: string;
  readonly status: DdosStatus;
  readonly aboveForMs: number;
  readonly lastPacketsPerSecond: number;
  readonly lastBitsPerSecond: number;
  readonly blackholedAt?: number;
  readonly blackholedUntil?: number;
  readonly thresholds: DdosThresholds;
}

interface Blackhole {
  startedAt: number;
  until: number;
  peakPps: number;
  peakBps: number;
  droppedPackets: number;
  droppedBits: number;
}
interface IpState {
  aboveMs: number;
  lastAt: number;
  lastPps: number;
  lastBps: number;
  disabled: boolean;
  thresholds?: DdosThresholds;
  blackhole?: Blackhole;
}

const NO_EVENTS: readonly DdosEvent[] = Object.freeze([]);

export function ddosThresholdsProblem(t: DdosThresholds): string | undefined {
  for (const [name, v] of Object.entries(t))
    if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) return `${name} must be a positive number, not ${v}`;
  return undefined;
}

export class DdosProtection {
  private readonly ips = new Map<Ipv4, IpState>();
  private readonly active = new Set<Ipv4>();

  constructor(private readonly defaults: DdosThresholds = DEFAULT_DDOS_THRESHOLDS) {
    const p = ddosThresholdsProblem(defaults);
    if (p) throw new RangeError(`DDoS thresholds: ${p}`);
  }

  /** Feeds one interval's traffic to `ip`; returns what changed (a blackhole ended and/or started). */
  observe(ip: Ipv4, sample: TrafficSample, now: number): readonly DdosEvent[] {
    const ended = this.expire(ip, now);
    const s = this.stateFor(ip);
    const t = s.thresholds ?? this.defaults;
    if (now - sample.intervalMs > s.lastAt) s.aboveMs = 0; // a gap: no traffic was measured
    s.lastAt = now;
    s.lastPps = sample.packetsPerSecond;
    s.lastBps = sample.bitsPerSecond;
    const hole = s.blackhole;
    if (hole !== undefined) {
      hole.peakPps = Math.max(hole.peakPps, sample.packetsPerSecond);
      hole.peakBps = Math.max(hole.peakBps, sample.bitsPerSecond);
      hole.droppedPackets += (sample.packetsPerSecond * sample.intervalMs) / 1000;
      hole.droppedBits += (sample.bitsPerSecond * sample.intervalMs) / 1000;
      return ended;
    }
    const above = sample.packetsPerSecond > t.packetsPerSecond || sample.bitsPerSecond > t.bitsPerSecond;
    s.aboveMs = above ? s.aboveMs + sample.intervalMs : 0;
    if (!above || s.disabled || s.aboveMs < t.sustainMs) return ended;
    s.blackhole = {
      startedAt: now,
      until: now + t.blackholeMs,
      peakPps: sample.packetsPerSecond,
      peakBps: sample.bitsPerSecond,
      droppedPackets: 0,
      droppedBits: 0,
    };
    this.active.add(ip);
    const started: DdosEvent = {
      type: "started",
      ip: formatIpv4(ip),
      at: now,
      until: now + t.blackholeMs,
      packetsPerSecond: sample.packetsPerSecond,
      bitsPerSecond: sample.bitsPerSecond,
      aboveForMs: s.aboveMs,
      thresholds: t,
    };
    s.aboveMs = 0;
    return ended.length === 0 ? [started] : [...ended, started];
  }

  /** Ends every blackhole whose period is over by `now`. */
  advance(now: number): readonly DdosEvent[] {
    let out: DdosEvent[] | undefined;
    for (const ip of [...this.active]) {
      const e = this.expire(ip, now);
      if (e.length === 0) continue;
      out ??= [];
      out.push(...e);
    }
    return out ?? NO_EVENTS;
  }

  /** The end of the blackhole on `ip` in force at `now`, or undefined: what the decision asks. */
  blackholedUntil(ip: Ipv4, now: number): number | undefined {
    const hole = this.ips.get(ip)?.blackhole;
    return hole !== undefined && hole.until > now ? hole.until : undefined;
  }

  /** Operator: end the blackhole on `ip` now (the attack counter starts again from zero). */
  clear(ip: Ipv4, now: number): readonly DdosEvent[] {
    const s = this.ips.get(ip);
    if (s === undefined) return NO_EVENTS;
    s.aboveMs = 0;
    return this.end(ip, s, now, "cleared");
  }

  /** Operator: stop protecting `ip` (an active blackhole ends now) until `enable`. */
  disable(ip: Ipv4, now: number): readonly DdosEvent[] {
    const s = this.stateFor(ip);
    s.disabled = true;
    return this.end(ip, s, now, "protection-disabled");
  }

  enable(ip: Ipv4): void {
    const s = this.ips.get(ip);
    if (s !== undefined) s.disabled = false;
  }

  /** Operator: thresholds for one IP (a tenant that bought more protection); undefined restores the defaults. */
  setThresholds(ip: Ipv4, thresholds: DdosThresholds | undefined): void {
    if (thresholds !== undefined) {
      const p = ddosThresholdsProblem(thresholds);
      if (p) throw new RangeError(`DDoS thresholds for ${formatIpv4(ip)}: ${p}`);
    }
    const s = this.stateFor(ip);
    if (thresholds === undefined) delete s.thresholds;
    else s.thresholds = thresholds;
  }

  /** The IP's state at `now`, for a console banner. */
  stateOf(ip: Ipv4, now: number): DdosIpState {
    const s = this.ips.get(ip);
    const hole = s?.blackhole !== undefined && s.blackhole.until > now ? s.blackhole : undefined;
    const t = s?.thresholds ?? this.defaults;
    const status: DdosStatus = s?.disabled
      ? "protection-disabled"
      : hole !== undefined
        ? "blackholed"
        : (s?.aboveMs ?? 0) > 0
          ? "over-threshold"
          : "normal";
    return {
      ip: formatIpv4(ip),
      status,
      aboveForMs: s?.aboveMs ?? 0,
      lastPacketsPerSecond: s?.lastPps ?? 0,
      lastBitsPerSecond: s?.lastBps ?? 0,
      ...(hole !== undefined ? { blackholedAt: hole.startedAt, blackholedUntil: hole.until } : {}),
      thresholds: t,
    };
  }

  /** Every IP black-holed at `now` (the operators' DDoS page). */
  blackholes(now: number): DdosIpState[] {
    return [...this.active]
      .filter((ip) => this.blackholedUntil(ip, now) !== undefined)
      .map((ip) => this.stateOf(ip, now));
  }

  /**
   * After a restart: the blackhole recorded on `ip` (from `startedAt` to `until`) is in force again;
   * one already over ends, with its event, at the next `advance`.
   */
  restoreBlackhole(ip: Ipv4, startedAt: number, until: number): void {
    const s = this.stateFor(ip);
    s.blackhole = { startedAt, until, peakPps: 0, peakBps: 0, droppedPackets: 0, droppedBits: 0 };
    this.active.add(ip);
  }

  /** Forget every IP (the engine reloads its state and restores what it recorded). */
  reset(): void {
    this.ips.clear();
    this.active.clear();
  }

  /** The public IP was released: drop everything about it (an active blackhole ends silently). */
  forget(ip: Ipv4): void {
    this.ips.delete(ip);
    this.active.delete(ip);
  }

  private stateFor(ip: Ipv4): IpState {
    let s = this.ips.get(ip);
    if (s === undefined) {
      s = { aboveMs: 0, lastAt: Number.NEGATIVE_INFINITY, lastPps: 0, lastBps: 0, disabled: false };
      this.ips.set(ip, s);
    }
    return s;
  }

  private expire(ip: Ipv4, now: number): readonly DdosEvent[] {
    const s = this.ips.get(ip);
    if (s?.blackhole === undefined || s.blackhole.until > now) return NO_EVENTS;
    return this.end(ip, s, s.blackhole.until, "expired");
  }

  private end(ip: Ipv4, s: IpState, at: number, cause: BlackholeEndCause): readonly DdosEvent[] {
    const hole = s.blackhole;
    if (hole === undefined) return NO_EVENTS;
    delete s.blackhole;
    this.active.delete(ip);
    return [
      {
        type: "ended",
        ip: formatIpv4(ip),
        at,
        startedAt: hole.startedAt,
        cause,
        peakPacketsPerSecond: hole.peakPps,
        peakBitsPerSecond: hole.peakBps,
        droppedPackets: Math.round(hole.droppedPackets),
        droppedBits: Math.round(hole.droppedBits),
      },
    ];
  }
}
