/**
 * Billing storage (server/billing). Times are engine-clock milliseconds since the epoch;
 * money is integer: prices in micro-units of the currency (1e-6 of a major unit) per hour,
 * amounts in minor units (cents). No floating point anywhere.
 *
 * - `billing_meter`: one row per resource lifetime (a pod bound to a node, a VM, a public IP at
 *   one bandwidth). Written by
 *   the engine store's batch hook in the same transaction as the engine's objects, so a meter
 *   is exactly as durable as the change it describes. `billed_from` is how far usage records
 *   already cover it; `end_at` is set once, when the resource stops being held.
 * - `billing_usage`: immutable usage records, one per (meter, month segment); the id is
 *   derived from the meter and the segment start, so replays insert nothing new.
 *   Like `engine_object`, meters and usage carry no foreign key to the tenant: they are
 *   derived from engine objects whose lifecycle the engine owns.
 * - `billing_cursor`: durable cursors (closed months, the meter floor during a close).
 * - plans, invoices, lines, ledger, accounts, events: tenant-owned rows with cascading keys.
 */
import { bigint, index, integer, jsonb, pgTable, serial, text, uniqueIndex } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { organization } from "./auth";

const ms = (name: string) => bigint(name, { mode: "number" });
const money = (name: string) => bigint(name, { mode: "bigint" });

export const billingMeter = pgTable(
  "billing_meter",
  {
    id: text("id").primaryKey(),
    resourceId: text("resource_id").notNull(),
    tenantId: text("tenant_id").notNull(),
    /** pod | node | publicip */
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    startAt: ms("start_at").notNull(),
    billedFrom: ms("billed_from").notNull(),
    endAt: ms("end_at"),
    cpuMillis: integer("cpu_millis").notNull(),
    memoryBytes: bigint("memory_bytes", { mode: "number" }).notNull(),
    machineType: text("machine_type"),
    deploymentId: text("deployment_id"),
    deploymentName: text("deployment_name"),
    /** Public IPs: the address held (fixed for the object's life) and the bandwidth bought, Mbit/s. */
    address: text("address"),
    bandwidthMbps: integer("bandwidth_mbps").notNull().default(0),
  },
  (t) => [
    index("billing_meter_open_resource_idx").on(t.resourceId).where(sql`${t.endAt} is null`),
    index("billing_meter_tenant_idx").on(t.tenantId, t.endAt),
  ],
);

export const billingUsage = pgTable(
  "billing_usage",
  {
    id: text("id").primaryKey(),
    meterId: text("meter_id").notNull(),
    tenantId: text("tenant_id").notNull(),
    kind: text("kind").notNull(),
    /** Start of the calendar month (UTC) the record belongs to. */
    period: ms("period").notNull(),
    startAt: ms("start_at").notNull(),
    endAt: ms("end_at").notNull(),
    cpuMillis: integer("cpu_millis").notNull(),
    memoryBytes: bigint("memory_bytes", { mode: "number" }).notNull(),
    machineType: text("machine_type"),
    deploymentId: text("deployment_id"),
    deploymentName: text("deployment_name"),
    address: text("address"),
    bandwidthMbps: integer("bandwidth_mbps").notNull().default(0),
  },
  (t) => [
    index("billing_usage_period_tenant_idx").on(t.period, t.tenantId),
    index("billing_usage_tenant_idx").on(t.tenantId, t.period),
  ],
);

export const billingCursor = pgTable("billing_cursor", {
  id: text("id").primaryKey(),
  value: ms("value").notNull(),
});

/** A price-plan version: tenant_id null is the default plan. Prices in micro-units per hour. */
export const billingPricePlan = pgTable(
  "billing_price_plan",
  {
    id: serial("id").primaryKey(),
    tenantId: text("tenant_id").references(() => organization.id, { onDelete: "cascade" }),
    effectiveFrom: ms("effective_from").notNull(),
    currency: text("currency").notNull(),
    cpuHourMicros: money("cpu_hour_micros").notNull(),
    memoryGibHourMicros: money("memory_gib_hour_micros").notNull(),
    node2c4gHourMicros: money("node_2c4g_hour_micros").notNull(),
    node4c8gHourMicros: money("node_4c8g_hour_micros").notNull(),
    node8c16gHourMicros: money("node_8c16g_hour_micros").notNull(),
    /** Per public IP-hour held (bound or not); versions saved before public IPs get the built-in price. */
    publicIpHourMicros: money("public_ip_hour_micros").notNull().default(sql`5000`),
    /** Per Mbit/s-hour of bandwidth bought on a public IP. */
    bandwidthMbpsHourMicros: money("bandwidth_mbps_hour_micros").notNull().default(sql`10000`),
    createdAt: ms("created_at").notNull(),
    createdBy: text("created_by"),
  },
  (t) => [index("billing_price_plan_tenant_idx").on(t.tenantId, t.effectiveFrom)],
);

export const billingInvoice = pgTable(
  "billing_invoice",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    periodStart: ms("period_start").notNull(),
    periodEnd: ms("period_end").notNull(),
    currency: text("currency").notNull(),
    totalMinor: money("total_minor").notNull(),
    closedAt: ms("closed_at").notNull(),
  },
  (t) => [
    uniqueIndex("billing_invoice_tenant_period_uq").on(t.tenantId, t.periodStart),
    index("billing_invoice_period_idx").on(t.periodStart),
  ],
);

export const billingInvoiceLine = pgTable(
  "billing_invoice_line",
  {
    id: serial("id").primaryKey(),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => billingInvoice.id, { onDelete: "cascade" }),
    /** cpu | memory | node:<machineType> | publicip:<address>:<mbps> | bandwidth:<address>:<mbps> */
    resource: text("resource").notNull(),
    deploymentId: text("deployment_id"),
    deploymentName: text("deployment_name"),
    /** Exact quantity in base units (milli-cpu·ms, byte·ms, node·ms, IP·ms, Mbit/s·ms) as a decimal string. */
    quantity: text("quantity").notNull(),
    unitPriceMicros: money("unit_price_micros").notNull(),
    amountMinor: money("amount_minor").notNull(),
  },
  (t) => [index("billing_invoice_line_invoice_idx").on(t.invoiceId)],
);

/** Signed money movements: grants and top-ups add, closed invoices subtract. */
export const billingLedger = pgTable(
  "billing_ledger",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => organization.id, { onDelete: "cascade" }),
    at: ms("at").notNull(),
    /** grant | topup | invoice */
    kind: text("kind").notNull(),
    amountMinor: money("amount_minor").notNull(),
    note: text("note").notNull().default(""),
    actor: text("actor"),
  },
  (t) => [index("billing_ledger_tenant_idx").on(t.tenantId, t.at)],
);

export const billingAccount = pgTable("billing_account", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => organization.id, { onDelete: "cascade" }),
  negativeSince: ms("negative_since"),
  suspendedAt: ms("suspended_at"),
  /** deployment id → replicas before the suspension, restored on payment. */
  suspendedReplicas: jsonb("suspended_replicas").$type<Record<string, number>>(),
  lowBalanceMinor: money("low_balance_minor").notNull().default(sql`1000`),
});

export const billingEvent = pgTable(
  "billing_event",
  {
    id: serial("id").primaryKey(),
    /** null: an installation-wide event (reconciliation). */
    tenantId: text("tenant_id").references(() => organization.id, { onDelete: "cascade" }),
    at: ms("at").notNull(),
    type: text("type").notNull(),
    reason: text("reason").notNull(),
    message: text("message").notNull(),
  },
  (t) => [index("billing_event_tenant_idx").on(t.tenantId, t.at)],
);
