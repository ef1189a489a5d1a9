import { and, eq, not, exists, sql } from "drizzle-orm";
import type { Database } from "../client";
import { session, user } from "../schema";

export async function findUserById(db: Database, userId: string) {
  const [row] = await db
    .select({ id: user.id, name: user.name, email: user.email, isOperator: user.isOperator })
    .from(user)
    .where(eq(user.id, userId));
  return row ?? null;
}

/**
 * Makes `userId` an operator when it is named by `operatorEmail`, or when no operator exists
 * yet and no operator email is configured (the first account of a fresh installation).
 * The "no operator yet" test and the write are one statement.
 */
export async function promoteOperatorIfDue(
  db: Database,
  userId: string,
  email: string,
  operatorEmail?: string,
): Promise<boolean> {
  if (operatorEmail) {
    if (email.toLowerCase() !== operatorEmail.toLowerCase()) return false;
    await db.update(user).set({ isOperator: true }).where(eq(user.id, userId));
    return true;
  }
  const other = db
    .select({ one: sql`1` })
    .from(user)
    .where(and(eq(user.isOperator, true), not(eq(user.id, userId))));
  const rows = await db
    .update(user)
    .set({ isOperator: true })
    .where(and(eq(user.id, userId), not(exists(other))))
    .returning({ id: user.id });
  return rows.length > 0;
}

export async function setOperator(db: Database, userId: string, isOperator: boolean): Promise<boolean> {
  const rows = await db.update(user).set({ isOperator }).where(eq(user.id, userId)).returning({ id: user.id });
  return rows.length > 0;
}

export async function countOperators(db: Database): Promise<number> {
  const rows = await db.select({ id: user.id }).from(user).where(eq(user.isOperator, true));
  return rows.length;
}

/** Points a session at a tenant (the tenant switcher). The caller checks membership first. */
export async function setSessionTenant(db: Database, sessionId: string, tenantId: string | null): Promise<void> {
  await db.update(session).set({ activeOrganizationId: tenantId }).where(eq(session.id, sessionId));
}
