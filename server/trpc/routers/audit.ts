import { z } from "zod";
import { listAuditEntries } from "@/db/queries/audit";
import { createTRPCRouter, tenantProcedure } from "../init";
import { limitSchema } from "../schemas";

export const auditInput = z
  .object({ limit: limitSchema, cursor: z.number().int().positive().optional(), action: z.string().max(100).optional() })
  .strict();

export const auditRouter = createTRPCRouter({
  /** The current tenant's audit log, newest first (owners and admins). */
  list: tenantProcedure("admin")
    .input(auditInput)
    .query(({ ctx, input }) => listAuditEntries(ctx.services.db, { ...input, tenantId: ctx.tenant.id })),
});
