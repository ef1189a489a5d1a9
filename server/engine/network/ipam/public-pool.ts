/**
 * The operators' shared pool of public addresses, allocated to tenants. Guarantees:
 * - an address belongs to at most one live owner (a PublicIP object's uid) of one tenant;
 *   allocating again for the same owner returns the same address; releasing an unknown owner
 *   does nothing; each range's network and broadcast addresses are never handed out;
 * - ranges never overlap; a range holding allocated addresses cannot be removed (its held
 *   addresses may go: they come back on hold if the range is added again);
 * - a released address is held (default 5 min) before any tenant gets it: clients and DNS
 *   records (TTLs of 60–300 s) still point at the old holder, and handing its traffic to
 *   another tenant is a leak, not a glitch;
 * - allocation is next-fit across the ranges in address order, O(1) amortised (bitmaps);
 * - refusals are values with a reason; one tenant's refusal never names another's owner.
 * Quotas are the caller's: `countForTenant` is what it checks against.
 */
import {
  AddressError,
  type Cidr,
  cidrContains,
  cidrsOverlap,
  formatCidr,
  formatIpv4,
  type Ipv4,
  lastAddress,
} from "../ipv4";
import type { AllocationResult, HeldAddress, Refusal, Released, RestoreProblem } from "./allocation";
import { inSeconds, problem } from "./allocation";
import { Bitmap } from "./bitmap";
import { HoldQueue } from "./hold-queue";
import { readPublicRange } from "./public-range";
import { readAddress } from "./read-address";

export const DEFAULT_PUBLIC_HOLD_MS = 5 * 60_000;

interface PoolRange {
  readonly cidr: Cidr;
  /** network ∪ broadcast ∪ allocated ∪ on hold. */
  readonly taken: Bitmap;
  used: number;
  free: number;
}

export interface PublicAddress {
  readonly owner: string;
  readonly tenantId: string;
  readonly ip: Ipv4;
}

export interface RangeUsage {
  readonly cidr: string;
  /** size − 2 (network and broadcast). */
  readonly usable: number;
  readonly used: number;
  readonly onHold: number;
  readonly free: number;
}

export interface PoolUsage extends Omit<RangeUsage, "cidr"> {
  readonly ranges: readonly RangeUsage[];
}

export type RangeChange = { readonly ok: true; readonly cidr: Cidr } | { readonly ok: false; readonly message: string };

export class PublicIpPool {
  readonly holdMs: number;
  private ranges: PoolRange[] = [];
  private readonly byOwner = new Map<string, PublicAddress>();
  private readonly byIp = new Map<Ipv4, string>();
  private readonly byTenant = new Map<string, Set<string>>();
  private readonly held = new HoldQueue();
  private cursor = 0;
  private readonly unhold = (ip: Ipv4): void => {
    const r = this.rangeOf(ip);
    // Held from a range since removed, it may be the network or broadcast address of the range added in its place.
    if (!r || ip === r.cidr.base || ip === lastAddress(r.cidr)) return;
    r.taken.clear(ip - r.cidr.base);
    r.free++;
  };

  constructor(options: { holdMs?: number } = {}) {
    this.holdMs = options.holdMs ?? DEFAULT_PUBLIC_HOLD_MS;
    if (!(this.holdMs >= 0)) throw new RangeError(`holdMs must be ≥ 0, not ${this.holdMs}`);
  }

  /**
   * Rebuilds from committed state: the operators' ranges (validated when they were added: an
   * invalid or overlapping one here throws AddressError) and the PublicIP objects' addresses.
   */
  static restore(
    ranges: readonly string[],
    records: Iterable<{ readonly owner: string; readonly tenantId: string; readonly ip: string | Ipv4 }>,
    options: { now: number; holdMs?: number; holds?: readonly HeldAddress[] },
  ): { pool: PublicIpPool; problems: RestoreProblem[] } {
    const pool = new PublicIpPool(options);
    for (const text of ranges) {
      const added = pool.addRange(text, options.now);
      if (!added.ok) throw new AddressError(`public range ${text} cannot be restored: ${added.message}`);
    }
    const problems: RestoreProblem[] = [];
    for (const { owner, tenantId, ip: recorded } of records) {
      const text = typeof recorded === "number" ? formatIpv4(recorded) : recorded;
      const ip = readAddress(recorded);
      // A restore is a named-address allocation on a pool that has no holds yet.
      const r = ip === undefined ? undefined : pool.allocate(owner, tenantId, options.now, ip);
      if (r?.ok) continue;
      const holder = ip === undefined ? undefined : pool.byIp.get(ip);
      const mine = pool.byOwner.get(owner);
      const recordedFor = `${text} recorded for ${owner}`;
      if (r?.code === "InUse" && holder !== undefined)
        problems.push(
          problem(
            "DuplicateAddress",
            owner,
            text,
            `${text} is recorded for both ${holder} and ${owner}; ${holder} keeps it`,
            holder,
          ),
        );
      else if (mine !== undefined) {
        const message = `${owner} is recorded with ${formatIpv4(mine.ip)} and ${text}; it keeps the first`;
        problems.push(problem("OwnerHasTwoAddresses", owner, text, message));
      } else if (r?.code === "OutsideRange")
        problems.push(problem("OutsideRange", owner, text, `${recordedFor} is in no range of the public pool`));
      else if (r?.code === "Reserved")
        problems.push(problem("Invalid", owner, text, `${recordedFor} is a network or broadcast address`));
      else problems.push(problem("Invalid", owner, text, `"${text}" recorded for ${owner} is not an IPv4 address`));
    }
    for (const h of [...(options.holds ?? [])].sort((x, y) => x.until - y.until)) {
      const ip = readAddress(h.ip);
      const r = ip === undefined ? undefined : pool.rangeOf(ip);
      if (ip === undefined || !r || !(h.until > options.now) || r.taken.has(ip - r.cidr.base)) continue;
      r.taken.set(ip - r.cidr.base);
      r.free--;
      pool.held.push(ip, h.until);
    }
    return { pool, problems };
  }

