/** Views for the operators' dashboard (tenants, users) and the audit log (tenant admins and operators). */
import { z } from "zod";
import { dbPage } from "./common";

export const installationOverviewView = z.object({
  tenants: z.number(),
  users: z.number(),
  operators: z.number(),
  database: z.enum(["pglite", "postgres"]),
});

export const tenantRowPageView = dbPage(
  z.object({ id: z.string(), name: z.string(), slug: z.string(), createdAt: z.date(), members: z.number() }),
  z.string(),
);

export const userRowPageView = dbPage(
  z.object({ id: z.string(), name: z.string(), email: z.string(), isOperator: z.boolean(), createdAt: z.date() }),
  z.string(),
);

/** One audited mutation: who, through what (session or a named token), on what, and how it ended. */
export const auditPageView = dbPage(
  z.object({
    id: z.number(),
    at: z.date(),
    actorId: z.string().nullable(),
    actorEmail: z.string().nullable(),
    via: z.string(),
    tenantId: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable(),
    outcome: z.enum(["success", "failure"]),
    detail: z.unknown(),
  }),
  z.number(),
);
