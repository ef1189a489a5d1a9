/** Price-plan versions: append-only, so a change never rewrites a closed period. */
import { asc } from "drizzle-orm";
import type { Database } from "../client";
import { billingPricePlan } from "../schema";

export type PlanRow = typeof billingPricePlan.$inferSelect;
export type NewPlan = typeof billingPricePlan.$inferInsert;

export async function listPlanVersions(db: Database): Promise<PlanRow[]> {
  return db.select().from(billingPricePlan).orderBy(asc(billingPricePlan.effectiveFrom), asc(billingPricePlan.id));
}

export async function insertPlanVersion(db: Database, plan: NewPlan): Promise<PlanRow> {
  const [row] = await db.insert(billingPricePlan).values(plan).returning();
  return row as PlanRow;
}
