/**
 * Tenants (better-auth "organizations"), their members and pending invitations.
 * Every function that reads or writes inside a tenant takes the tenant id explicitly and
 * filters by it: a row of another tenant is simply not found.
 */
import { and, asc, count, desc, eq, gt, ilike, inArray, or, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Database } from "../client";
import { invitation, member, organization, user } from "../schema";

export type TenantRow = typeof organization.$inferSelect;
export type MemberRow = typeof member.$inferSelect;

export interface Membership {
  tenantId: string;
  tenantName: string;
  tenantSlug: string;
  role: string;
}

export async function listMembershipsOfUser(db: Database, userId: string): Promise<Membership[]> {
  return db
    .select({ tenantId: organization.id, tenantName: organization.name, tenantSlug: organization.slug, role: member.role })
    .from(member)
    .innerJoin(organization, eq(member.organizationId, organization.id))
    .where(eq(member.userId, userId))
    .orderBy(asc(organization.name));
}

export async function findMembership(db: Database, tenantId: string, userId: string): Promise<Membership | null> {
  const [row] = await db
    .select({ tenantId: organization.id, tenantName: organization.name, tenantSlug: organization.slug, role: member.role })
    .from(member)
    .innerJoin(organization, eq(member.organizationId, organization.id))
    .where(and(eq(member.organizationId, tenantId), eq(member.userId, userId)));
  return row ?? null;
}

export async function findTenantBySlug(db: Database, slug: string): Promise<TenantRow | null> {
  const [row] = await db.select().from(organization).where(eq(organization.slug, slug));
  return row ?? null;
}

/** Creates a tenant with `ownerId` as its owner, atomically. */
export async function createTenant(db: Database, params: { name: string; slug: string; ownerId: string }): Promise<TenantRow> {
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .insert(organization)
      .values({ id: randomUUID(), name: params.name, slug: params.slug })
      .returning();
    if (!tenant) throw new Error("tenant insert returned nothing");
    await tx.insert(member).values({ id: randomUUID(), organizationId: tenant.id, userId: params.ownerId, role: "owner" });
    return tenant;
  });
}

export async function renameTenant(db: Database, tenantId: string, name: string): Promise<void> {
  await db.update(organization).set({ name }).where(eq(organization.id, tenantId));
}

export interface MemberView {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: string;
  createdAt: Date;
}

export async function listMembers(db: Database, tenantId: string): Promise<MemberView[]> {
  return db
    .select({ id: member.id, userId: user.id, name: user.name, email: user.email, role: member.role, createdAt: member.createdAt })
    .from(member)
    .innerJoin(user, eq(member.userId, user.id))
    .where(eq(member.organizationId, tenantId))
    .orderBy(asc(user.email));
}

export async function findMember(db: Database, tenantId: string, memberId: string): Promise<MemberRow | null> {
  const [row] = await db.select().from(member).where(and(eq(member.organizationId, tenantId), eq(member.id, memberId)));
  return row ?? null;
}

export async function countOwners(db: Database, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(member)
    .where(and(eq(member.organizationId, tenantId), eq(member.role, "owner")));
  return row?.n ?? 0;
}

export async function findUserByEmail(db: Database, email: string) {
  const [row] = await db.select().from(user).where(eq(user.email, email.toLowerCase()));
  return row ?? null;
}

export async function addMember(db: Database, tenantId: string, userId: string, role: string): Promise<MemberRow> {
  const [row] = await db
    .insert(member)
    .values({ id: randomUUID(), organizationId: tenantId, userId, role })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new MembershipExistsError();
  return row;
}

export class MembershipExistsError extends Error {}

/** Locks the tenant's owner rows (so concurrent demotions serialise) and finds the member. */
async function lockOwnersAndFind(tx: Database, tenantId: string, memberId: string): Promise<{ owners: number; target: MemberRow | undefined }> {
  const owners = await tx
    .select({ id: member.id })
    .from(member)
    .where(and(eq(member.organizationId, tenantId), eq(member.role, "owner")))
    .for("update");
  const [target] = await tx.select().from(member).where(and(eq(member.organizationId, tenantId), eq(member.id, memberId)));
  return { owners: owners.length, target };
}

/**
 * Changes a member's role unless that would leave the tenant without an owner. The check and
 * the write share one transaction with the tenant's owner rows locked, so two concurrent
 * demotions cannot both pass.
 */
export async function setMemberRole(
  db: Database,
  tenantId: string,
  memberId: string,
  role: string,
): Promise<"ok" | "not-found" | "last-owner"> {
  return db.transaction(async (tx) => {
    const { owners, target } = await lockOwnersAndFind(tx as unknown as Database, tenantId, memberId);
    if (!target) return "not-found";
    if (target.role === "owner" && role !== "owner" && owners <= 1) return "last-owner";
    await tx.update(member).set({ role }).where(eq(member.id, memberId));
    return "ok";
  });
}

