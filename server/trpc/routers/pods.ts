/** Pods, tenant-scoped: list with filters, detail (each with its health), logs, delete, move to another node. */
import { z } from "zod";
import { getPodWithHealth, listPodsWithHealth } from "../../workloads/views";
import { createTRPCRouter, tenantProcedure } from "../init";
import { engineCursorSchema, refSchema, textSchema } from "../schemas";

const phaseSchema = z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]);
const byName = z.object({ name: refSchema }).strict();

export const podsRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(50),
          cursor: engineCursorSchema,
          deployment: refSchema.optional(),
          phase: phaseSchema.optional(),
          node: refSchema.optional(),
        })
        .strict(),
    )
    .query(({ ctx, input }) => listPodsWithHealth(ctx.services.engine, ctx.tenant.id, input, ctx.services.clock.now())),

  get: tenantProcedure("viewer")
    .input(byName)
    .query(({ ctx, input }) =>
      getPodWithHealth(ctx.services.engine, ctx.tenant.id, input.name, ctx.services.clock.now()),
    ),

  /** The container's latest log lines (modelled by the simulated node agent). */
  logs: tenantProcedure("viewer")
    .input(z.object({ name: refSchema, container: textSchema().max(63).optional() }).strict())
    .query(({ ctx, input }) => ({ lines: ctx.services.engine.getPodLogs(ctx.tenant.id, input.name, input.container) })),

  delete: tenantProcedure("member")
    .input(z.object({ name: refSchema, gracePeriodSeconds: z.number().int().min(0).max(3600).optional() }).strict())
    .mutation(({ ctx, input }) =>
      ctx.services.engine.deletePod(ctx.tenant.id, input.name, { gracePeriodSeconds: input.gracePeriodSeconds }),
    ),

  /** Make-before-break move to another node of the tenant. */
  migrate: tenantProcedure("member")
    .input(z.object({ name: refSchema, node: refSchema }).strict())
    .mutation(({ ctx, input }) => ctx.services.engine.movePod(ctx.tenant.id, input.name, input.node)),
});
