/**
 * Meter and usage writes for the metering hook and the month close. Every write is
 * idempotent: meters are inserted "on conflict do nothing" by a lifetime id, usage records
 * by (meter, segment start), and closing a meter only touches meters that are still open.
 */
import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "../client";
import type { Scope } from "../scope";
import { billingCursor, billingMeter, billingUsage } from "../schema";

export type MeterRow = typeof billingMeter.$inferSelect;
export type UsageRow = typeof billingUsage.$inferInsert;

const rowsPerStatement = 1_000;

/** `share`: hold a share lock until the transaction ends (a close that moves the cursor waits). */
export async function readCursor(db: Database, id: string, lock?: "share"): Promise<number | null> {
  const q = db.select({ value: billingCursor.value }).from(billingCursor).where(eq(billingCursor.id, id));
  const [row] = lock ? await q.for(lock) : await q;
  return row ? row.value : null;
}

export async function writeCursor(db: Database, id: string, value: number): Promise<void> {
  await db.insert(billingCursor).values({ id, value }).onConflictDoUpdate({ target: billingCursor.id, set: { value } });
}

export async function insertMeters(db: Database, rows: MeterRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += rowsPerStatement) {
    await db
      .insert(billingMeter)
      .values(rows.slice(i, i + rowsPerStatement))
      .onConflictDoNothing({ target: billingMeter.id });
  }
}

export async function findOpenMeters(db: Database, resourceIds: string[]): Promise<MeterRow[]> {
  const out: MeterRow[] = [];
  for (let i = 0; i < resourceIds.length; i += rowsPerStatement) {
    const ids = resourceIds.slice(i, i + rowsPerStatement);
    out.push(
      ...(await db
        .select()
        .from(billingMeter)
        .where(and(inArray(billingMeter.resourceId, ids), isNull(billingMeter.endAt)))),
    );
  }
  return out;
}

/** Open meters not yet covered by usage up to `until` (the month being closed). */
export async function findMetersBilledBefore(db: Database, until: number): Promise<MeterRow[]> {
  return db
    .select()
    .from(billingMeter)
    .where(and(isNull(billingMeter.endAt), lt(billingMeter.billedFrom, until)));
}

export async function insertUsage(db: Database, rows: UsageRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += rowsPerStatement) {
    await db
      .insert(billingUsage)
      .values(rows.slice(i, i + rowsPerStatement))
      .onConflictDoNothing({ target: billingUsage.id });
  }
}

/** Marks meters covered up to `billedFrom`, and ended at `endAt` when given. Open meters only. */
export async function advanceMeters(
  db: Database,
  ids: string[],
  billedFrom: number,
  endAt: number | null,
): Promise<void> {
  for (let i = 0; i < ids.length; i += rowsPerStatement) {
    await db
      .update(billingMeter)
      .set(endAt === null ? { billedFrom } : { billedFrom, endAt })
      .where(and(inArray(billingMeter.id, ids.slice(i, i + rowsPerStatement)), isNull(billingMeter.endAt)));
  }
}

/** Open meters of a tenant (forecasts) or, in the operator scope, of all (reconciliation). */
export async function listOpenMeters(db: Database, scope: Scope): Promise<MeterRow[]> {
  return db
    .select()
    .from(billingMeter)
    .where(
      and(isNull(billingMeter.endAt), scope.kind === "tenant" ? eq(billingMeter.tenantId, scope.tenantId) : undefined),
    );
}

/** Sum of billed (or billable up to `now`) reserved pod-milliseconds, for tests and reconciliation. */
export async function sumPodMilliseconds(
  db: Database,
  tenantId: string,
  now: number,
): Promise<{ recorded: bigint; open: bigint }> {
  const [u] = await db
    .select({ v: sql<string>`coalesce(sum(${billingUsage.endAt} - ${billingUsage.startAt}), 0)::text` })
    .from(billingUsage)
    .where(and(eq(billingUsage.tenantId, tenantId), eq(billingUsage.kind, "pod")));
  const [m] = await db
    .select({ v: sql<string>`coalesce(sum(greatest(${now}::bigint - ${billingMeter.billedFrom}, 0)), 0)::text` })
    .from(billingMeter)
    .where(and(eq(billingMeter.tenantId, tenantId), eq(billingMeter.kind, "pod"), isNull(billingMeter.endAt)));
  return { recorded: BigInt(u?.v ?? "0"), open: BigInt(m?.v ?? "0") };
}

/**
 * The month close's cut, set-based: usage records for every open meter from `billed_from`
 * (inside the period) to the period's end, then the meters advanced there. Meters billed
 * from before the period (none, normally) are left to the caller.
 */
export async function cutOpenMeters(db: Database, periodStart: number, periodEnd: number): Promise<number> {
  await db.execute(sql`
    insert into billing_usage (id, meter_id, tenant_id, kind, period, start_at, end_at, cpu_millis, memory_bytes, machine_type, deployment_id, deployment_name, address, bandwidth_mbps)
    select id || '#' || billed_from, id, tenant_id, kind, ${periodStart}::bigint, billed_from, ${periodEnd}::bigint, cpu_millis, memory_bytes, machine_type, deployment_id, deployment_name, address, bandwidth_mbps
      from billing_meter where end_at is null and billed_from >= ${periodStart}::bigint and billed_from < ${periodEnd}::bigint
    on conflict (id) do nothing`);
  const updated = await db
    .update(billingMeter)
    .set({ billedFrom: periodEnd })
    .where(
      and(
        isNull(billingMeter.endAt),
        sql`${billingMeter.billedFrom} >= ${periodStart}::bigint`,
        lt(billingMeter.billedFrom, periodEnd),
      ),
    )
    .returning({ id: billingMeter.id });
  return updated.length;
}
