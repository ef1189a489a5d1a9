/**
 * One subnet's address allocator. Guarantees:
 * - an address belongs to at most one live owner; an owner holds at most one address, and
 *   asking again returns the same one (idempotent); releasing an unknown owner does nothing;
 * - the network and broadcast addresses, the gateway and excludeIps are never handed out;
 * - a released address is held for `holdMs` on the engine clock before anyone gets it again:
 *   peers keep ARP entries (Linux: 15–45 s reachable, then stale until probed) and conntrack
 *   entries for flows to the old pod, and endpoint lists lag the pod's deletion, so an address
 *   reused at once would receive traffic meant for a pod that is gone. 30 s covers ARP's
 *   reachable time and a watch round-trip; a hold delays reuse, never refuses it for good;
 * - allocation is next-fit (the search resumes after the last address handed out), so freed
 *   addresses are reused last, and costs O(1) amortised: a bitmap scan 32 addresses a step;
 * - exhaustion and bad requests are refusals with a reason, never throws;
 * - memory: two bitmaps (size/32 words each), plus one map entry per live owner and 12 bytes
 *   per held address.
 * `restore` rebuilds the allocator from the (owner, address) pairs of committed state, so a
 * restart cannot hand a live pod's address to another; holds survive only if passed in.
 */
import { cidrContains, formatCidr, formatIpv4, type Ipv4, lastAddress } from "../ipv4";
import type { AllocationResult, HeldAddress, OwnedAddress, Released, Refusal, RestoreProblem } from "./allocation";
import { inSeconds, problem } from "./allocation";
import { Bitmap } from "./bitmap";
import { HoldQueue } from "./hold-queue";
import { readAddress } from "./read-address";
import type { SubnetPlan } from "./subnet-plan";

export const DEFAULT_HOLD_MS = 30_000;

export interface AllocatorOptions {
  /** How long a released address waits before reuse (ms, engine clock); DEFAULT_HOLD_MS. */
  readonly holdMs?: number;
}

export interface RestoreOptions extends AllocatorOptions {
  /** The engine clock at the restore (holds that ended before it are dropped). */
  readonly now: number;
  /** Holds carried over the restart, if the caller kept them (see `holds()`). */
  readonly holds?: readonly HeldAddress[];
}

/** The subnet's counts for its status (Kube-OVN: v4usingIPs = used, v4availableIPs = free). */
export interface SubnetUsage {
  readonly size: number;
  /** Network, broadcast, gateway and excluded addresses. */
  readonly reserved: number;
  /** size − reserved. */
  readonly usable: number;
  /** Live owners (including usedOnReserved). */
  readonly used: number;
  /** Owners kept by a restore on addresses the plan now excludes (they leave with their owner). */
  readonly usedOnReserved: number;
  readonly onHold: number;
  /** Addresses that can be handed out now: usable − (used − usedOnReserved) − onHold. */
  readonly free: number;
}

export class SubnetAllocator {
  readonly holdMs: number;
  private readonly reserved: Bitmap;
  /** reserved ∪ used ∪ on hold: a clear bit is a free address. */
  private readonly taken: Bitmap;
  private readonly byOwner = new Map<string, number>();
  private readonly byOffset = new Map<number, string>();
  private readonly held = new HoldQueue();
  private cursor = 0;
  private freeCount: number;
  private ownedReserved = 0;
  private readonly unhold = (offset: number): void => {
    this.taken.clear(offset);
    this.freeCount++;
  };

  constructor(
    readonly plan: SubnetPlan,
    options: AllocatorOptions = {},
  ) {
    this.holdMs = options.holdMs ?? DEFAULT_HOLD_MS;
    if (!(this.holdMs >= 0)) throw new RangeError(`holdMs must be ≥ 0, not ${this.holdMs}`);
    const { cidr } = plan;
    this.reserved = new Bitmap(cidr.size);
    this.taken = new Bitmap(cidr.size);
    for (const bits of [this.reserved, this.taken]) {
      bits.set(0);
      bits.set(cidr.size - 1);
      bits.set(plan.gateway - cidr.base);
      for (const r of plan.excluded) bits.setRange(r.first - cidr.base, r.last - cidr.base);
    }
    this.freeCount = plan.usable;
  }

