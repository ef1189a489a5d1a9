/**
 * One (direction, protocol) list of compiled rules, in precedence order, as typed arrays:
 * remote CIDRs as integer base and mask, port ranges as integers, remote groups as indexes.
 * `first()` answers the first rule matching (port, remote address, remote's groups) without
 * allocating. For longer lists a port-interval index narrows the scan: the port space is cut
 * at every rule's range ends into elementary intervals, each holding (in precedence order) the
 * rules covering it, so a lookup is one binary search plus the few rules that cover the port.
 * When ranges nest so deeply that the index would be large, the list is scanned whole
 * (correct either way: every candidate's range is still checked).
 */
export interface ListRule {
  /** The rule's position in its direction's precedence order (what `first` returns). */
  readonly slot: number;
  readonly base: number;
  readonly mask: number;
  /** Index into the matcher's remote group names, or -1 for a CIDR remote. */
  readonly remoteGroup: number;
  readonly portFrom: number;
  readonly portTo: number;
}

const INDEX_FROM_RULES = 9;

export class RuleList {
  readonly length: number;
  private readonly slot: Int32Array;
  private readonly base: Int32Array;
  private readonly mask: Int32Array;
  private readonly remoteGroup: Int16Array;
  private readonly portFrom: Uint16Array;
  private readonly portTo: Uint16Array;
  /** Interval starts (ascending, first 0), and per interval its members' positions (CSR). */
  private readonly bounds: Uint32Array;
  private readonly offsets: Uint32Array;
  private readonly members: Uint32Array;

  /** `rules` in precedence order. */
  constructor(rules: readonly ListRule[]) {
    const n = rules.length;
    this.length = n;
    this.slot = Int32Array.from(rules, (r) => r.slot);
    this.base = Int32Array.from(rules, (r) => r.base | 0);
    this.mask = Int32Array.from(rules, (r) => r.mask | 0);
    this.remoteGroup = Int16Array.from(rules, (r) => r.remoteGroup);
    this.portFrom = Uint16Array.from(rules, (r) => r.portFrom);
    this.portTo = Uint16Array.from(rules, (r) => r.portTo);
    const index = n >= INDEX_FROM_RULES ? buildPortIndex(rules) : undefined;
    const all = Uint32Array.from({ length: n }, (_, i) => i);
    this.bounds = index?.bounds ?? Uint32Array.of(0);
    this.offsets = index?.offsets ?? Uint32Array.of(0, n);
    this.members = index?.members ?? all;
  }

  /**
   * The slot of the first rule matching, or -1. `remoteGroups`: the remote's group names (a
   * pod of the tenant reached by its private address), else undefined; `groupNames` resolves
   * a rule's remote group index.
   */
  first(port: number, ip: number, remoteGroups: readonly string[] | undefined, groupNames: readonly string[]): number {
    const { bounds, offsets, members, base, mask, remoteGroup, portFrom, portTo } = this;
    let lo = 0;
    let hi = bounds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((bounds[mid] as number) <= port) lo = mid;
      else hi = mid - 1;
    }
    const end = offsets[lo + 1] as number;
    for (let j = offsets[lo] as number; j < end; j++) {
      const r = members[j] as number;
      if (port < (portFrom[r] as number) || port > (portTo[r] as number)) continue;
      const g = remoteGroup[r] as number;
      if (g < 0) {
        if ((ip & (mask[r] as number)) === base[r]) return this.slot[r] as number;
      } else if (remoteGroups?.includes(groupNames[g] as string)) {
        return this.slot[r] as number;
      }
    }
    return -1;
  }
}

function buildPortIndex(rules: readonly ListRule[]) {
  const cuts = new Set<number>([0]);
  for (const r of rules) {
    cuts.add(r.portFrom);
    if (r.portTo < 65535) cuts.add(r.portTo + 1);
  }
  const bounds = Uint32Array.from([...cuts].sort((a, b) => a - b));
  const intervalOf = (port: number) => {
    let lo = 0;
    let hi = bounds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((bounds[mid] as number) <= port) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const spans = rules.map((r) => [intervalOf(r.portFrom), intervalOf(r.portTo)] as const);
  const total = spans.reduce((s, [a, b]) => s + b - a + 1, 0);
  // Deeply nested ranges: the index would hold up to n² entries; scan whole instead.
  if (total > 32 * rules.length + 256) return undefined;
  const offsets = new Uint32Array(bounds.length + 1);
  for (const [a, b] of spans) for (let k = a; k <= b; k++) (offsets[k + 1] as number)++;
  for (let k = 0; k < bounds.length; k++) offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
  const fill = offsets.slice(0, bounds.length);
  const members = new Uint32Array(total);
  spans.forEach(([a, b], i) => {
    for (let k = a; k <= b; k++) members[(fill[k] as number)++] = i;
  });
  return { bounds, offsets, members };
}
