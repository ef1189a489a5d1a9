/** Invoices, ledger, accounts and billing events: tenant-scoped reads and idempotent writes. */
import { and, asc, desc, eq, gte, isNull, sql } from "drizzle-orm";
import type { Database } from "../client";
import type { ClusterScope, Scope } from "../scope";
import {
  billingAccount,
  billingEvent,
  billingInvoice,
  billingInvoiceLine,
  billingLedger,
  organization,
} from "../schema";

export type InvoiceRow = typeof billingInvoice.$inferSelect;
export type InvoiceLineRow = typeof billingInvoiceLine.$inferSelect;
export type NewInvoiceLine = Omit<typeof billingInvoiceLine.$inferInsert, "id" | "invoiceId">;
export type LedgerRow = typeof billingLedger.$inferSelect;
export type AccountRow = typeof billingAccount.$inferSelect;
export type BillingEventRow = typeof billingEvent.$inferSelect;

export async function listTenantIds(db: Database): Promise<string[]> {
  return (await db.select({ id: organization.id }).from(organization)).map((r) => r.id);
}

export async function tenantIdsWithInvoice(db: Database, periodStart: number): Promise<Set<string>> {
  const rows = await db
    .select({ t: billingInvoice.tenantId })
    .from(billingInvoice)
    .where(eq(billingInvoice.periodStart, periodStart));
  return new Set(rows.map((r) => r.t));
}

export interface ClosedInvoice {
  invoice: InvoiceRow;
  lines: NewInvoiceLine[];
}

/**
 * Inserts closed invoices, their lines and ledger debits in one transaction; an invoice that
 * exists is left as is. `beforeCommit` runs last inside the transaction (failure injection).
 */
export async function insertClosedInvoices(
  db: Database,
  invoices: ClosedInvoice[],
  beforeCommit?: () => void,
): Promise<void> {
  if (invoices.length === 0) return;
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(billingInvoice)
      .values(invoices.map((i) => i.invoice))
      .onConflictDoNothing()
      .returning({ id: billingInvoice.id });
    const fresh = new Set(inserted.map((r) => r.id));
    const lines = invoices
      .filter((i) => fresh.has(i.invoice.id))
      .flatMap((i) => i.lines.map((l) => ({ ...l, invoiceId: i.invoice.id })));
    for (let k = 0; k < lines.length; k += 1000) await tx.insert(billingInvoiceLine).values(lines.slice(k, k + 1000));
    const debits = invoices
      .filter((i) => fresh.has(i.invoice.id) && i.invoice.totalMinor !== 0n)
      .map((i) => ({
        id: `invoice:${i.invoice.id}`,
        tenantId: i.invoice.tenantId,
        at: i.invoice.closedAt,
        kind: "invoice",
        amountMinor: -i.invoice.totalMinor,
        note: i.invoice.id,
        actor: null,
      }));
    for (let k = 0; k < debits.length; k += 1000)
      await tx
        .insert(billingLedger)
        .values(debits.slice(k, k + 1000))
        .onConflictDoNothing();
    beforeCommit?.();
  });
}

export async function listInvoices(db: Database, tenantId: string): Promise<InvoiceRow[]> {
  return db
    .select()
    .from(billingInvoice)
    .where(eq(billingInvoice.tenantId, tenantId))
    .orderBy(desc(billingInvoice.periodStart));
}

/** One of the tenant's invoices with its lines; another tenant's id is simply not found. */
export async function findInvoice(
  db: Database,
  tenantId: string,
  id: string,
): Promise<{ invoice: InvoiceRow; lines: InvoiceLineRow[] } | null> {
  const [invoice] = await db
    .select()
    .from(billingInvoice)
    .where(and(eq(billingInvoice.id, id), eq(billingInvoice.tenantId, tenantId)));
  if (!invoice) return null;
  const lines = await db
    .select()
    .from(billingInvoiceLine)
    .where(eq(billingInvoiceLine.invoiceId, id))
    .orderBy(asc(billingInvoiceLine.id));
  return { invoice, lines };
}

