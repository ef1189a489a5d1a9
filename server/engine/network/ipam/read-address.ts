/**
 * An address as committed state records it (text or uint32), or undefined when it is neither.
 * Restores read one address per live pod, so dotted quads are read by hand (about ten times
 * faster than the general parser); anything that is not plainly "a.b.c.d" with octets 0–255 and
 * no leading zeros goes to parseIpv4, so both accept exactly the same texts.
 */
import { AddressError, type Ipv4, parseIpv4 } from "../ipv4";

export function readAddress(value: string | Ipv4): Ipv4 | undefined {
  if (typeof value === "number")
    return Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? value : undefined;
  const fast = readDottedQuad(value);
  if (fast >= 0) return fast;
  try {
    return parseIpv4(value);
  } catch (e) {
    if (e instanceof AddressError) return undefined;
    throw e;
  }
}

/** The address, or -1 when the text is not a plain dotted quad. */
export function readDottedQuad(text: string): number {
  let ip = 0;
  let octet = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 46 : text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || parts === 4) return -1;
      ip = ip * 256 + octet;
      parts++;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // a leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else return -1;
  }
  return parts === 4 ? ip : -1;
}
