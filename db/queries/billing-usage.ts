/**
 * Usage aggregation: sums exact quantities over time windows, from immutable usage records
 * plus open meters counted up to `now`. Windows clip intervals, so a price change or a day
 * boundary inside a record splits it exactly. Sums are numeric in SQL and bigint in JS.
 */
import { sql, type SQL } from "drizzle-orm";
import type { UsageAggregate } from "@/server/billing/rating";
import type { Database } from "../client";
import type { Scope } from "../scope";

export interface Window {
  from: number;
  to: number;
}

/** One (tenant, month window, meter kind, deployment, machine type or public IP) usage total: the rating input. */
export type AggregateRow = UsageAggregate;

/**
 * Usage of `period` (records) and open meters up to `now`, per tenant × window × resource.
 * `scope`: one tenant (the console) or, operator scope, every tenant (the month close).
 */
export async function aggregateUsage(
  db: Database,
  params: { period: number; now: number; windows: Window[]; scope: Scope; byDeployment?: boolean },
): Promise<AggregateRow[]> {
  if (params.windows.length === 0) return [];
  const values = sql.join(
    params.windows.map((w, i) => sql`(${i}::int, ${w.from}::bigint, ${w.to}::bigint)`),
    sql`, `,
  );
  const tenantU: SQL = params.scope.kind === "tenant" ? sql`and tenant_id = ${params.scope.tenantId}` : sql``;
  // Grouped by size too, so SQL sums only milliseconds (bigint); sizes multiply in JS (bigint).
  const result = await db.execute(sql`
    with w(idx, wf, wt) as (values ${values})
    select u.tenant_id, w.idx, u.kind, u.deployment_id, max(u.deployment_name) as deployment_name, u.machine_type, u.cpu_millis, u.memory_bytes,
      u.address, u.bandwidth_mbps, sum(least(u.end_at, w.wt) - greatest(u.start_at, w.wf))::text as ms
    from (
      select tenant_id, kind, deployment_id, deployment_name, machine_type, cpu_millis, memory_bytes, address, bandwidth_mbps, start_at, end_at
        from billing_usage where period = ${params.period} ${tenantU}
      union all
      select tenant_id, kind, deployment_id, deployment_name, machine_type, cpu_millis, memory_bytes, address, bandwidth_mbps, billed_from, ${params.now}::bigint
        from billing_meter where end_at is null and billed_from < ${params.now}::bigint ${tenantU}
    ) u join w on u.start_at < w.wt and u.end_at > w.wf
    group by u.tenant_id, w.idx, u.kind, u.deployment_id, u.machine_type, u.cpu_millis, u.memory_bytes, u.address, u.bandwidth_mbps
  `);
  const rows =
    (result as unknown as { rows: Record<string, unknown>[] }).rows ?? (result as unknown as Record<string, unknown>[]);
  const merged = new Map<string, AggregateRow>();
  for (const r of rows) {
    const ms = BigInt(String(r.ms));
    const key = `${String(r.tenant_id)}|${Number(r.idx)}|${String(r.kind)}|${String(r.deployment_id)}|${String(r.machine_type)}|${String(r.address)}|${Number(r.bandwidth_mbps)}`;
    const row = merged.get(key);
    const cpu = BigInt(Number(r.cpu_millis)) * ms;
    const mem = BigInt(String(r.memory_bytes)) * ms;
    if (row) {
      row.cpuMilliMs += cpu;
      row.memoryByteMs += mem;
      row.ms += ms;
    } else {
      merged.set(key, {
        tenantId: String(r.tenant_id),
        window: Number(r.idx),
        kind: String(r.kind),
        deploymentId: (r.deployment_id as string | null) ?? null,
        deploymentName: (r.deployment_name as string | null) ?? null,
        machineType: (r.machine_type as string | null) ?? null,
        address: (r.address as string | null) ?? null,
        bandwidthMbps: Number(r.bandwidth_mbps),
        cpuMilliMs: cpu,
        memoryByteMs: mem,
        ms,
      });
    }
  }
  return [...merged.values()];
}
