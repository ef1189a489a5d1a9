/** The operators' dashboard: every tenant, user and audit entry of the installation. */
import { z } from "zod";
import { listAuditEntries } from "@/db/queries/audit";
import { countTenantsAndUsers, listAllTenants, listAllUsers } from "@/db/queries/tenancy";
import { countOperators, setOperator } from "@/db/queries/users";
import { AppError } from "../../errors";
import { createTRPCRouter, operatorProcedure } from "../init";
import { idSchema, pageInput } from "../schemas";
import { auditInput } from "./audit";
import { okView } from "../views/common";
import { auditPageView, installationOverviewView, tenantRowPageView, userRowPageView } from "../views/operators";

export const adminRouter = createTRPCRouter({
  overview: operatorProcedure
    .input(z.object({}).strict().optional())
    .output(installationOverviewView)
    .query(async ({ ctx }) => ({
      ...(await countTenantsAndUsers(ctx.services.db)),
      database: ctx.services.database.kind,
    })),

  tenants: operatorProcedure
    .input(pageInput)
    .output(tenantRowPageView)
    .query(({ ctx, input }) => listAllTenants(ctx.services.db, input)),

  users: operatorProcedure
    .input(pageInput)
    .output(userRowPageView)
    .query(({ ctx, input }) => listAllUsers(ctx.services.db, input)),

  setOperator: operatorProcedure
    .input(z.object({ id: idSchema, isOperator: z.boolean() }).strict())
    .output(okView)
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
    .output(auditPageView)
    .query(({ ctx, input }) => listAuditEntries(ctx.services.db, input)),
});
