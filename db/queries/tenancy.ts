/**
 * Tenants (better-auth "organizations") and their members, as read by the console.
 * Membership writes are in ./memberships (under the tenant's membership lock), invitations
 * in ./invitations.
 * Every function that reads or writes inside a tenant takes the tenant id explicitly and
 * filters by it: a row of another tenant is simply not found.
 */
import { and, asc, count, eq, gt, ilike, inArray, or, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Database } from "../client";
import { member, organization, user } from "../schema";

export type TenantRow = typeof organization.$inferSelect;

export interface Membership {
  tenantId: string;
  tenantName: string;
  tenantSlug: string;
  role: string;
}

export async function listMembershipsOfUser(db: Database, userId: string): Promise<Membership[]> {
  return db
    .select({
      tenantId: organization.id,
      tenantName: organization.name,
      tenantSlug: organization.slug,
      role: member.role,
    })
    .from(member)
    .innerJoin(organization, eq(member.organizationId, organization.id))
    .where(eq(member.userId, userId))
    .orderBy(asc(organization.name));
}

export async function findMembership(db: Database, tenantId: string, userId: string): Promise<Membership | null> {
  const [row] = await db
    .select({
      tenantId: organization.id,
      tenantName: organization.name,
      tenantSlug: organization.slug,
      role: member.role,
    })
    .from(member)
    .innerJoin(organization, eq(member.organizationId, organization.id))
    .where(and(eq(member.organizationId, tenantId), eq(member.userId, userId)));
  return row ?? null;
}

export async function findTenantBySlug(db: Database, slug: string): Promise<TenantRow | null> {
  const [row] = await db.select().from(organization).where(eq(organization.slug, slug));
  return row ?? null;
}

/** Creates a tenant with `ownerId` as its owner, atomically (the demo loader; people go through `createTenantWithinLimit`). */
export async function createTenant(
  db: Database,
  params: { name: string; slug: string; ownerId: string },
): Promise<TenantRow> {
  const result = await createTenantWithinLimit(db, { ...params, maxTenants: null });
  if (result.kind !== "created") throw new Error(`tenant ${params.slug} could not be created: ${result.kind}`);
  return result.tenant;
}

export type CreateTenantResult =
  | { kind: "created"; tenant: TenantRow }
  | { kind: "slug-taken" }
  | { kind: "limit-reached"; limit: number };

/**
 * Creates a tenant owned by `ownerId` unless its slug is taken or the account has created
 * `maxTenants` already (null: no limit). One transaction: the creator's user row is locked
 * so that concurrent creations by one account count one after the other, and the slug is
 * claimed by the insert itself (ON CONFLICT), so a concurrent duplicate is a "slug-taken"
 * answer rather than a unique-index error.
 */
export async function createTenantWithinLimit(
  db: Database,
  params: { name: string; slug: string; ownerId: string; maxTenants: number | null },
): Promise<CreateTenantResult> {
  return db.transaction(async (tx) => {
    if (params.maxTenants !== null) {
      await tx.select({ id: user.id }).from(user).where(eq(user.id, params.ownerId)).for("no key update");
      const [made] = await tx
        .select({ n: count() })
        .from(organization)
        .where(eq(organization.createdById, params.ownerId));
      if ((made?.n ?? 0) >= params.maxTenants) return { kind: "limit-reached", limit: params.maxTenants };
    }
    const [tenant] = await tx
      .insert(organization)
      .values({ id: randomUUID(), name: params.name, slug: params.slug, createdById: params.ownerId })
      .onConflictDoNothing({ target: organization.slug })
      .returning();
    if (!tenant) return { kind: "slug-taken" };
    await tx
      .insert(member)
      .values({ id: randomUUID(), organizationId: tenant.id, userId: params.ownerId, role: "owner" });
    return { kind: "created", tenant };
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
    .select({
      id: member.id,
      userId: user.id,
      name: user.name,
      email: user.email,
      role: member.role,
      createdAt: member.createdAt,
    })
    .from(member)
    .innerJoin(user, eq(member.userId, user.id))
    .where(eq(member.organizationId, tenantId))
    .orderBy(asc(user.email));
}

/** Pending invitations live in ./invitations; re-exported for the callers that list them with members. */
export { listPendingInvitations } from "./invitations";

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
      createdById: organization.createdById,
      // A join, not a correlated subquery: in a one-table select Drizzle writes columns without their
      // table, so `organization_id = id` inside the subquery compared member's own columns (always 0).
      members: count(member.id),
    })
    .from(organization)
    .leftJoin(member, eq(member.organizationId, organization.id))
    .where(
      and(
        params.cursor ? gt(organization.slug, params.cursor) : undefined,
        params.search
          ? or(
              ilike(organization.name, `%${escapeLike(params.search)}%`),
              ilike(organization.slug, `%${escapeLike(params.search)}%`),
            )
          : undefined,
      ),
    )
    .groupBy(organization.id)
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
  const rows = await db
    .select({ id: organization.id, name: organization.name })
    .from(organization)
    .where(inArray(organization.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}
