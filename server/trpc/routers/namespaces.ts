/**
 * Namespaces, tenant-owned: list, get, create, delete. A namespace's name is unique across all
 * tenants; one another tenant holds is refused as taken, without saying whose. Deleting one
 * deletes everything in it: it shows Terminating until that is gone. The tenant's default
 * namespace (its first, named by its slug) cannot be deleted.
 */
import { z } from "zod";
import { findTenantBySlug } from "@/db/queries/tenancy";
import { AppError } from "../../errors";
import { namespaceView } from "../../workloads/namespace-views";
import { namespaceViewSchema } from "../../workloads/view-schemas";
import { createTRPCRouter, tenantProcedure } from "../init";
import { dns1123Schema, textSchema } from "../schemas";

/**
 * The namespace part of other routers' inputs. Lists: absent = every namespace of the tenant.
 * Commands and single-object reads: absent = the tenant's default namespace.
 */
export const namespaceField = { namespace: dns1123Schema.optional() };

const byName = z.object({ name: dns1123Schema }).strict();
/** More than a tenant can hold (its namespaces are bounded by the engine's page size). */
const MAX_NAMESPACES = 1000;
const labelsSchema = z
  .record(textSchema().min(1).max(317), textSchema().max(63))
  .refine((m) => Object.keys(m).length <= 64, "At most 64 labels.");

export const namespacesRouter = createTRPCRouter({
  /** Every namespace of the tenant, by name (a tenant has few: no pages). */
  list: tenantProcedure("viewer")
    .input(z.object({}).strict().optional())
    .output(z.object({ items: z.array(namespaceViewSchema) }))
    .query(({ ctx }) => ({
      items: ctx.services.engine.listNamespaces(ctx.tenant.id, { limit: MAX_NAMESPACES }).items.map(namespaceView),
    })),

  get: tenantProcedure("viewer")
    .input(byName)
    .output(namespaceViewSchema)
    .query(({ ctx, input }) => namespaceView(ctx.services.engine.getNamespace(ctx.tenant.id, input.name))),

  create: tenantProcedure("admin")
    .input(z.object({ name: dns1123Schema, labels: labelsSchema.optional() }).strict())
    .output(namespaceViewSchema)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = input.name;
      // Every tenant's slug names its first namespace: another tenant's slug is taken, with the engine's words.
      const holder = await findTenantBySlug(ctx.services.db, input.name);
      if (holder && holder.id !== ctx.tenant.id)
        throw new AppError("CONFLICT", `namespaces "${input.name}" already exists`);
      return namespaceView(await ctx.services.engine.createNamespace(ctx.tenant.id, input));
    }),

  /** Marks it Terminating; the engine deletes what is in it, then the namespace. */
  delete: tenantProcedure("admin")
    .input(byName)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = input.name;
      await ctx.services.engine.deleteNamespace(ctx.tenant.id, input.name);
      return { ok: true as const };
    }),
});
