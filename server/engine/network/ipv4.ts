/**
 * IPv4 addresses and CIDR blocks as the network model holds them: an address is an unsigned
 * 32-bit integer (so ranges, bitmaps and lookups are arithmetic, not string work), parsed and
 * validated once at the edge by ipaddr.js. IPv6 is refused with a clear reason: the modelled
 * networks are IPv4-only, as the source design's were.
 */
import ipaddr from "ipaddr.js";

/** An IPv4 address as an unsigned 32-bit integer. */
export type Ipv4 = number;

export interface Cidr {
  /** The block's first address (host bits zero). */
  readonly base: Ipv4;
  readonly prefix: number;
  /** Number of addresses in the block (2^(32 - prefix)). */
  readonly size: number;
}

export class AddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AddressError";
  }
}

/** Parses dotted-quad IPv4 ("10.0.0.7"); throws AddressError otherwise. */
export function parseIpv4(text: string): Ipv4 {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) throw new AddressError(`"${text}" is not an IPv4 address`);
  const [a, b, c, d] = ipaddr.IPv4.parse(text).octets as [number, number, number, number];
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

export function formatIpv4(ip: Ipv4): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/**
 * Parses "a.b.c.d/n". Host bits must be zero ("10.0.0.1/16" is refused, as Kubernetes and
 * the clouds refuse it for a network's range) so a block has one spelling.
 */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf("/");
  if (slash < 0) throw new AddressError(`"${text}" is not a CIDR block (expected a.b.c.d/n)`);
  const ip = parseIpv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  const prefix = /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= 32)) throw new AddressError(`"${text}" has no prefix length between 0 and 32`);
  const base = (ip & maskOf(prefix)) >>> 0;
  if (base !== ip) throw new AddressError(`"${text}" has host bits set; did you mean ${formatIpv4(base)}/${prefix}?`);
  return { base, prefix, size: 2 ** (32 - prefix) };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
}

/** The netmask of a prefix length as an unsigned integer (/0 → 0). */
export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function cidrContains(cidr: Cidr, ip: Ipv4): boolean {
  return (ip & maskOf(cidr.prefix)) >>> 0 === cidr.base;
}

/** Whether `inner` lies wholly inside `outer`. */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && cidrContains(outer, inner.base);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrWithin(a, b) || cidrWithin(b, a);
}

/** The last address of the block (its broadcast address when it is a subnet). */
export function lastAddress(cidr: Cidr): Ipv4 {
  return (cidr.base + cidr.size - 1) >>> 0;
}
