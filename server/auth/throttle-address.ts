/**
 * The client a throttle counts, from its address. One IPv6 subscriber is routinely handed a
 * whole /64 (2^64 addresses), so counting each IPv6 address apart would give one client
 * unlimited fresh, "clean" addresses: an IPv6 address counts as its /64 prefix. An IPv4
 * client on a dual-stack socket (`::ffff:10.0.0.1`) counts as its IPv4 address.
 */
import { isIP } from "node:net";

/** "2001:db8:1:2::5" → "2001:db8:1:2::/64"; "::ffff:10.0.0.1" → "10.0.0.1"; IPv4 unchanged. */
export function throttleClientOf(address: string): string {
  const bare = address
    .trim()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/%.*$/, "");
  if (isIP(bare) !== 6) return bare;
  const groups = ipv6Groups(bare);
  if (!groups) return bare;
  const isMappedV4 = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isMappedV4) {
    const [hi = 0, lo = 0] = groups.slice(6);
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` and a dotted IPv4 tail expanded). */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const v4Tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4Tail) {
    const [a, b, c, d] = v4Tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4Tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}
