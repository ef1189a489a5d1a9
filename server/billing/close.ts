/**
 * Closing a month. Guarantees:
 * - Resumable from durable state at any point: (1) one transaction raises the meter floor to
 *   the month's end and cuts every open meter there (usage records up to the boundary);
 *   (2) invoices are rated and inserted in chunks, each chunk one transaction, an invoice
 *   that exists being left alone (unique tenant × period); (3) the `closed_through` cursor
 *   moves past the month. A crash anywhere re-runs the close: (1) finds nothing left to
 *   cut, (2) rates the same immutable records and skips closed tenants, so nothing is lost
 *   or counted twice.
 * - Closed invoices are immutable: later commits meter from the floor on (never into a
 *   closed month), and plan versions may not start in the past.
 */
import { randomBytes } from "node:crypto";
import type { Database } from "@/db/client";
import { operatorScope } from "@/db/scope";
import { insertClosedInvoices, listTenantIds, tenantIdsWithInvoice, type ClosedInvoice } from "@/db/queries/billing";
import {
  advanceMeters,
  cutOpenMeters,
  findMetersBilledBefore,
  insertUsage,
  readCursor,
  writeCursor,
} from "@/db/queries/billing-metering";
import { loadPlanBook, ratePeriod } from "./invoicing";
import { METER_FLOOR, usageFor } from "./metering";
import { nextMonthStart } from "./period";
import { noJobFaults, type JobFaults } from "../job-faults";

export const CLOSED_THROUGH = "closed_through";
/** Fault-injection point, checked before each of the close's commits (cut, every chunk, cursor). */
export const CLOSE_JOB = "billing.close";

export interface CloseOptions {
  chunkSize?: number;
  /** Tests: called after each committed chunk (throw to simulate a crash mid-close). */
  afterChunk?: (index: number) => void;
  /** Tests: called after the meters were cut, before any invoice. */
  afterCut?: () => void;
  /** Failure injection inside each step's transaction, before it commits. */
  faults?: JobFaults;
}

export interface CloseResult {
  period: number;
  invoices: number;
  cutMeters: number;
}

/** Step 1: meters cut at the month's end, the floor raised, in one transaction. */
export async function cutMeters(
  db: Database,
  period: number,
  periodEnd: number,
  faults: JobFaults = noJobFaults,
): Promise<number> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const floor = (await readCursor(t, METER_FLOOR)) ?? 0;
    // Writing the floor first takes its row lock: metering hooks that read it wait for us.
    await writeCursor(t, METER_FLOOR, Math.max(floor, periodEnd));
    const cut = await cutOpenMeters(t, period, periodEnd);
    // Meters billed from before the period (a gap in closing): split month by month in code.
    const older = await findMetersBilledBefore(t, period);
    await insertUsage(
      t,
      older.flatMap((m) => usageFor(m, periodEnd)),
    );
    await advanceMeters(
      t,
      older.map((m) => m.id),
      periodEnd,
      null,
    );
    faults.check(CLOSE_JOB);
    return cut + older.length;
  });
}

export async function closeMonth(
  db: Database,
  period: number,
  closedAt: number,
  options: CloseOptions = {},
): Promise<CloseResult> {
  const periodEnd = nextMonthStart(period);
  const faults = options.faults ?? noJobFaults;
  const cut = await cutMeters(db, period, periodEnd, faults);
  options.afterCut?.();
  const book = await loadPlanBook(db);
  const rated = await ratePeriod(db, { period, now: periodEnd, scope: operatorScope, book });
  const done = await tenantIdsWithInvoice(db, period);
  const tenants = (await listTenantIds(db)).filter((t) => !done.has(t)).sort();
  const invoices: ClosedInvoice[] = tenants.map((tenantId) => {
    const r = rated.get(tenantId);
    return {
      invoice: {
        id: `in_${randomBytes(9).toString("base64url")}`,
        tenantId,
        periodStart: period,
        periodEnd,
        currency: r?.currency ?? book.currency(),
        totalMinor: r?.totalMinor ?? 0n,
        closedAt,
      },
      lines: (r?.lines ?? []).map((l) => ({ ...l, quantity: l.quantity.toString() })),
    };
  });
  const size = options.chunkSize ?? 250;
  for (let i = 0, k = 0; i < invoices.length; i += size, k++) {
    await insertClosedInvoices(db, invoices.slice(i, i + size), () => faults.check(CLOSE_JOB));
    options.afterChunk?.(k);
  }
  faults.check(CLOSE_JOB);
  await writeCursor(db, CLOSED_THROUGH, periodEnd);
  return { period, invoices: invoices.length, cutMeters: cut };
}
