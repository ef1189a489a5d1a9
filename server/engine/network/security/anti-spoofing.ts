/**
 * Port security (Kube-OVN's port_security, Calico's default): a frame may leave a pod's port
 * only with the port's assigned MAC (L2: no ARP spoofing) and IP (L3: no IP spoofing), or an
 * address pair the port is explicitly allowed (OpenStack's allowed-address-pairs: an IP or
 * block, with the port's MAC unless the pair names another). L2 is checked first, so a frame
 * wrong in both counts as a MAC spoof. Allocation-free; MACs are compared in canonical form.
 */
import { AddressError, type Ipv4 } from "../ipv4";
import { maskOf } from "../ipv4";
import type { PortIdentity } from "./types";

export const SOURCE_OK = 0;
export const SPOOFED_SOURCE_MAC = 1;
export const SPOOFED_SOURCE_IP = 2;
export type SourceCheck = typeof SOURCE_OK | typeof SPOOFED_SOURCE_MAC | typeof SPOOFED_SOURCE_IP;

const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i;

/** A MAC in canonical form (lowercase, colons): "0A-58-0A-00-00-07" → "0a:58:0a:00:00:07". Throws AddressError. */
export function canonicalMac(text: string): string {
  if (!MAC.test(text))
    throw new AddressError(`"${text}" is not a MAC address (expected six hex pairs, e.g. 0a:58:0a:00:00:07)`);
  return text.toLowerCase().replaceAll("-", ":");
}

/** Whether a frame from `port` claiming these source addresses may leave it, and if not, why. */
export function checkSourceAddresses(port: PortIdentity, claimedMac: string, claimedIp: Ipv4): SourceCheck {
  if (claimedMac === port.mac && claimedIp === port.ip) return SOURCE_OK;
  const pairs = port.allowedAddressPairs;
  let macKnown = claimedMac === port.mac;
  if (pairs !== undefined)
    for (const pair of pairs) {
      const mac = pair.mac ?? port.mac;
      if (mac !== claimedMac) continue;
      macKnown = true;
      if ((claimedIp & maskOf(pair.cidr.prefix)) >>> 0 === pair.cidr.base) return SOURCE_OK;
    }
  return macKnown ? SPOOFED_SOURCE_IP : SPOOFED_SOURCE_MAC;
}
