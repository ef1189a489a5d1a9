/**
 * MAC addresses as 48-bit integers. Guarantees: `derivedMac(ip)` is 0a:58:<the IPv4's four
 * bytes>, as OVN-Kubernetes derives pod MACs: locally administered (bit 1 of the first octet
 * set), unicast (bit 0 clear), and one-to-one with the address. Addresses are unique within a
 * VPC (subnets do not overlap), so derived MACs are unique within every L2 segment, and the
 * same (VPC, address) always gets the same MAC, across restarts and re-allocations; tenants'
 * VPCs never share a segment, so equal MACs in two VPCs never meet. A static MAC a pod asks
 * for must be unicast, not all zeroes, and outside 0a:58:00:00:00:00/16, which derived MACs
 * own, so a static MAC can never collide with an address handed out later.
 */
import { AddressError, formatIpv4, type Ipv4 } from "../ipv4";

/** A MAC address as an integer below 2^48. */
export type Mac = number;

const WORD = 2 ** 32;
const DERIVED_PREFIX = 0x0a58;
const MAC_TEXT = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

export function derivedMac(ip: Ipv4): Mac {
  return DERIVED_PREFIX * WORD + ip;
}

/** Whether the MAC is one that derivedMac gives (0a:58:…). */
export function isDerivedMac(mac: Mac): boolean {
  return Math.floor(mac / WORD) === DERIVED_PREFIX;
}

export function formatMac(mac: Mac): string {
  let out = "";
  for (let shift = 40; shift >= 0; shift -= 8) {
    const octet = Math.floor(mac / 2 ** shift) % 256;
    out += `${shift === 40 ? "" : ":"}${octet.toString(16).padStart(2, "0")}`;
  }
  return out;
}

/** Parses "aa:bb:cc:dd:ee:ff" (either case); throws AddressError otherwise. */
export function parseMac(text: string): Mac {
  if (!MAC_TEXT.test(text))
    throw new AddressError(`"${text}" is not a MAC address (expected six octets as aa:bb:cc:dd:ee:ff)`);
  return Number.parseInt(text.replaceAll(":", ""), 16);
}

/**
 * Why a MAC cannot be a pod's static MAC, or undefined when it can. `ip` is the address the
 * pod asked for, if any: its own derived MAC is accepted (it is what the pod would get).
 */
export function staticMacProblem(mac: Mac, ip?: Ipv4): string | undefined {
  const text = formatMac(mac);
  if (mac === 2 ** 48 - 1) return `${text} is the broadcast address; use a unicast MAC`;
  if (Math.floor(mac / 2 ** 40) % 2 === 1)
    return `${text} is a multicast MAC (the first octet is odd); use a unicast MAC (first octet even)`;
  if (mac === 0) return `${text} is not a usable MAC; use a unicast MAC`;
  if (isDerivedMac(mac) && mac !== (ip === undefined ? undefined : derivedMac(ip)))
    return `${text} is in 0a:58:…, which the network derives from addresses (${formatIpv4(mac % WORD)} would get it); leave the MAC unset or choose another prefix`;
  return undefined;
}
