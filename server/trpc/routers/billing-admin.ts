/** Operators' billing: revenue by tenant and month, price-plan versions, credit grants. */
import { z } from "zod";
import { revenueByTenantMonth, tenantExists } from "@/db/queries/billing";
import { insertPlanVersion, listPlanVersions } from "@/db/queries/billing-plans";
import { CURRENCIES } from "../../billing/rating";
import { monthStart } from "../../billing/period";
import { AppError, notFound } from "../../errors";
import { createTRPCRouter, operatorProcedure } from "../init";
import { idSchema, textSchema } from "../schemas";
import { balanceView, planCreatedView, planVersionsView, revenueView } from "../views/billing";

const micros = z.number().int().min(0).max(1_000_000_000_000);

export const billingAdminRouter = createTRPCRouter({
  revenue: operatorProcedure
    .input(
      z
        .object({
          months: z.number().int().min(1).max(36).default(12),
          limit: z.number().int().min(1).max(2000).default(500),
        })
        .strict(),
    )
    .output(revenueView)
    .query(async ({ ctx, input }) => {
      const now = ctx.services.clock.now();
      let from = monthStart(now);
      for (let i = 1; i < input.months; i++) from = monthStart(from - 1);
      return { items: await revenueByTenantMonth(ctx.services.db, { from, limit: input.limit }) };
    }),

  plans: operatorProcedure
    .input(z.object({}).strict().optional())
    .output(planVersionsView)
    .query(async ({ ctx }) => ({ items: await listPlanVersions(ctx.services.db), now: ctx.services.clock.now() })),

  /** A new plan version; it may not start in the past, so closed periods never change. */
  setPlan: operatorProcedure
    .input(
      z
        .object({
          tenantId: idSchema.optional(),
          effectiveFrom: z.number().int().min(0).max(8_640_000_000_000).optional(),
          currency: z.enum(CURRENCIES),
          cpuHourMicros: micros,
          memoryGibHourMicros: micros,
          node2c4gHourMicros: micros,
          node4c8gHourMicros: micros,
          node8c16gHourMicros: micros,
          /** Absent: the built-in price (the column's default). */
          publicIpHourMicros: micros.optional(),
          bandwidthMbpsHourMicros: micros.optional(),
        })
        .strict(),
    )
    .output(planCreatedView)
    .mutation(async ({ ctx, input }) => {
      const now = ctx.services.clock.now();
      const effectiveFrom = input.effectiveFrom ?? now;
      if (effectiveFrom < now)
        throw new AppError(
          "BAD_REQUEST",
          "A price change cannot start in the past: closed and running periods keep the prices they were metered at.",
        );
      if (input.tenantId && !(await tenantExists(ctx.services.db, input.tenantId))) throw notFound("Tenant");
      const existing = await listPlanVersions(ctx.services.db);
      if (existing.some((p) => p.currency !== input.currency))
        throw new AppError("CONFLICT", `All plans use ${existing[0]?.currency}; the currency cannot change.`);
      const row = await insertPlanVersion(ctx.services.db, {
        tenantId: input.tenantId ?? null,
        effectiveFrom,
        currency: input.currency,
        cpuHourMicros: BigInt(input.cpuHourMicros),
        memoryGibHourMicros: BigInt(input.memoryGibHourMicros),
        node2c4gHourMicros: BigInt(input.node2c4gHourMicros),
        node4c8gHourMicros: BigInt(input.node4c8gHourMicros),
        node8c16gHourMicros: BigInt(input.node8c16gHourMicros),
        ...(input.publicIpHourMicros !== undefined ? { publicIpHourMicros: BigInt(input.publicIpHourMicros) } : {}),
        ...(input.bandwidthMbpsHourMicros !== undefined
          ? { bandwidthMbpsHourMicros: BigInt(input.bandwidthMbpsHourMicros) }
          : {}),
        createdAt: now,
        createdBy: ctx.principal.user.email,
      });
      return { id: row.id, effectiveFrom };
    }),

  /** Prepaid credit for a tenant (negative to correct a grant). */
  grant: operatorProcedure
    .input(
      z
        .object({
          tenantId: idSchema,
          amountMinor: z
            .number()
            .int()
            .min(-100_000_000)
            .max(100_000_000)
            .refine((v) => v !== 0, "The amount cannot be zero."),
          note: textSchema().trim().max(200).default(""),
        })
        .strict(),
    )
    .output(balanceView)
    .mutation(async ({ ctx, input }) => {
      if (!(await tenantExists(ctx.services.db, input.tenantId))) throw notFound("Tenant");
      const b = await ctx.services.billing.credit(
        input.tenantId,
        "grant",
        BigInt(input.amountMinor),
        input.note || "Credit grant",
        ctx.principal.user.email,
      );
      return { availableMinor: b.availableMinor };
    }),
});
