/**
 * Operator-wide API tokens, made explicitly from the admin dashboard (a token made in a tenant
 * never reads beyond it). Operators see and revoke every operator token.
 */
import { z } from "zod";
import { listOperatorTokens } from "@/db/queries/tokens";
import { createOperatorToken, revokeOperatorTokenAs } from "../../tenancy/tokens";
import { createTRPCRouter, operatorProcedure } from "../init";
import { createTokenInput, idSchema } from "../schemas";
import { createdTokenView, tokenListView } from "../views/access";
import { okView } from "../views/common";

export const operatorTokensRouter = createTRPCRouter({
  list: operatorProcedure
    .input(z.object({}).strict().optional())
    .output(tokenListView)
    .query(({ ctx }) => listOperatorTokens(ctx.services.db)),

  /** Returns the secret once; it cannot be read again. */
  create: operatorProcedure
    .input(createTokenInput)
    .output(createdTokenView)
    // operatorProcedure already refuses any mutation made with a token.
    .mutation(({ ctx, input }) =>
      createOperatorToken(ctx.services.auth, ctx.services.db, { userId: ctx.principal.user.id, ...input }),
    ),

  revoke: operatorProcedure
    .input(z.object({ tokenId: idSchema }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      await revokeOperatorTokenAs(ctx.services.db, ctx.principal.user.id, input.tokenId);
      return { ok: true as const };
    }),
});
