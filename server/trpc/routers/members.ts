import { z } from "zod";
import { cancelInvitation, listMembers, listPendingInvitations } from "@/db/queries/tenancy";
import { AppError } from "../../errors";
import { addOrInviteMember, changeMemberRole, removeMemberFromTenant } from "../../tenancy/members";
import { createTRPCRouter, tenantProcedure } from "../init";
import { emailSchema, idSchema, tenantRoleSchema } from "../schemas";

const empty = z.object({}).strict().optional();

export const membersRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(empty)
    .query(async ({ ctx }) => {
      const [members, invitations] = await Promise.all([
        listMembers(ctx.services.db, ctx.tenant.id),
        listPendingInvitations(ctx.services.db, ctx.tenant.id, new Date()),
      ]);
      return { members, invitations: invitations.map(({ id, email, role, expiresAt, createdAt }) => ({ id, email, role, expiresAt, createdAt })) };
    }),

  /** Adds an existing user, or invites an address that has no account yet. */
  add: tenantProcedure("admin")
    .input(z.object({ email: emailSchema, role: tenantRoleSchema }).strict())
    .mutation(({ ctx, input }) =>
      addOrInviteMember(ctx.services.db, ctx.tenant.id, { userId: ctx.principal.user.id, role: ctx.tenant.role }, input, new Date()),
    ),

  updateRole: tenantProcedure("admin")
    .input(z.object({ memberId: idSchema, role: tenantRoleSchema }).strict())
    .mutation(async ({ ctx, input }) => {
      await changeMemberRole(ctx.services.db, ctx.tenant.id, { userId: ctx.principal.user.id, role: ctx.tenant.role }, input.memberId, input.role);
      return { ok: true as const };
    }),

  remove: tenantProcedure("admin")
    .input(z.object({ memberId: idSchema }).strict())
    .mutation(async ({ ctx, input }) => {
      await removeMemberFromTenant(ctx.services.db, ctx.tenant.id, { userId: ctx.principal.user.id, role: ctx.tenant.role }, input.memberId);
      return { ok: true as const };
    }),

  cancelInvitation: tenantProcedure("admin")
    .input(z.object({ id: idSchema }).strict())
    .mutation(async ({ ctx, input }) => {
      if (!(await cancelInvitation(ctx.services.db, ctx.tenant.id, input.id))) throw new AppError("NOT_FOUND", "Invitation not found.");
      return { ok: true as const };
    }),
});
