/** The audit log: one row per mutation attempt, successful or not. Never updated. */
import { index, jsonb, pgTable, text, timestamp, bigserial } from "drizzle-orm/pg-core";
import { organization } from "./auth";

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** The acting user's id and email, copied so the record survives the user's deletion. */
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    /** "session" or "token:<name>" */
    via: text("via").notNull(),
    tenantId: text("tenant_id").references(() => organization.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    target: text("target"),
    outcome: text("outcome", { enum: ["success", "failure"] }).notNull(),
    detail: jsonb("detail"),
  },
  (t) => [index("audit_log_tenant_at_idx").on(t.tenantId, t.at), index("audit_log_at_idx").on(t.at)],
);
