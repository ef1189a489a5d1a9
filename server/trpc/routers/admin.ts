/** The operators' dashboard: every tenant, user and audit entry of the installation. */
import { z } from "zod";
import { listAuditEntries } from "@/db/queries/audit";
import { countTenantsAndUsers, listAllTenants, listAllUsers } from "@/db/queries/tenancy";
import { countOperators, setOperator } from "@/db/queries/users";
import { AppError } from "../../errors";
import { createTRPCRouter, operatorProcedure } from "../init";
import { idSchema, pageInput } from "../schemas";
import { auditInput } from "./audit";

export const adminRouter = createTRPCRouter({
  overview: operatorProcedure.input(z.object({}).strict().optional()).query(async ({ ctx }) => ({
    ...(await countTenantsAndUsers(ctx.services.db)),
    database: ctx.services.database.kind,
  })),

  tenants: operatorProcedure.input(pageInput).query(({ ctx, input }) => listAllTenants(ctx.services.db, input)),

  users: operatorProcedure.input(pageInput).query(({ ctx, input }) => listAllUsers(ctx.services.db, input)),

  setOperator: operatorProcedure
    .input(z.object({ id: idSchema, isOperator: z.boolean() }).strict())
    .mutation(async ({ ctx, input }) => {
      if (!input.isOperator && (await countOperators(ctx.services.db)) <= 1) {
        throw new AppError("CONFLICT", "The installation needs at least one operator.");
      }
      if (!(await setOperator(ctx.services.db, input.id, input.isOperator)))
        throw new AppError("NOT_FOUND", "User not found.");
      return { ok: true as const };
    }),

  audit: operatorProcedure
    .input(auditInput.extend({ tenantId: idSchema.optional() }).strict())
    .query(({ ctx, input }) => listAuditEntries(ctx.services.db, input)),
});
