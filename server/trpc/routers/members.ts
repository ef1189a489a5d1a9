import { z } from "zod";
import { listPendingInvitations } from "@/db/queries/invitations";
import { listMembers } from "@/db/queries/tenancy";
import { cancelInvitation, inviteMember } from "../../tenancy/invitations";
import { changeMemberRole, removeMemberFromTenant } from "../../tenancy/members";
import { createTRPCRouter, tenantProcedure } from "../init";
import { emailSchema, idSchema, tenantRoleSchema } from "../schemas";
import { createdInvitationView, membersView } from "../views/access";
import { okView } from "../views/common";

const empty = z.object({}).strict().optional();

export const membersRouter = createTRPCRouter({
  list: tenantProcedure("viewer")
    .input(empty)
    .output(membersView)
    .query(async ({ ctx }) => {
      const [members, invitations] = await Promise.all([
        listMembers(ctx.services.db, ctx.tenant.id),
        listPendingInvitations(ctx.services.db, ctx.tenant.id, new Date()),
      ]);
      return { members, invitations };
    }),

  /**
   * Invites an address: answers with a one-time secret link for the inviter to pass on, the
   * same answer whether or not the address has an account. Membership starts when the link is
   * accepted by someone signed in.
   */
  invite: tenantProcedure("admin")
    .input(z.object({ email: emailSchema, role: tenantRoleSchema }).strict())
    .output(createdInvitationView)
    .mutation(({ ctx, input }) =>
      inviteMember(ctx.services.db, ctx.tenant.id, ctx.principal.user.id, input, new Date()),
    ),

  updateRole: tenantProcedure("admin")
    .input(z.object({ memberId: idSchema, role: tenantRoleSchema }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      await changeMemberRole(ctx.services.db, ctx.tenant.id, ctx.principal.user.id, input.memberId, input.role);
      return { ok: true as const };
    }),

  /** Removes a member; their API tokens of this tenant are deleted with the membership. */
  remove: tenantProcedure("admin")
    .input(z.object({ memberId: idSchema }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      await removeMemberFromTenant(ctx.services.db, ctx.tenant.id, ctx.principal.user.id, input.memberId);
      return { ok: true as const };
    }),

  cancelInvitation: tenantProcedure("admin")
    .input(z.object({ id: idSchema }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      await cancelInvitation(ctx.services.db, ctx.tenant.id, ctx.principal.user.id, input.id);
      return { ok: true as const };
    }),
});
