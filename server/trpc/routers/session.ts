import { listMembershipsOfUser } from "@/db/queries/tenancy";
import { createTRPCRouter, publicProcedure } from "../init";
import { clockView, sessionView } from "../views/access";

export const sessionRouter = createTRPCRouter({
  /** The engine's clock, so that ages and countdowns read in modelled time (it may run faster than real time). */
  clock: publicProcedure.output(clockView).query(({ ctx }) => ({ now: ctx.services.clock.now() })),

  /** Who am I: the user, their tenants and the current one. Null when signed out. */
  me: publicProcedure.output(sessionView).query(async ({ ctx }) => {
    const p = ctx.principal;
    if (!p) return null;
    const tenants = await listMembershipsOfUser(ctx.services.db, p.user.id);
    const currentId = p.kind === "token" ? p.tenantId : p.activeTenantId;
    const current = tenants.find((m) => m.tenantId === currentId) ?? null;
    return {
      user: p.user,
      via: p.kind,
      tenants: p.kind === "token" ? tenants.filter((m) => m.tenantId === p.tenantId) : tenants,
      current,
    };
  }),
});
