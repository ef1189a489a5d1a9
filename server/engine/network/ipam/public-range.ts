/**
 * Which blocks may be public pool ranges. Guarantees: an accepted range has a prefix of /12
 * to /30 (each range's network and broadcast addresses are never handed out, so a /30 gives
 * two) and overlaps no private (RFC 1918, RFC 6598), loopback, link-local, "this network",
 * multicast or reserved (240.0.0.0/4) block, so a public address can never equal a tenant's
 * private address. The documentation ranges 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24
 * are accepted: examples and tests use them.
 */
import { AddressError, type Cidr, cidrsOverlap, formatCidr, parseCidr } from "../ipv4";

export const PUBLIC_RANGE_PREFIX = { min: 12, max: 30 } as const;

const NOT_PUBLIC: readonly { cidr: Cidr; what: string }[] = [
  ["0.0.0.0/8", '"this network"'],
  ["10.0.0.0/8", "private (RFC 1918)"],
  ["100.64.0.0/10", "shared address space (RFC 6598)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private (RFC 1918)"],
  ["192.168.0.0/16", "private (RFC 1918)"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
].map(([cidr, what]) => ({ cidr: parseCidr(cidr as string), what: what as string }));

/** The range as a block, or why it cannot be a public range. */
export function readPublicRange(text: string): { ok: true; cidr: Cidr } | { ok: false; message: string } {
  let cidr: Cidr;
  try {
    cidr = parseCidr(text);
  } catch (e) {
    if (!(e instanceof AddressError)) throw e;
    return { ok: false, message: e.message };
  }
  if (cidr.prefix < PUBLIC_RANGE_PREFIX.min || cidr.prefix > PUBLIC_RANGE_PREFIX.max)
    return {
      ok: false,
      message: `${text} has prefix /${cidr.prefix}; public ranges are /${PUBLIC_RANGE_PREFIX.min} to /${PUBLIC_RANGE_PREFIX.max} (add several ranges for more)`,
    };
  const clash = NOT_PUBLIC.find((b) => cidrsOverlap(b.cidr, cidr));
  if (clash)
    return {
      ok: false,
      message: `${text} overlaps ${formatCidr(clash.cidr)}, which is ${clash.what} and cannot be public; use routable addresses (in examples, 203.0.113.0/24 or 198.51.100.0/24)`,
    };
  return { ok: true, cidr };
}
