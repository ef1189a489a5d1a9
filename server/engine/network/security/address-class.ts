/**
 * Which addresses belong to no one's network and so have no route outside a tenant's VPC:
 * private (RFC 1918), shared (100.64.0.0/10), loopback, link-local, "this network", multicast
 * and reserved (RFC 6890). Everything else is public, documentation ranges included (our
 * examples and tests use 203.0.113.0/24 and 198.51.100.0/24 as public addresses).
 */
import type { Ipv4 } from "../ipv4";
import { maskOf, parseCidr } from "../ipv4";

const NOT_PUBLIC = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
].map((text) => {
  const c = parseCidr(text);
  return { base: c.base | 0, mask: maskOf(c.prefix) | 0 };
});

export function isPublicAddress(ip: Ipv4): boolean {
  for (const b of NOT_PUBLIC) if ((ip & b.mask) === b.base) return false;
  return true;
}