/** Removes a member (and nothing else: their API tokens stop working through the membership check). */
export async function removeMember(db: Database, tenantId: string, memberId: string): Promise<"ok" | "not-found" | "last-owner"> {
  return db.transaction(async (tx) => {
    const { owners, target } = await lockOwnersAndFind(tx as unknown as Database, tenantId, memberId);
    if (!target) return "not-found";
    if (target.role === "owner" && owners <= 1) return "last-owner";
    await tx.delete(member).where(eq(member.id, memberId));
    return "ok";
  });
}

export type InvitationRow = typeof invitation.$inferSelect;

export async function listPendingInvitations(db: Database, tenantId: string, now: Date): Promise<InvitationRow[]> {
  return db
    .select()
    .from(invitation)
    .where(and(eq(invitation.organizationId, tenantId), eq(invitation.status, "pending"), gt(invitation.expiresAt, now)))
    .orderBy(desc(invitation.createdAt));
}

export async function createInvitation(
  db: Database,
  params: { tenantId: string; email: string; role: string; inviterId: string; expiresAt: Date },
): Promise<InvitationRow> {
  return db.transaction(async (tx) => {
    // A second invitation to the same address replaces the first.
    await tx
      .update(invitation)
      .set({ status: "canceled" })
      .where(and(eq(invitation.organizationId, params.tenantId), eq(invitation.email, params.email), eq(invitation.status, "pending")));
    const [row] = await tx
      .insert(invitation)
      .values({ id: randomUUID(), organizationId: params.tenantId, email: params.email, role: params.role, inviterId: params.inviterId, expiresAt: params.expiresAt })
      .returning();
    if (!row) throw new Error("invitation insert returned nothing");
    return row;
  });
}

export async function cancelInvitation(db: Database, tenantId: string, invitationId: string): Promise<boolean> {
  const rows = await db
    .update(invitation)
    .set({ status: "canceled" })
    .where(and(eq(invitation.organizationId, tenantId), eq(invitation.id, invitationId), eq(invitation.status, "pending")))
    .returning({ id: invitation.id });
  return rows.length > 0;
}

/** Turns a new user's pending, unexpired invitations into memberships. */
export async function acceptInvitationsFor(db: Database, userId: string, email: string, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const pending = await tx
      .select()
      .from(invitation)
      .where(and(eq(invitation.email, email.toLowerCase()), eq(invitation.status, "pending"), gt(invitation.expiresAt, now)));
    for (const inv of pending) {
      await tx
        .insert(member)
        .values({ id: randomUUID(), organizationId: inv.organizationId, userId, role: inv.role ?? "member" })
        .onConflictDoNothing();
      await tx.update(invitation).set({ status: "accepted" }).where(eq(invitation.id, inv.id));
    }
    return pending.length;
  });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Operators: every tenant with its member count, ordered by tenant id (slug), keyset-paginated. */
export async function listAllTenants(
  db: Database,
  params: { limit: number; cursor?: string; search?: string },
): Promise<Page<TenantRow & { members: number }>> {
  const rows = await db
    .select({
      id: organization.id,
      name: organization.name,
      slug: organization.slug,
      logo: organization.logo,
      createdAt: organization.createdAt,
      metadata: organization.metadata,
      members: sql<number>`(select count(*)::int from ${member} where ${member.organizationId} = ${organization.id})`,
    })
    .from(organization)
    .where(
      and(
        params.cursor ? gt(organization.slug, params.cursor) : undefined,
        params.search ? or(ilike(organization.name, `%${escapeLike(params.search)}%`), ilike(organization.slug, `%${escapeLike(params.search)}%`)) : undefined,
      ),
    )
    .orderBy(asc(organization.slug))
    .limit(params.limit + 1);
  return paginate(rows, params.limit, (r) => r.slug);
}

export async function listAllUsers(db: Database, params: { limit: number; cursor?: string; search?: string }) {
  const rows = await db
    .select({ id: user.id, name: user.name, email: user.email, isOperator: user.isOperator, createdAt: user.createdAt })
    .from(user)
    .where(
      and(
        params.cursor ? gt(user.email, params.cursor) : undefined,
        params.search ? ilike(user.email, `%${escapeLike(params.search)}%`) : undefined,
      ),
    )
    .orderBy(asc(user.email))
    .limit(params.limit + 1);
  return paginate(rows, params.limit, (r) => r.email);
}

export async function countTenantsAndUsers(db: Database) {
  const [tenants] = await db.select({ n: count() }).from(organization);
  const [users] = await db.select({ n: count() }).from(user);
  const [operators] = await db.select({ n: count() }).from(user).where(eq(user.isOperator, true));
  return { tenants: tenants?.n ?? 0, users: users?.n ?? 0, operators: operators?.n ?? 0 };
}

export function paginate<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listTenantNames(db: Database, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: organization.id, name: organization.name }).from(organization).where(inArray(organization.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}
