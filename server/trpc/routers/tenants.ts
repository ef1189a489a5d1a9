import { z } from "zod";
import { listMembershipsOfUser, renameTenant } from "@/db/queries/tenancy";
import { createTenantFor, switchTenant } from "../../tenancy/tenants";
import { authedProcedure, createTRPCRouter, tenantProcedure } from "../init";
import { displayNameSchema, dns1123Schema, idSchema } from "../schemas";
import { membershipView } from "../views/access";
import { okView } from "../views/common";
import { createdTenantView, currentTenantView, membershipsView } from "../views/tenants";

export const tenantsRouter = createTRPCRouter({
  /** The caller's own tenants (any signed-in user); an API token sees only its own tenant. */
  list: authedProcedure
    .input(z.object({}).strict().optional())
    .output(membershipsView)
    .query(async ({ ctx }) => {
      const p = ctx.principal;
      const tenants = await listMembershipsOfUser(ctx.services.db, p.user.id);
      return p.kind === "token" ? tenants.filter((m) => m.tenantId === p.tenantId) : tenants;
    }),

  current: tenantProcedure("viewer")
    .input(z.object({}).strict().optional())
    .output(currentTenantView)
    .query(({ ctx }) => ctx.tenant),

  create: authedProcedure
    .input(z.object({ name: displayNameSchema, slug: dns1123Schema }).strict())
    .output(createdTenantView)
    .mutation(async ({ ctx, input }) => {
      const tenant = await createTenantFor(ctx.services.db, ctx.services.engine, ctx.principal, input);
      ctx.audit.tenantId = tenant.id;
      ctx.audit.target = tenant.slug;
      return { id: tenant.id, name: tenant.name, slug: tenant.slug };
    }),

  switch: authedProcedure
    .input(z.object({ id: idSchema }).strict())
    .output(membershipView)
    .mutation(async ({ ctx, input }) => {
      const membership = await switchTenant(ctx.services.db, ctx.principal, input.id);
      ctx.audit.tenantId = membership.tenantId;
      return membership;
    }),

  rename: tenantProcedure("owner")
    .input(z.object({ name: displayNameSchema }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      await renameTenant(ctx.services.db, ctx.tenant.id, input.name);
      ctx.audit.target = ctx.tenant.slug;
      return { ok: true as const };
    }),
});
