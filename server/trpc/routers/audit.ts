import { z } from "zod";
import { listAuditEntries } from "@/db/queries/audit";
import { createTRPCRouter, tenantProcedure } from "../init";
import { infiniteInput, textSchema } from "../schemas";
import { auditPageView } from "../views/operators";

/** A page of the audit log (read with `infiniteQueryOptions`): ids go down, the cursor is the last id seen. */
export const auditInput = infiniteInput({
  cursor: z.number().int().positive().optional(),
  action: textSchema().max(100).optional(),
});

export const auditRouter = createTRPCRouter({
  /** The current tenant's audit log, newest first (owners and admins). */
  list: tenantProcedure("admin")
    .input(auditInput)
    .output(auditPageView)
    .query(({ ctx, input }) =>
      listAuditEntries(ctx.services.db, {
        limit: input.limit,
        cursor: input.cursor,
        action: input.action,
        tenantId: ctx.tenant.id,
      }),
    ),
});