  /** Rebuilds from committed state; problems in the input are reported, never silently accepted. */
  static restore(
    plan: SubnetPlan,
    records: Iterable<OwnedAddress>,
    options: RestoreOptions,
  ): { allocator: SubnetAllocator; problems: RestoreProblem[] } {
    const a = new SubnetAllocator(plan, options);
    const problems: RestoreProblem[] = [];
    const where = `the subnet ${formatCidr(plan.cidr)}`;
    for (const { owner, ip: recorded } of records) {
      const ip = readAddress(recorded);
      const offset = ip === undefined ? -1 : ip - plan.cidr.base;
      const holder = offset < 0 || offset >= plan.cidr.size ? undefined : a.byOffset.get(offset);
      if (holder === owner) continue; // the same record twice
      const mine = a.byOwner.get(owner);
      const text = typeof recorded === "number" ? formatIpv4(recorded) : recorded;
      if (ip === undefined)
        problems.push(problem("Invalid", owner, text, `"${text}" recorded for ${owner} is not an IPv4 address`));
      else if (!cidrContains(plan.cidr, ip))
        problems.push(problem("OutsideRange", owner, text, `${text} recorded for ${owner} is outside ${where}`));
      else if (holder !== undefined)
        problems.push(
          problem(
            "DuplicateAddress",
            owner,
            text,
            `${text} is recorded for both ${holder} and ${owner}; ${holder} keeps it`,
            holder,
          ),
        );
      else if (mine !== undefined)
        problems.push(
          problem(
            "OwnerHasTwoAddresses",
            owner,
            text,
            `${owner} is recorded with ${formatIpv4(plan.cidr.base + mine)} and ${text}; it keeps the first`,
          ),
        );
      else {
        if (a.reserved.has(offset)) {
          a.ownedReserved++;
          const message = `${text} of ${owner} is now reserved or excluded in ${where}; it stays ${owner}'s until released`;
          problems.push({ ...problem("NowReserved", owner, text, message), kept: true });
        } else {
          a.taken.set(offset);
          a.freeCount--;
        }
        a.byOwner.set(owner, offset);
        a.byOffset.set(offset, owner);
      }
    }
    const holds = [...(options.holds ?? [])].sort((x, y) => x.until - y.until);
    for (const h of holds) {
      const ip = readAddress(h.ip);
      if (ip === undefined || !cidrContains(plan.cidr, ip) || !(h.until > options.now)) continue;
      const offset = ip - plan.cidr.base;
      if (a.taken.has(offset)) continue;
      a.taken.set(offset);
      a.freeCount--;
      a.held.push(offset, h.until);
    }
    return { allocator: a, problems };
  }

  /** The next free address for `owner` (next-fit), or the one it already holds. */
  allocate(owner: string, now: number): AllocationResult {
    const current = this.byOwner.get(owner);
    if (current !== undefined) return { ok: true, ip: this.plan.cidr.base + current, created: false };
    this.held.expire(now, this.unhold);
    const offset = this.taken.findClear(this.cursor);
    if (offset < 0) return this.exhausted(now);
    this.take(owner, offset);
    this.cursor = offset + 1;
    return { ok: true, ip: this.plan.cidr.base + offset, created: true };
  }

  /** A requested address for `owner`, refused with the reason when it cannot be had. */
  allocateStatic(owner: string, ip: Ipv4, now: number): AllocationResult {
    const { cidr } = this.plan;
    const text = formatIpv4(ip);
    const current = this.byOwner.get(owner);
    if (current !== undefined) {
      if (current === ip - cidr.base) return { ok: true, ip, created: false };
      const has = formatIpv4(cidr.base + current);
      return refuse("OwnerHasAddress", `${owner} already holds ${has}; release it before asking for ${text}`);
    }
    if (!cidrContains(cidr, ip)) {
      const hosts = `${formatIpv4(cidr.base + 1)} to ${formatIpv4(lastAddress(cidr) - 1)}`;
      return refuse("OutsideRange", `${text} is outside the subnet ${formatCidr(cidr)} (${hosts})`);
    }
    const offset = ip - cidr.base;
    if (offset === 0 || offset === cidr.size - 1)
      return refuse(
        "Reserved",
        `${text} is the ${offset === 0 ? "network" : "broadcast"} address of ${formatCidr(cidr)}`,
      );
    if (ip === this.plan.gateway) return refuse("Gateway", `${text} is the gateway of ${formatCidr(cidr)}`);
    if (this.reserved.has(offset))
      return refuse("Excluded", `${text} is in the excludeIps of the subnet "${this.plan.name}"`);
    const holder = this.byOffset.get(offset);
    if (holder !== undefined) return refuse("InUse", `${text} is in use by ${holder}`, holder);
    this.held.expire(now, this.unhold);
    if (this.taken.has(offset)) {
      const until = this.held.untilOf(offset) ?? now;
      return {
        ok: false,
        code: "OnHold",
        message: `${text} was released recently and is held ${inSeconds(until, now)} so peers forget its old holder; ask again then, or choose another address`,
        availableAt: until,
      };
    }
    this.take(owner, offset);
    return { ok: true, ip, created: true };
  }

