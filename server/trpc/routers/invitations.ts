/**
 * The invitee's side of an invitation: open the secret link signed in, see what it offers,
 * accept it once. Session callers only: an API token cannot join anyone to anything.
 */
import { z } from "zod";
import { setSessionTenant } from "@/db/queries/users";
import { AppError } from "../../errors";
import { acceptInvitation, previewInvitation } from "../../tenancy/invitations";
import { authedProcedure, createTRPCRouter } from "../init";
import { textSchema } from "../schemas";
import { acceptedInvitationView, invitationPreviewView } from "../views/access";

const linkInput = z
  .object({
    secret: textSchema()
      .trim()
      .min(1, "The invitation link is incomplete.")
      .max(100, "The invitation link is too long."),
  })
  .strict();

const sessionOnly = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.kind !== "session")
    throw new AppError("FORBIDDEN", "Invitations are accepted in the console, not with an API token.");
  return next({ ctx: { session: ctx.principal } });
});

export const invitationsRouter = createTRPCRouter({
  get: sessionOnly
    .input(linkInput)
    .output(invitationPreviewView)
    .query(({ ctx, input }) => previewInvitation(ctx.services.db, input.secret, new Date())),

  /** Joins the tenant with the invited role and makes it the session's current tenant. */
  accept: sessionOnly
    .input(linkInput)
    .output(acceptedInvitationView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = "invitation";
      const joined = await acceptInvitation(ctx.services.db, input.secret, ctx.session.user.id, new Date());
      ctx.audit.tenantId = joined.tenantId;
      await setSessionTenant(ctx.services.db, ctx.session.sessionId, joined.tenantId);
      return { tenantId: joined.tenantId, tenantName: joined.tenantName, role: joined.role };
    }),
});
