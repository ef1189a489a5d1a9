/**
 * Pods, tenant-scoped and namespaced: list with filters (`namespace?` absent: every
 * namespace), detail (each with its health), logs, delete, move to another node; single pods
 * are found in `namespace` (absent: the tenant's default namespace). Answers are views.
 */
import { z } from "zod";
import { pageOf, podViewSchema } from "../../workloads/view-schemas";
import { getPodWithHealth, listPodsWithHealth, wireMeta } from "../../workloads/views";
import { createTRPCRouter, tenantProcedure } from "../init";
import { engineCursorSchema, refSchema, textSchema } from "../schemas";
import { namespaceField } from "./namespaces";

const phaseSchema = z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]);
const byName = z.object({ ...namespaceField, name: refSchema }).strict();

export const podsRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(
      z
        .object({
          ...namespaceField,
          limit: z.number().int().min(1).max(500).default(50),
          cursor: engineCursorSchema,
          deployment: refSchema.optional(),
          phase: phaseSchema.optional(),
          node: refSchema.optional(),
        })
        .strict(),
    )
    .output(pageOf(podViewSchema))
    .query(({ ctx, input }) => listPodsWithHealth(ctx.services.engine, ctx.tenant.id, input, ctx.services.clock.now())),

  get: tenantProcedure("viewer")
    .input(byName)
    .output(podViewSchema)
    .query(({ ctx, input }) =>
      getPodWithHealth(ctx.services.engine, ctx.tenant.id, input.name, ctx.services.clock.now(), input),
    ),

  /** The container's latest log lines (modelled by the simulated node agent). */
  logs: tenantProcedure("viewer")
    .input(z.object({ ...namespaceField, name: refSchema, container: textSchema().max(63).optional() }).strict())
    .output(z.object({ lines: z.array(z.string()) }))
    .query(({ ctx, input }) => ({
      lines: ctx.services.engine.getPodLogs(ctx.tenant.id, input.name, input.container, { namespace: input.namespace }),
    })),

  delete: tenantProcedure("member")
    .input(
      z
        .object({
          ...namespaceField,
          name: refSchema,
          gracePeriodSeconds: z.number().int().min(0).max(3600).optional(),
        })
        .strict(),
    )
    .output(z.void())
    .mutation(({ ctx, input }) =>
      ctx.services.engine.deletePod(ctx.tenant.id, input.name, {
        gracePeriodSeconds: input.gracePeriodSeconds,
        namespace: input.namespace,
      }),
    ),

  /** Make-before-break move to another node of the tenant; the copy is made in the pod's namespace. */
  migrate: tenantProcedure("member")
    .input(z.object({ ...namespaceField, name: refSchema, node: refSchema }).strict())
    .output(z.object({ uid: z.string(), name: z.string(), namespace: z.string(), resourceVersion: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const copy = await ctx.services.engine.movePod(ctx.tenant.id, input.name, input.node, {
        namespace: input.namespace,
      });
      return { ...copy, ...wireMeta(copy) };
    }),
});
