/** Alert rules: per deployment, tenant-scoped. */
import { and, eq } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Database } from "../client";
import type { Scope } from "../scope";
import { alertRule } from "../schema";

export type AlertRuleRow = typeof alertRule.$inferSelect;
export type AlertKind = "cpu_over_request" | "restarts";

/** A tenant's rules, or (operator scope: the evaluator) every tenant's. */
export async function listAlertRules(db: Database, scope: Scope): Promise<AlertRuleRow[]> {
  return db
    .select()
    .from(alertRule)
    .where(scope.kind === "tenant" ? eq(alertRule.tenantId, scope.tenantId) : undefined)
    .orderBy(alertRule.createdAt);
}

export async function createAlertRule(
  db: Database,
  params: {
    tenantId: string;
    deploymentId: string;
    deploymentName: string;
    kind: AlertKind;
    threshold: number;
    forSeconds: number;
    now: number;
  },
): Promise<AlertRuleRow> {
  const [row] = await db
    .insert(alertRule)
    .values({
      id: randomUUID(),
      tenantId: params.tenantId,
      deploymentId: params.deploymentId,
      deploymentName: params.deploymentName,
      kind: params.kind,
      threshold: params.threshold,
      forSeconds: params.forSeconds,
      createdAt: params.now,
    })
    .returning();
  if (!row) throw new Error("alert rule insert returned nothing");
  return row;
}

export async function deleteAlertRule(db: Database, tenantId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(alertRule)
    .where(and(eq(alertRule.tenantId, tenantId), eq(alertRule.id, id)))
    .returning({ id: alertRule.id });
  return rows.length > 0;
}

export async function saveAlertState(
  db: Database,
  id: string,
  state: { pendingSince: number | null; firing: boolean },
): Promise<void> {
  await db
    .update(alertRule)
    .set({ pendingSince: state.pendingSince, firing: state.firing ? 1 : 0 })
    .where(eq(alertRule.id, id));
}
