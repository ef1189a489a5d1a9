/**
 * ResourceQuotas (Kubernetes' ResourceQuota): a namespace's own limits on cpu and memory
 * requests and pods, enforced beside the tenant's quota (quota.get), never instead of it. A
 * namespace without one is limited by the tenant's quota only. Lists take `namespace?`
 * (absent: every namespace of the tenant); set and delete act in `namespace` (absent: the
 * tenant's default). Set creates or replaces the quota by name; lowering it below what the
 * namespace uses blocks new work only. Set and delete may carry the `resourceVersion` last
 * read: if the quota changed since, CONFLICT and nothing changes. Viewers read; owners and
 * admins set and delete, as they create and delete namespaces.
 */
import { z } from "zod";
import { resourceQuotaSchema } from "../../engine";
import { AppError } from "../../errors";
import { okView } from "../views/common";
import { resourceQuotaListView, resourceQuotaView, toResourceQuotaView } from "../views/resource-quotas";
import { createTRPCRouter, tenantProcedure } from "../init";
import { dns1123Schema } from "../schemas";
import { namespaceField } from "./namespaces";

/** A precondition: the resourceVersion the caller last read; a newer quota refuses the write with CONFLICT. */
const resourceVersionField = {
  resourceVersion: z
    .string()
    .regex(/^\d{1,15}$/, "A resourceVersion is a number.")
    .optional(),
};
const precondition = (rv: string | undefined) => (rv === undefined ? {} : { resourceVersion: Number(rv) });

/** `spec.hard` in Kubernetes' quantities (cpu "2" or "500m", memory "4Gi", pods a count), checked as the engine does. */
const hardSchema = resourceQuotaSchema.shape.hard.refine(
  (h) => h.cpu !== undefined || h.memory !== undefined || h.pods !== undefined,
  "A quota limits at least one of cpu, memory and pods.",
);

/** The audit's target: `namespace/name`, or the name alone where the tenant's default namespace is meant. */
const targetOf = (input: { namespace?: string; name?: string }, name = input.name ?? "namespace-quota") =>
  input.namespace ? `${input.namespace}/${name}` : name;

export const resourceQuotasRouter = createTRPCRouter({
  /** The tenant's ResourceQuotas (one namespace's, or every namespace's), by namespace then name. */
  list: tenantProcedure("viewer")
    .input(z.object({ ...namespaceField }).strict())
    .output(resourceQuotaListView)
    .query(({ ctx, input }) => ({
      items: ctx.services.engine
        .listResourceQuotas(ctx.tenant.id, { namespace: input.namespace })
        .map(toResourceQuotaView),
    })),

  /** Create or replace the namespace's quota `name` (default "namespace-quota"). */
  set: tenantProcedure("admin")
    .input(
      z
        .object({
          ...namespaceField,
          name: dns1123Schema.optional(),
          hard: hardSchema,
          ...resourceVersionField,
        })
        .strict(),
    )
    .output(resourceQuotaView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = targetOf(input);
      const engine = ctx.services.engine;
      const q = await engine.setResourceQuota(ctx.tenant.id, {
        namespace: input.namespace,
        ...(input.name !== undefined ? { name: input.name } : {}),
        hard: input.hard,
        ...precondition(input.resourceVersion),
      });
      ctx.audit.target = targetOf({ namespace: q.namespace }, q.name);
      // Read back as committed: the command's answer predates its commit's resourceVersion.
      const stored = engine.listResourceQuotas(ctx.tenant.id, { namespace: q.namespace }).find((o) => o.id === q.id);
      if (!stored) throw new AppError("CONFLICT", `resourcequotas "${q.name}" was deleted meanwhile`);
      return toResourceQuotaView(stored);
    }),

  /** Lifts the quota: the namespace is limited by its other quotas, if any, and the tenant's quota. */
  delete: tenantProcedure("admin")
    .input(z.object({ ...namespaceField, name: dns1123Schema, ...resourceVersionField }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = targetOf(input);
      await ctx.services.engine.deleteResourceQuota(ctx.tenant.id, input.name, {
        namespace: input.namespace,
        ...precondition(input.resourceVersion),
      });
      return { ok: true as const };
    }),
});