  /**
   * Returns `owner`'s address; it is held for holdMs unless `hold: false` (a static address
   * that the owner's replacement asks for again). Unknown owner: undefined, nothing changes.
   */
  release(owner: string, now: number, options: { hold?: boolean } = {}): Released | undefined {
    const offset = this.byOwner.get(owner);
    if (offset === undefined) return undefined;
    this.byOwner.delete(owner);
    this.byOffset.delete(offset);
    const ip = this.plan.cidr.base + offset;
    if (this.reserved.has(offset)) {
      this.ownedReserved--;
      return { ip, availableAt: now };
    }
    if (options.hold === false || this.holdMs === 0) {
      this.unhold(offset);
      return { ip, availableAt: now };
    }
    this.held.push(offset, now + this.holdMs);
    return { ip, availableAt: now + this.holdMs };
  }

  addressOf(owner: string): Ipv4 | undefined {
    const offset = this.byOwner.get(owner);
    return offset === undefined ? undefined : this.plan.cidr.base + offset;
  }

  ownerOf(ip: Ipv4): string | undefined {
    return cidrContains(this.plan.cidr, ip) ? this.byOffset.get(ip - this.plan.cidr.base) : undefined;
  }

  usage(now: number): SubnetUsage {
    this.held.expire(now, this.unhold);
    const size = this.plan.cidr.size;
    return {
      size,
      reserved: size - this.plan.usable,
      usable: this.plan.usable,
      used: this.byOwner.size,
      usedOnReserved: this.ownedReserved,
      onHold: this.held.size,
      free: this.freeCount,
    };
  }

  /** Every live (owner, address): what committed state should hold, and a re-plan's input. */
  *records(): IterableIterator<{ owner: string; ip: Ipv4 }> {
    for (const [owner, offset] of this.byOwner) yield { owner, ip: this.plan.cidr.base + offset };
  }

  /** Addresses on hold at `now`, oldest first (to persist over a restart if wanted). */
  holds(now: number): { ip: Ipv4; until: number }[] {
    this.held.expire(now, this.unhold);
    return [...this.held.entries()].map(({ key, until }) => ({ ip: this.plan.cidr.base + key, until }));
  }

  /** Bytes of the bitmaps and the hold ring (owner maps excluded: they grow with owners). */
  get fixedBytes(): number {
    return this.reserved.bytes + this.taken.bytes + this.held.bytes;
  }

  private take(owner: string, offset: number): void {
    this.taken.set(offset);
    this.freeCount--;
    this.byOwner.set(owner, offset);
    this.byOffset.set(offset, owner);
  }

  private exhausted(now: number): Refusal {
    const { cidr, name, usable } = this.plan;
    const where = `the subnet "${name}" (${formatCidr(cidr)}) has no free address`;
    const next = this.held.nextUntil();
    const used = this.byOwner.size - this.ownedReserved;
    const message =
      next === undefined
        ? `${where}: all ${usable} usable addresses are in use; delete pods or add a subnet`
        : `${where}: ${used} of ${usable} usable addresses are in use and ${this.held.size} on hold after release (the next is free again ${inSeconds(next, now)})`;
    return { ok: false, code: "Exhausted", message, ...(next === undefined ? {} : { availableAt: next }) };
  }
}

function refuse(code: Refusal["code"], message: string, holder?: string): Refusal {
  return { ok: false, code, message, ...(holder === undefined ? {} : { holder }) };
}
