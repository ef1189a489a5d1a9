/**
 * Rating a period for one tenant or all: draft invoices (the running month), closed
 * invoices (month end), the daily cost series and the forecast. Reads only; see close.ts
 * for the writes.
 */
import type { Database } from "@/db/client";
import { tenantScope, type Scope } from "@/db/scope";
import { listPlanVersions } from "@/db/queries/billing-plans";
import { aggregateUsage, type AggregateRow } from "@/db/queries/billing-usage";
import type { MeterRow } from "@/db/queries/billing-metering";
import { DAY_MS, nextMonthStart } from "./period";
import { PlanBook } from "./plans";
import { rateLines, sumMinor, type Line, type UsageAggregate } from "./rating";
import { resourceGroupOf, type ResourceGroup } from "./resources";

export interface RatedPeriod {
  tenantId: string;
  currency: string;
  lines: Line[];
  totalMinor: bigint;
}

export async function loadPlanBook(db: Database): Promise<PlanBook> {
  return new PlanBook(await listPlanVersions(db));
}

/** One tenant's (or, operator scope, every tenant's) rated usage of `period` up to `now` (capped at period end). */
export async function ratePeriod(
  db: Database,
  params: { period: number; now: number; scope: Scope; book?: PlanBook },
): Promise<Map<string, RatedPeriod>> {
  const book = params.book ?? (await loadPlanBook(db));
  const until = Math.min(params.now, nextMonthStart(params.period));
  const windows = book.windows(params.period, until);
  const aggs = await aggregateUsage(db, { period: params.period, now: until, windows, scope: params.scope });
  const byTenant = new Map<string, AggregateRow[]>();
  for (const a of aggs) {
    const list = byTenant.get(a.tenantId) ?? [];
    list.push(a);
    byTenant.set(a.tenantId, list);
  }
  const out = new Map<string, RatedPeriod>();
  for (const [tenantId, rows] of byTenant) {
    const lines = rateLines(rows, (w) => book.pricesAt(tenantId, windows[w]?.from ?? params.period));
    out.set(tenantId, { tenantId, currency: book.currency(), lines, totalMinor: sumMinor(lines) });
  }
  return out;
}

/** The chart's "by deployment" name for lines that belong to no deployment. */
const OUTSIDE_DEPLOYMENTS: Record<ResourceGroup, string> = {
  cpu: "(no deployment)",
  memory: "(no deployment)",
  nodes: "(nodes)",
  publicIps: "(public IPs)",
  bandwidth: "(public IPs)",
};

export interface DailyPoint {
  day: number;
  byResource: Record<string, number>;
  byDeployment: Record<string, number>;
  totalMinor: number;
}

/**
 * Cost per UTC day of the period so far, by resource (cpu, memory, nodes, public IPs, their
 * bandwidth) and by deployment (VMs and public IPs under a group name of their own).
 * For the chart only: each day's lines are rounded on their own, so the days may differ from
 * the invoice by a few cents of rounding; the invoice is the reference.
 */
export async function dailyCost(
  db: Database,
  params: { tenantId: string; period: number; now: number },
): Promise<DailyPoint[]> {
  const book = await loadPlanBook(db);
  const until = Math.min(params.now, nextMonthStart(params.period));
  const windows = book.windows(params.period, until, (t) => Math.floor(t / DAY_MS) * DAY_MS + DAY_MS);
  const aggs = await aggregateUsage(db, {
    period: params.period,
    now: until,
    windows,
    scope: tenantScope(params.tenantId),
  });
  const days = new Map<number, DailyPoint>();
  for (let d = params.period; d < until; d += DAY_MS)
    days.set(d, { day: d, byResource: {}, byDeployment: {}, totalMinor: 0 });
  const byWindow = new Map<number, UsageAggregate[]>();
  for (const a of aggs) {
    const list = byWindow.get(a.window) ?? [];
    list.push(a);
    byWindow.set(a.window, list);
  }
  for (const [w, rows] of byWindow) {
    const from = windows[w]?.from ?? params.period;
    const point = days.get(Math.floor(from / DAY_MS) * DAY_MS);
    if (!point) continue;
    for (const l of rateLines(rows, () => book.pricesAt(params.tenantId, from))) {
      const v = Number(l.amountMinor);
      const resource = resourceGroupOf(l.resource);
      point.byResource[resource] = (point.byResource[resource] ?? 0) + v;
      const dep = l.deploymentName ?? OUTSIDE_DEPLOYMENTS[resource];
      point.byDeployment[dep] = (point.byDeployment[dep] ?? 0) + v;
      point.totalMinor += v;
    }
  }
  return [...days.values()];
}

/**
 * What the resources held now would cost until period end at today's prices, added to the
 * month so far. Exact until the single rounding of each line.
 */
export function forecastLines(
  meters: MeterRow[],
  book: PlanBook,
  tenantId: string,
  now: number,
  periodEnd: number,
): Line[] {
  const remaining = BigInt(Math.max(0, periodEnd - now));
  const rows: UsageAggregate[] = meters.map((m) => ({
    tenantId,
    window: 0,
    kind: m.kind,
    deploymentId: m.deploymentId,
    deploymentName: m.deploymentName,
    machineType: m.machineType,
    address: m.address,
    bandwidthMbps: m.bandwidthMbps,
    cpuMilliMs: BigInt(m.cpuMillis) * remaining,
    memoryByteMs: BigInt(m.memoryBytes) * remaining,
    ms: remaining,
  }));
  return rateLines(rows, () => book.pricesAt(tenantId, now));
}
