/**
 * A tenant's billing: the month so far and its forecast, daily cost, invoices (the running
 * draft and closed months) with CSV export, balance, top-up and billing events.
 * Money crosses the wire as bigint minor units (superjson); the client formats it.
 */
import { z } from "zod";
import { findInvoice, listBillingEvents, listInvoices, listLedger } from "@/db/queries/billing";
import { tenantScope } from "@/db/scope";
import { dailyCost } from "../../billing/invoicing";
import { invoiceCsv } from "../../billing/export";
import { monthStart, nextMonthStart, periodLabel } from "../../billing/period";
import { PUBLIC_IP_METER_KIND } from "../../billing/public-ip-meters";
import { notFound } from "../../errors";
import type { Services } from "../../services";
import { createTRPCRouter, tenantProcedure } from "../init";
import { textSchema } from "../schemas";
import {
  balanceView,
  billingEventsView,
  billingSummaryView,
  dailyCostView,
  invoiceCsvView,
  invoiceListView,
  invoiceView,
  ledgerView,
} from "../views/billing";

/** "current" is the running month's draft; anything else a closed invoice's id. */
const invoiceRef = z.object({ id: textSchema().trim().min(1).max(64) }).strict();
const empty = z.object({}).strict().optional();

export const billingRouter = createTRPCRouter({
  /** Month so far, forecast to month end, balance and the overdue state. */
  summary: tenantProcedure("viewer")
    .input(empty)
    .output(billingSummaryView)
    .query(async ({ ctx }) => {
      const billing = ctx.services.billing;
      const [f, b] = await Promise.all([billing.forecast(ctx.tenant.id), billing.balanceOf(ctx.tenant.id)]);
      const lowBalanceMinor = b.account?.lowBalanceMinor ?? 1000n;
      const negativeSince = b.account?.negativeSince ?? null;
      return {
        period: f.period,
        periodEnd: nextMonthStart(f.period),
        now: f.now,
        currency: f.currency,
        monthMinor: f.monthMinor,
        forecastMinor: f.forecastMinor,
        ledgerMinor: b.ledgerMinor,
        availableMinor: b.availableMinor,
        lowBalance: b.availableMinor < lowBalanceMinor,
        negativeSince,
        // What the engine's admission enforces, not a second computation of the rule.
        growthBlocked: ctx.services.engine.growthFreeze(ctx.tenant.id) !== undefined,
        suspended: b.account?.suspendedAt != null,
        graceMs: billing.options.graceMs,
        suspendAfterMs: billing.options.suspendAfterMs,
        held: {
          pods: f.meters.filter((m) => m.kind === "pod").length,
          nodes: f.meters.filter((m) => m.kind === "node").length,
          publicIps: f.meters.filter((m) => m.kind === PUBLIC_IP_METER_KIND).length,
        },
      };
    }),

  /** Cost per day of the running month, by resource and by deployment. */
  daily: tenantProcedure("viewer")
    .input(empty)
    .output(dailyCostView)
    .query(async ({ ctx }) => {
      const now = ctx.services.clock.now();
      return { days: await dailyCost(ctx.services.db, { tenantId: ctx.tenant.id, period: monthStart(now), now }) };
    }),

  /** Closed invoices, newest first, after the running draft. */
  invoices: tenantProcedure("viewer")
    .input(empty)
    .output(invoiceListView)
    .query(async ({ ctx }) => {
      const [f, closed] = await Promise.all([
        ctx.services.billing.forecast(ctx.tenant.id),
        listInvoices(ctx.services.db, ctx.tenant.id),
      ]);
      return {
        items: [
          {
            id: "current",
            status: "draft" as const,
            periodStart: f.period,
            currency: f.currency,
            totalMinor: f.monthMinor,
          },
          ...closed.map((i) => ({
            id: i.id,
            status: "closed" as const,
            periodStart: i.periodStart,
            currency: i.currency,
            totalMinor: i.totalMinor,
          })),
        ],
      };
    }),

  invoice: tenantProcedure("viewer")
    .input(invoiceRef)
    .output(invoiceView)
    .query(({ ctx, input }) => invoiceOf(ctx.services, ctx.tenant.id, input.id)),

  invoiceCsv: tenantProcedure("viewer")
    .input(invoiceRef)
    .output(invoiceCsvView)
    .query(async ({ ctx, input }) => {
      const inv = await invoiceOf(ctx.services, ctx.tenant.id, input.id);
      return {
        filename: `invoice-${ctx.tenant.slug}-${periodLabel(inv.periodStart)}.csv`,
        csv: invoiceCsv({ ...inv, period: inv.periodStart }),
      };
    }),

  ledger: tenantProcedure("viewer")
    .input(
      z
        .object({ limit: z.number().int().min(1).max(200).default(50) })
        .strict()
        .optional(),
    )
    .output(ledgerView)
    .query(async ({ ctx, input }) => ({ items: await listLedger(ctx.services.db, ctx.tenant.id, input?.limit ?? 50) })),

  events: tenantProcedure("viewer")
    .input(
      z
        .object({ limit: z.number().int().min(1).max(200).default(50) })
        .strict()
        .optional(),
    )
    .output(billingEventsView)
    .query(async ({ ctx, input }) => ({
      items: await listBillingEvents(ctx.services.db, tenantScope(ctx.tenant.id), input?.limit ?? 50),
    })),

  /** Simulated payment: credits the balance and lifts an overdue state at once. */
  topUp: tenantProcedure("admin")
    .input(
      z
        .object({
          amountMinor: z
            .number()
            .int()
            .min(100, "Top up at least 1.00.")
            .max(10_000_000, "Top up at most 100,000.00 at once."),
        })
        .strict(),
    )
    .output(balanceView)
    .mutation(async ({ ctx, input }) => {
      const b = await ctx.services.billing.credit(
        ctx.tenant.id,
        "topup",
        BigInt(input.amountMinor),
        "Top-up (simulated payment)",
        ctx.principal.user.email,
      );
      return { availableMinor: b.availableMinor };
    }),
});

async function invoiceOf(services: Services, tenantId: string, id: string) {
  if (id === "current") {
    const f = await services.billing.forecast(tenantId);
    return {
      id: "current",
      status: "draft" as const,
      periodStart: f.period,
      periodEnd: nextMonthStart(f.period),
      currency: f.currency,
      totalMinor: f.monthMinor,
      lines: f.lines,
    };
  }
  const found = await findInvoice(services.db, tenantId, id);
  if (!found) throw notFound("Invoice");
  const { invoice, lines } = found;
  return {
    id: invoice.id,
    status: "closed" as const,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    currency: invoice.currency,
    totalMinor: invoice.totalMinor,
    lines: lines.map((l) => ({
      resource: l.resource,
      deploymentId: l.deploymentId,
      deploymentName: l.deploymentName,
      quantity: BigInt(l.quantity),
      unitPriceMicros: l.unitPriceMicros,
      amountMinor: l.amountMinor,
    })),
  };
}
