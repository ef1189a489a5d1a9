/**
 * A tenant's ClusterIP allocator: a bitmap over its service range (default 10.96.0.0/16), so
 * allocation and release are O(1) amortised and 65,536 addresses cost 8 KiB. Kept here, small,
 * because a service's ClusterIP is part of its spec and the forwarding table needs one in
 * tests and benchmarks; the general subnet allocator (network/ipam/) may replace it behind the
 * same four calls (allocateNext, allocate, release, has).
 *
 * Guarantees: an address is handed out at most once until released; the range's network and
 * broadcast addresses are never handed out (Kubernetes reserves them); dynamic allocation
 * walks forward from the last address handed out (next-fit), so a just-released address is
 * the last to be reused and a stale DNS answer does not reach a new service at once. After
 * a restart, `allocate(ip)` re-marks each existing service's address. Errors carry
 * Kubernetes' texts.
 */
import { EngineError } from "../../core/errors";
import { type Cidr, cidrContains, formatCidr, formatIpv4, type Ipv4, parseCidr, parseIpv4 } from "../ipv4";
import { DEFAULT_SERVICE_CIDR, type ServiceSpec } from "./service";

export class ClusterIpAllocator {
  readonly range: Cidr;
  private readonly bits: Uint32Array;
  private readonly firstOffset: number;
  private readonly lastOffset: number;
  private cursor: number;
  private count = 0;

  constructor(range: Cidr | string = DEFAULT_SERVICE_CIDR) {
    this.range = typeof range === "string" ? parseCidr(range) : range;
    if (this.range.prefix < 12 || this.range.prefix > 30)
      throw new EngineError(
        "INVALID",
        `service range ${formatCidr(this.range)} must have a prefix between /12 and /30 (Kubernetes allows at most 2^20 service addresses)`,
      );
    this.bits = new Uint32Array(Math.ceil(this.range.size / 32));
    this.firstOffset = 1;
    this.lastOffset = this.range.size - 2;
    this.cursor = this.firstOffset;
  }

  /** Addresses that can be handed out (the range less network and broadcast). */
  get capacity(): number {
    return this.lastOffset - this.firstOffset + 1;
  }
  get used(): number {
    return this.count;
  }
  get free(): number {
    return this.capacity - this.count;
  }

  has(ip: Ipv4): boolean {
    const o = this.offsetOf(ip);
    return o !== undefined && this.isSet(o);
  }

  /** The next free address after the last one handed out; throws when the range is full. */
  allocateNext(): Ipv4 {
    if (this.count >= this.capacity)
      throw new EngineError(
        "INVALID",
        `failed to allocate a serviceIP: range is full (${formatCidr(this.range)} has ${this.capacity} addresses); delete a service you no longer need`,
      );
    let o = this.cursor;
    while (this.isSet(o)) o = o >= this.lastOffset ? this.firstOffset : o + 1;
    this.set(o);
    this.cursor = o >= this.lastOffset ? this.firstOffset : o + 1;
    return (this.range.base + o) >>> 0;
  }

  /** Marks a requested (or restored) address as used; throws with Kubernetes' text when it cannot be. */
  allocate(ip: Ipv4): void {
    const o = this.offsetOf(ip);
    const text = formatIpv4(ip);
    if (o === undefined || o < this.firstOffset || o > this.lastOffset)
      throw new EngineError(
        "INVALID",
        `spec.clusterIPs: Invalid value: ["${text}"]: failed to allocate IP ${text}: provided IP (${text}) is not in the valid range. The range of valid IPs is ${formatCidr(this.range)}`,
      );
    if (this.isSet(o))
      throw new EngineError(
        "INVALID",
        `spec.clusterIPs: Invalid value: ["${text}"]: failed to allocate IP ${text}: provided IP is already allocated`,
      );
    this.set(o);
  }

  /** Returns an address to the range; false when it was not allocated. */
  release(ip: Ipv4): boolean {
    const o = this.offsetOf(ip);
    if (o === undefined || !this.isSet(o)) return false;
    this.bits[o >>> 5] = (this.bits[o >>> 5] as number) & ~(1 << (o & 31));
    this.count--;
    return true;
  }

  private offsetOf(ip: Ipv4): number | undefined {
    return cidrContains(this.range, ip) ? ip - this.range.base : undefined;
  }
  private isSet(o: number): boolean {
    return ((this.bits[o >>> 5] as number) & (1 << (o & 31))) !== 0;
  }
  private set(o: number): void {
    this.bits[o >>> 5] = (this.bits[o >>> 5] as number) | (1 << (o & 31));
    this.count++;
  }
}

/**
 * Gives a defaulted spec its ClusterIP: the requested one if it is free and in range, else the
 * allocator's next. Call it once, at creation; an update keeps the address (serviceUpdateProblems).
 */
export function assignClusterIp(spec: ServiceSpec, allocator: ClusterIpAllocator): ServiceSpec {
  if (spec.clusterIP !== undefined) {
    allocator.allocate(parseIpv4(spec.clusterIP));
    return spec;
  }
  return { ...spec, clusterIP: formatIpv4(allocator.allocateNext()) };
}
