/**
 * Kube-OVN's `excludeIps` entries: a single address ("10.0.0.5") or an inclusive range
 * ("10.0.0.10..10.0.0.20"). Guarantees: a parsed range has first ≤ last; `mergeRanges`
 * returns sorted, disjoint, non-adjacent ranges covering exactly the union of its input.
 */
import { AddressError, formatIpv4, type Ipv4, parseIpv4 } from "../ipv4";

/** An inclusive range of addresses. */
export interface AddressRange {
  readonly first: Ipv4;
  readonly last: Ipv4;
}

export function parseExcludeEntry(text: string): AddressRange {
  const dots = text.indexOf("..");
  if (dots < 0) {
    const ip = parseIpv4(text.trim());
    return { first: ip, last: ip };
  }
  const first = parseIpv4(text.slice(0, dots).trim());
  const last = parseIpv4(text.slice(dots + 2).trim());
  if (first > last)
    throw new AddressError(
      `"${text}" runs backwards; write the lower address first (${formatIpv4(last)}..${formatIpv4(first)})`,
    );
  return { first, last };
}

export function formatRange(r: AddressRange): string {
  return r.first === r.last ? formatIpv4(r.first) : `${formatIpv4(r.first)}..${formatIpv4(r.last)}`;
}

export function mergeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const out: { first: Ipv4; last: Ipv4 }[] = [];
  for (const r of sorted) {
    const prev = out.at(-1);
    if (prev && r.first <= prev.last + 1) prev.last = Math.max(prev.last, r.last);
    else out.push({ first: r.first, last: r.last });
  }
  return out;
}

/** Addresses covered by sorted, disjoint ranges. */
export function rangesSize(ranges: readonly AddressRange[]): number {
  let n = 0;
  for (const r of ranges) n += r.last - r.first + 1;
  return n;
}