  addRange(text: string, now: number): RangeChange {
    const read = readPublicRange(text);
    if (!read.ok) return read;
    const { cidr } = read;
    const clash = this.ranges.find((r) => cidrsOverlap(r.cidr, cidr));
    if (clash) return { ok: false, message: `${text} overlaps the pool's range ${formatCidr(clash.cidr)}` };
    this.held.expire(now, this.unhold);
    const range: PoolRange = { cidr, taken: new Bitmap(cidr.size), used: 0, free: cidr.size - 2 };
    range.taken.set(0);
    range.taken.set(cidr.size - 1);
    // Addresses released from an earlier range here are still on hold.
    for (const { key } of this.held.entries())
      if (cidrContains(cidr, key) && !range.taken.has(key - cidr.base)) {
        range.taken.set(key - cidr.base);
        range.free--;
      }
    this.ranges = [...this.ranges, range].sort((a, b) => a.cidr.base - b.cidr.base);
    return { ok: true, cidr };
  }

  removeRange(text: string, now: number): RangeChange {
    const range = this.ranges.find((r) => formatCidr(r.cidr) === text);
    if (!range) return { ok: false, message: `${text} is not a range of the pool (ranges: ${this.rangeList()})` };
    if (range.used > 0) {
      const inRange = [...this.byOwner.values()].filter((a) => cidrContains(range.cidr, a.ip));
      const shown = inRange
        .slice(0, 5)
        .map((a) => `${formatIpv4(a.ip)} (tenant ${a.tenantId})`)
        .join(", ");
      return {
        ok: false,
        message: `${text} has ${range.used} allocated address(es): ${shown}${inRange.length > 5 ? ", …" : ""}; they must be released first`,
      };
    }
    this.held.expire(now, this.unhold);
    this.ranges = this.ranges.filter((r) => r !== range);
    return { ok: true, cidr: range.cidr };
  }

  /** An address for `owner` of `tenantId`: next free, or `ip` when asked for; the same one on a repeat. */
  allocate(owner: string, tenantId: string, now: number, ip?: Ipv4): AllocationResult {
    const current = this.byOwner.get(owner);
    if (current !== undefined) {
      if (current.tenantId !== tenantId) return refuse("Invalid", `${owner} belongs to another tenant`);
      if (ip === undefined || ip === current.ip) return { ok: true, ip: current.ip, created: false };
      return refuse("OwnerHasAddress", `${owner} already holds ${formatIpv4(current.ip)}; release it first`);
    }
    this.held.expire(now, this.unhold);
    return ip === undefined ? this.allocateNext(owner, tenantId, now) : this.allocateAddress(owner, tenantId, ip, now);
  }

  /** Returns `owner`'s address, held for holdMs unless `hold: false`; unknown owner: undefined. */
  release(owner: string, now: number, options: { hold?: boolean } = {}): Released | undefined {
    const a = this.byOwner.get(owner);
    if (!a) return undefined;
    this.byOwner.delete(owner);
    this.byIp.delete(a.ip);
    const mine = this.byTenant.get(a.tenantId);
    mine?.delete(owner);
    if (mine?.size === 0) this.byTenant.delete(a.tenantId);
    const r = this.rangeOf(a.ip) as PoolRange;
    r.used--;
    if (options.hold === false || this.holdMs === 0) {
      this.unhold(a.ip);
      return { ip: a.ip, availableAt: now };
    }
    this.held.push(a.ip, now + this.holdMs);
    return { ip: a.ip, availableAt: now + this.holdMs };
  }

  addressOf(owner: string): PublicAddress | undefined {
    return this.byOwner.get(owner);
  }

  /** What the tenant's public IP quota is checked against. */
  countForTenant(tenantId: string): number {
    return this.byTenant.get(tenantId)?.size ?? 0;
  }

  /** The tenant's addresses, in address order. */
  listForTenant(tenantId: string): PublicAddress[] {
    const owners = this.byTenant.get(tenantId);
    if (!owners) return [];
    return [...owners].map((o) => this.byOwner.get(o) as PublicAddress).sort((a, b) => a.ip - b.ip);
  }