/** Revenue per tenant and month, newest months first (operators). */
export async function revenueByTenantMonth(db: Database, params: { from: number; limit: number }) {
  return db
    .select({
      tenantId: billingInvoice.tenantId,
      tenantName: organization.name,
      periodStart: billingInvoice.periodStart,
      currency: billingInvoice.currency,
      totalMinor: billingInvoice.totalMinor,
    })
    .from(billingInvoice)
    .innerJoin(organization, eq(organization.id, billingInvoice.tenantId))
    .where(gte(billingInvoice.periodStart, params.from))
    .orderBy(desc(billingInvoice.periodStart), desc(billingInvoice.totalMinor))
    .limit(params.limit);
}

export async function addLedgerEntry(db: Database, entry: typeof billingLedger.$inferInsert): Promise<void> {
  await db.insert(billingLedger).values(entry).onConflictDoNothing();
}

/** Ledger balance per tenant: the tenant's, or (operator scope) every tenant's. */
export async function ledgerBalances(db: Database, scope: Scope): Promise<Map<string, bigint>> {
  const rows = await db
    .select({ t: billingLedger.tenantId, v: sql<string>`sum(${billingLedger.amountMinor})::text` })
    .from(billingLedger)
    .where(scope.kind === "tenant" ? eq(billingLedger.tenantId, scope.tenantId) : undefined)
    .groupBy(billingLedger.tenantId);
  return new Map(rows.map((r) => [r.t, BigInt(r.v)]));
}

export async function listLedger(db: Database, tenantId: string, limit: number): Promise<LedgerRow[]> {
  return db
    .select()
    .from(billingLedger)
    .where(eq(billingLedger.tenantId, tenantId))
    .orderBy(desc(billingLedger.at), desc(billingLedger.id))
    .limit(limit);
}

export async function findAccount(db: Database, tenantId: string): Promise<AccountRow | null> {
  const [row] = await db.select().from(billingAccount).where(eq(billingAccount.tenantId, tenantId));
  return row ?? null;
}

export async function listAccounts(db: Database): Promise<AccountRow[]> {
  return db.select().from(billingAccount);
}

/**
 * The tenant's account row, created when missing, locked until the transaction ends: the
 * overdue rule reads the balance and writes its decision under this lock, and a credit
 * inserts its ledger row under it, so a decision never rests on a balance a payment has
 * already changed. Call inside a transaction.
 */
export async function lockAccount(tx: Database, tenantId: string): Promise<AccountRow> {
  await tx.insert(billingAccount).values({ tenantId }).onConflictDoNothing();
  const [row] = await tx.select().from(billingAccount).where(eq(billingAccount.tenantId, tenantId)).for("update");
  if (!row) throw new Error(`billing account ${tenantId} could not be locked`);
  return row;
}

export async function saveAccount(db: Database, row: typeof billingAccount.$inferInsert): Promise<void> {
  const { tenantId, ...rest } = row;
  await db.insert(billingAccount).values(row).onConflictDoUpdate({ target: billingAccount.tenantId, set: rest });
}

export async function recordBillingEvent(db: Database, e: typeof billingEvent.$inferInsert): Promise<void> {
  await db.insert(billingEvent).values(e);
}

/** Newest first: a tenant's events, the cluster's own (no tenant), or (operator scope) all. */
export async function listBillingEvents(
  db: Database,
  scope: Scope | ClusterScope,
  limit: number,
): Promise<BillingEventRow[]> {
  const where =
    scope.kind === "tenant"
      ? eq(billingEvent.tenantId, scope.tenantId)
      : scope.kind === "cluster"
        ? isNull(billingEvent.tenantId)
        : undefined;
  return db.select().from(billingEvent).where(where).orderBy(desc(billingEvent.at), desc(billingEvent.id)).limit(limit);
}

export async function tenantExists(db: Database, tenantId: string): Promise<boolean> {
  const [row] = await db.select({ id: organization.id }).from(organization).where(eq(organization.id, tenantId));
  return row !== undefined;
}

/** A one-time credit per tenant (id `welcome:<tenant>`), inserted in bulk; existing ones stay. */
export async function grantOnce(
  db: Database,
  tenantIds: string[],
  at: number,
  amountMinor: bigint,
  note: string,
): Promise<void> {
  for (let i = 0; i < tenantIds.length; i += 1000) {
    const rows = tenantIds
      .slice(i, i + 1000)
      .map((tenantId) => ({ id: `welcome:${tenantId}`, tenantId, at, kind: "grant", amountMinor, note, actor: null }));
    if (rows.length > 0) await db.insert(billingLedger).values(rows).onConflictDoNothing();
  }
}
