/**
 * Membership writes and the lock that makes their checks hold.
 *
 * `inMembershipTransaction` opens a transaction and first locks the tenant's row (FOR NO KEY
 * UPDATE: it serialises the membership writes of one tenant, yet does not block the many rows
 * that merely reference the tenant). Everything read after it (the actor's role, the target's
 * role, the owner count, an invitation's state) stays true until the write commits, so role
 * rules and the last-owner rule hold under any interleaving of requests.
 */
import { and, count, eq } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Database } from "../client";
import { member, organization, user } from "../schema";

export type MemberRow = typeof member.$inferSelect;

/** Runs `work` holding the tenant's membership lock; null when the tenant does not exist. */
export async function inMembershipTransaction<T>(
  db: Database,
  tenantId: string,
  work: (tx: Database) => Promise<T>,
): Promise<T | null> {
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Database;
    const [tenant] = await tx
      .select({ id: organization.id })
      .from(organization)
      .where(eq(organization.id, tenantId))
      .for("no key update");
    if (!tenant) return null;
    return work(tx);
  });
}

export async function findMemberRole(db: Database, tenantId: string, userId: string): Promise<string | null> {
  const [row] = await db
    .select({ role: member.role })
    .from(member)
    .where(and(eq(member.organizationId, tenantId), eq(member.userId, userId)));
  return row?.role ?? null;
}

export async function findMemberById(db: Database, tenantId: string, memberId: string): Promise<MemberRow | null> {
  const [row] = await db
    .select()
    .from(member)
    .where(and(eq(member.organizationId, tenantId), eq(member.id, memberId)));
  return row ?? null;
}

export async function countTenantOwners(db: Database, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(member)
    .where(and(eq(member.organizationId, tenantId), eq(member.role, "owner")));
  return row?.n ?? 0;
}

export async function updateMemberRole(db: Database, tenantId: string, memberId: string, role: string): Promise<void> {
  await db
    .update(member)
    .set({ role })
    .where(and(eq(member.organizationId, tenantId), eq(member.id, memberId)));
}

export async function deleteMember(db: Database, tenantId: string, memberId: string): Promise<void> {
  await db.delete(member).where(and(eq(member.organizationId, tenantId), eq(member.id, memberId)));
}

/** Adds a membership; null when the user is already a member. */
export async function insertMember(
  db: Database,
  tenantId: string,
  userId: string,
  role: string,
): Promise<MemberRow | null> {
  const [row] = await db
    .insert(member)
    .values({ id: randomUUID(), organizationId: tenantId, userId, role })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/** The membership of whoever has this address in this tenant (it says nothing about other tenants). */
export async function findMemberByEmail(db: Database, tenantId: string, email: string): Promise<MemberRow | null> {
  const [row] = await db
    .select({ member })
    .from(member)
    .innerJoin(user, eq(member.userId, user.id))
    .where(and(eq(member.organizationId, tenantId), eq(user.email, email.toLowerCase())));
  return row?.member ?? null;
}
