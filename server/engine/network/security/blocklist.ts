/**
 * The operator's cluster-wide L4 blocklist (the source design's "网络封禁"): TCP/UDP
 * destination ports banned for every tenant, checked before any tenant rule, so no security
 * group or NetworkPolicy can open them. An entry with scope "public" bans the port only on
 * flows that cross the public network (to or from the internet, as clouds ban outbound SMTP
 * 25 while mail inside a VPC works); scope "all" (the default) bans it everywhere.
 * Compiled to a per-protocol table of 65,536 entries: a lookup is one array read; when entries
 * overlap, the first in list order is the one reported.
 */
import { MAX_BLOCKLIST_ENTRIES, MAX_DESCRIPTION_LENGTH, MAX_PORT, MIN_PORT } from "./limits";
import { forbiddenValue, invalidObjectError, invalidValue, requiredValue, tooMany } from "./problems";
import type { FieldProblem, FlowProtocol } from "./types";

export type BlocklistScope = "all" | "public";

export interface BlocklistEntry {
  /** Unique in the list; reported in drop reasons. */
  readonly id: string;
  readonly protocol: "tcp" | "udp";
  readonly portRangeMin: number;
  readonly portRangeMax: number;
  readonly scope?: BlocklistScope;
  /** Why, shown to tenants whose traffic it drops ("outbound SMTP is banned against spam"). */
  readonly reason: string;
}

export const BLOCKLIST_KIND = "NetworkBlocklist.cloud.tenant.io";
const ID = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Every problem of the list (entries, ids, the limit), [] when valid. */
export function blocklistProblems(entries: readonly BlocklistEntry[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (entries.length > MAX_BLOCKLIST_ENTRIES) out.push(tooMany("spec.entries", entries.length, MAX_BLOCKLIST_ENTRIES));
  const ids = new Map<string, number>();
  entries.forEach((e, i) => {
    const at = `spec.entries[${i}]`;
    if (e.id.length > 63 || !ID.test(e.id))
      out.push(
        invalidValue(`${at}.id`, e.id, "must be a lowercase RFC 1123 label (at most 63 characters, e.g. 'smtp-out')"),
      );
    const first = ids.get(e.id);
    if (first !== undefined)
      out.push({
        field: `${at}.id`,
        message: `${at}.id: Duplicate value: "${e.id}" is also spec.entries[${first}].id`,
      });
    else ids.set(e.id, i);
    if (e.protocol !== "tcp" && e.protocol !== "udp")
      out.push(invalidValue(`${at}.protocol`, e.protocol, "must be one of tcp, udp (the blocklist bans ports)"));
    for (const [name, v] of [
      ["portRangeMin", e.portRangeMin],
      ["portRangeMax", e.portRangeMax],
    ] as const)
      if (!Number.isInteger(v) || v < MIN_PORT || v > MAX_PORT)
        out.push(invalidValue(`${at}.${name}`, v, `must be between ${MIN_PORT} and ${MAX_PORT}, inclusive`));
    if (e.portRangeMin > e.portRangeMax)
      out.push(
        invalidValue(
          `${at}.portRangeMax`,
          e.portRangeMax,
          `must be greater than or equal to portRangeMin (${e.portRangeMin})`,
        ),
      );
    if (e.scope !== undefined && e.scope !== "all" && e.scope !== "public")
      out.push(invalidValue(`${at}.scope`, e.scope, "must be one of all, public"));
    if (e.reason.trim().length === 0)
      out.push(requiredValue(`${at}.reason`, "tenants see it when their traffic is dropped"));
    else if (e.reason.length > MAX_DESCRIPTION_LENGTH)
      out.push(forbiddenValue(`${at}.reason`, `may not be more than ${MAX_DESCRIPTION_LENGTH} characters`));
  });
  return out;
}

export function assertValidBlocklist(entries: readonly BlocklistEntry[]): readonly BlocklistEntry[] {
  const problems = blocklistProblems(entries);
  if (problems.length > 0) throw invalidObjectError(BLOCKLIST_KIND, "cluster", problems);
  return entries;
}

export class Blocklist {
  /** Per protocol, entry index + 1 of the first entry banning the port (0 = none). */
  private readonly everywhere: Record<"tcp" | "udp", Uint16Array>;
  private readonly publicOnly: Record<"tcp" | "udp", Uint16Array>;

  /** `entries`: a valid list (assertValidBlocklist). */
  constructor(readonly entries: readonly BlocklistEntry[] = []) {
    const table = () => ({ tcp: new Uint16Array(MAX_PORT + 1), udp: new Uint16Array(MAX_PORT + 1) });
    this.everywhere = table();
    this.publicOnly = table();
    entries.forEach((e, i) => {
      const targets = (e.scope ?? "all") === "all" ? [this.everywhere, this.publicOnly] : [this.publicOnly];
      for (const t of targets) {
        const ports = t[e.protocol];
        for (let p = e.portRangeMin; p <= e.portRangeMax; p++) if (ports[p] === 0) ports[p] = i + 1;
      }
    });
  }

  /** The index of the entry banning this flow, or -1. `crossesPublic`: to or from the internet. */
  match(protocol: FlowProtocol, port: number, crossesPublic: boolean): number {
    if (protocol === "icmp") return -1;
    return ((crossesPublic ? this.publicOnly : this.everywhere)[protocol][port] ?? 0) - 1;
  }
}
