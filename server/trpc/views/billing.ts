/**
 * Views of billing. Money is bigint minor units (superjson carries bigints), prices bigint
 * micros; periods and times are epoch ms on the engine clock.
 */
import { z } from "zod";

export const billingSummaryView = z.object({
  period: z.number(),
  periodEnd: z.number(),
  now: z.number(),
  currency: z.string(),
  monthMinor: z.bigint(),
  forecastMinor: z.bigint(),
  ledgerMinor: z.bigint(),
  availableMinor: z.bigint(),
  lowBalance: z.boolean(),
  negativeSince: z.number().nullable(),
  /** What the engine's admission enforces (the growth freeze), not a second computation of the rule. */
  growthBlocked: z.boolean(),
  suspended: z.boolean(),
  graceMs: z.number(),
  suspendAfterMs: z.number(),
  held: z.object({ pods: z.number(), nodes: z.number(), publicIps: z.number() }),
});

export const dailyCostView = z.object({
  days: z.array(
    z.object({
      day: z.number(),
      byResource: z.record(z.string(), z.number()),
      byDeployment: z.record(z.string(), z.number()),
      totalMinor: z.number(),
    }),
  ),
});

const invoiceStatus = z.enum(["draft", "closed"]);

export const invoiceListView = z.object({
  items: z.array(
    z.object({
      /** "current" for the running month's draft. */
      id: z.string(),
      status: invoiceStatus,
      periodStart: z.number(),
      currency: z.string(),
      totalMinor: z.bigint(),
    }),
  ),
});

export const invoiceView = z.object({
  id: z.string(),
  status: invoiceStatus,
  periodStart: z.number(),
  periodEnd: z.number(),
  currency: z.string(),
  totalMinor: z.bigint(),
  lines: z.array(
    z.object({
      resource: z.string(),
      deploymentId: z.string().nullable(),
      deploymentName: z.string().nullable(),
      quantity: z.bigint(),
      unitPriceMicros: z.bigint(),
      amountMinor: z.bigint(),
    }),
  ),
});

export const invoiceCsvView = z.object({ filename: z.string(), csv: z.string() });

export const ledgerView = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      at: z.number(),
      kind: z.string(),
      amountMinor: z.bigint(),
      note: z.string(),
      actor: z.string().nullable(),
    }),
  ),
});

export const billingEventsView = z.object({
  items: z.array(
    z.object({ id: z.number(), at: z.number(), type: z.string(), reason: z.string(), message: z.string() }),
  ),
});

export const balanceView = z.object({ availableMinor: z.bigint() });

export const revenueView = z.object({
  items: z.array(
    z.object({
      tenantId: z.string(),
      tenantName: z.string(),
      periodStart: z.number(),
      currency: z.string(),
      totalMinor: z.bigint(),
    }),
  ),
});

export const planVersionsView = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      /** Null for the installation's default plan. */
      tenantId: z.string().nullable(),
      effectiveFrom: z.number(),
      currency: z.string(),
      cpuHourMicros: z.bigint(),
      memoryGibHourMicros: z.bigint(),
      node2c4gHourMicros: z.bigint(),
      node4c8gHourMicros: z.bigint(),
      node8c16gHourMicros: z.bigint(),
      publicIpHourMicros: z.bigint(),
      bandwidthMbpsHourMicros: z.bigint(),
      createdAt: z.number(),
      createdBy: z.string().nullable(),
    }),
  ),
  now: z.number(),
});

export const planCreatedView = z.object({ id: z.number(), effectiveFrom: z.number() });
