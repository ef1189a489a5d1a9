import { z } from "zod";
import { listTenantTokens } from "@/db/queries/tokens";
import { hasRole } from "../../auth/roles";
import { AppError } from "../../errors";
import { createTenantToken, revokeTenantTokenAs } from "../../tenancy/tokens";
import { createTRPCRouter, tenantProcedure } from "../init";
import { createTokenInput, idSchema } from "../schemas";
import { createdTokenView, tokenListView } from "../views/access";
import { okView } from "../views/common";

export const tokensRouter = createTRPCRouter({
  /** Admins and owners see every token of the tenant; others see their own. */
  list: tenantProcedure("viewer")
    .input(z.object({}).strict().optional())
    .output(tokenListView)
    .query(({ ctx }) =>
      listTenantTokens(
        ctx.services.db,
        ctx.tenant.id,
        hasRole(ctx.tenant.role, "admin") ? undefined : ctx.principal.user.id,
      ),
    ),

  /** Returns the secret once; it cannot be read again. */
  create: tenantProcedure("member")
    .input(createTokenInput)
    .output(createdTokenView)
    .mutation(({ ctx, input }) => {
      if (ctx.principal.kind === "token")
        throw new AppError("FORBIDDEN", "Create tokens from the console, not with another token.");
      return createTenantToken(ctx.services.auth, ctx.services.db, {
        tenantId: ctx.tenant.id,
        userId: ctx.principal.user.id,
        ...input,
      });
    }),

  /** Members revoke their own tokens, admins and owners any; the role is checked in the delete itself. */
  revoke: tenantProcedure("member")
    .input(z.object({ tokenId: idSchema }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      await revokeTenantTokenAs(ctx.services.db, ctx.tenant.id, ctx.principal.user.id, input.tokenId);
      return { ok: true as const };
    }),
});
