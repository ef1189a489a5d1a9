/**
 * Which prices apply when. A plan version applies from its `effectiveFrom` until the next
 * version of the same scope; a tenant's own versions win over the default plan's from
 * their first effective date on. Versions are append-only and may not start in the past,
 * so a closed period is never re-rated.
 */
import type { PlanRow } from "@/db/queries/billing-plans";
import type { Window } from "@/db/queries/billing-usage";
import { BUILT_IN_PRICES, type Prices } from "./rating";

export function pricesOfRow(row: PlanRow): Prices {
  return {
    currency: row.currency,
    cpuHourMicros: row.cpuHourMicros,
    memoryGibHourMicros: row.memoryGibHourMicros,
    node2c4gHourMicros: row.node2c4gHourMicros,
    node4c8gHourMicros: row.node4c8gHourMicros,
    node8c16gHourMicros: row.node8c16gHourMicros,
    publicIpHourMicros: row.publicIpHourMicros,
    bandwidthMbpsHourMicros: row.bandwidthMbpsHourMicros,
  };
}

export class PlanBook {
  private readonly byTenant = new Map<string, PlanRow[]>();
  private readonly defaults: PlanRow[] = [];

  /** `rows` sorted by effectiveFrom, then id (later id wins at the same instant). */
  constructor(readonly rows: PlanRow[]) {
    for (const r of rows) {
      if (r.tenantId === null) this.defaults.push(r);
      else {
        const list = this.byTenant.get(r.tenantId) ?? [];
        list.push(r);
        this.byTenant.set(r.tenantId, list);
      }
    }
  }

  /** The plan version in force for `tenantId` at instant `t` (null: built-in prices). */
  versionAt(tenantId: string, t: number): PlanRow | null {
    return latestAt(this.byTenant.get(tenantId), t) ?? latestAt(this.defaults, t);
  }

  pricesAt(tenantId: string, t: number): Prices {
    const row = this.versionAt(tenantId, t);
    return row ? pricesOfRow(row) : BUILT_IN_PRICES;
  }

  /** The installation's currency: the latest default plan's (all plans must share it). */
  currency(): string {
    return this.defaults[this.defaults.length - 1]?.currency ?? BUILT_IN_PRICES.currency;
  }

  /** [from, to) split at every plan change inside it (any scope: windows are shared by all tenants). */
  windows(from: number, to: number, step?: (t: number) => number): Window[] {
    const cuts = new Set<number>();
    for (const r of this.rows) if (r.effectiveFrom > from && r.effectiveFrom < to) cuts.add(r.effectiveFrom);
    if (step) for (let t = step(from); t < to; t = step(t)) cuts.add(t);
    const sorted = [from, ...[...cuts].sort((a, b) => a - b), to];
    const out: Window[] = [];
    for (let i = 0; i + 1 < sorted.length; i++)
      if ((sorted[i] as number) < (sorted[i + 1] as number))
        out.push({ from: sorted[i] as number, to: sorted[i + 1] as number });
    return out;
  }
}

function latestAt(list: PlanRow[] | undefined, t: number): PlanRow | null {
  if (!list) return null;
  let found: PlanRow | null = null;
  for (const r of list) if (r.effectiveFrom <= t) found = r;
  return found;
}