  rangeCidrs(): Cidr[] {
    return this.ranges.map((r) => r.cidr);
  }

  usage(now: number): PoolUsage {
    this.held.expire(now, this.unhold);
    const ranges = this.ranges.map((r) => {
      const usable = r.cidr.size - 2;
      return { cidr: formatCidr(r.cidr), usable, used: r.used, onHold: usable - r.used - r.free, free: r.free };
    });
    const sum = (f: (r: RangeUsage) => number) => ranges.reduce((n, r) => n + f(r), 0);
    return {
      usable: sum((r) => r.usable),
      used: sum((r) => r.used),
      onHold: sum((r) => r.onHold),
      free: sum((r) => r.free),
      ranges,
    };
  }

  *records(): IterableIterator<PublicAddress> {
    yield* this.byOwner.values();
  }

  holds(now: number): { ip: Ipv4; until: number }[] {
    this.held.expire(now, this.unhold);
    return [...this.held.entries()].map(({ key, until }) => ({ ip: key, until }));
  }

  /** Bytes of the ranges' bitmaps and the hold ring. */
  get fixedBytes(): number {
    return this.ranges.reduce((n, r) => n + r.taken.bytes, this.held.bytes);
  }

  private allocateNext(owner: string, tenantId: string, now: number): AllocationResult {
    const n = this.ranges.length;
    let start = this.ranges.findIndex((r) => lastAddress(r.cidr) >= this.cursor);
    if (start < 0) start = 0;
    const first = this.ranges[start];
    const from = first && cidrContains(first.cidr, this.cursor) ? this.cursor - first.cidr.base : 0;
    for (let k = 0; n > 0 && k <= n; k++) {
      const r = this.ranges[(start + k) % n] as PoolRange;
      if (r.free === 0) continue;
      // k = n: back at the first range, for the addresses before the cursor.
      const offset = r.taken.findClear(k === 0 ? from : 0, false);
      if (offset < 0 || (k === n && offset >= from)) continue;
      const ip = r.cidr.base + offset;
      this.take(r, { owner, tenantId, ip });
      this.cursor = ip + 1;
      return { ok: true, ip, created: true };
    }
    const next = this.held.nextUntil();
    const used = this.byOwner.size;
    const message =
      next === undefined
        ? `the public IP pool has no free address: all ${used} are allocated; an operator must add a range`
        : `the public IP pool has no free address: ${used} are allocated and ${this.held.size} on hold after release (the next is free again ${inSeconds(next, now)})`;
    return { ok: false, code: "Exhausted", message, ...(next === undefined ? {} : { availableAt: next }) };
  }

  private allocateAddress(owner: string, tenantId: string, ip: Ipv4, now: number): AllocationResult {
    const text = formatIpv4(ip);
    const r = this.rangeOf(ip);
    if (!r) return refuse("OutsideRange", `${text} is not in the public IP pool (ranges: ${this.rangeList()})`);
    if (ip === r.cidr.base || ip === lastAddress(r.cidr))
      return refuse("Reserved", `${text} is the network or broadcast address of ${formatCidr(r.cidr)}`);
    const holder = this.byIp.get(ip);
    if (holder !== undefined) {
      // Another tenant's owner is not named: its existence is all this tenant may learn.
      const same = this.byOwner.get(holder)?.tenantId === tenantId;
      return same
        ? { ok: false, code: "InUse", message: `${text} is already allocated to ${holder}`, holder }
        : refuse("InUse", `${text} is already allocated`);
    }
    if (r.taken.has(ip - r.cidr.base)) {
      const until = this.held.untilOf(ip) ?? now;
      return {
        ok: false,
        code: "OnHold",
        message: `${text} was released recently and is held ${inSeconds(until, now)} before reuse; ask again then, or take any address`,
        availableAt: until,
      };
    }
    this.take(r, { owner, tenantId, ip });
    return { ok: true, ip, created: true };
  }

  private take(r: PoolRange, a: PublicAddress): void {
    r.taken.set(a.ip - r.cidr.base);
    r.used++;
    r.free--;
    this.byOwner.set(a.owner, a);
    this.byIp.set(a.ip, a.owner);
    const mine = this.byTenant.get(a.tenantId);
    if (mine) mine.add(a.owner);
    else this.byTenant.set(a.tenantId, new Set([a.owner]));
  }

  private rangeOf(ip: Ipv4): PoolRange | undefined {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid] as PoolRange;
      if (ip < r.cidr.base) hi = mid - 1;
      else if (ip > lastAddress(r.cidr)) lo = mid + 1;
      else return r;
    }
    return undefined;
  }

  private rangeList(): string {
    return this.ranges.length === 0 ? "none" : this.ranges.map((r) => formatCidr(r.cidr)).join(", ");
  }
}

function refuse(code: Refusal["code"], message: string): Refusal {
  return { ok: false, code, message };
}
