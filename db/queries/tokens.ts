/**
 * API tokens: the api-key plugin's rows with our scope ("tenant" with a `tenant_id`, or
 * "operator"). The secret itself is never read back; only its first characters (`start`).
 * Writes that depend on a role are single conditional statements, so a role changed by a
 * concurrent request is either seen or ordered after the write, never half of each.
 */
import { and, desc, eq, exists, inArray, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { apikey, member, user } from "../schema";

export interface TokenView {
  id: string;
  name: string | null;
  start: string | null;
  createdById: string;
  createdByEmail: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

const tokenView = {
  id: apikey.id,
  name: apikey.name,
  start: apikey.start,
  createdById: apikey.referenceId,
  createdByEmail: user.email,
  createdAt: apikey.createdAt,
  expiresAt: apikey.expiresAt,
  lastUsedAt: apikey.lastRequest,
};

export async function listTenantTokens(db: Database, tenantId: string, onlyUserId?: string): Promise<TokenView[]> {
  return db
    .select(tokenView)
    .from(apikey)
    .innerJoin(user, eq(apikey.referenceId, user.id))
    .where(
      and(
        eq(apikey.scope, "tenant"),
        eq(apikey.tenantId, tenantId),
        onlyUserId ? eq(apikey.referenceId, onlyUserId) : undefined,
      ),
    )
    .orderBy(desc(apikey.createdAt));
}

export async function listOperatorTokens(db: Database): Promise<TokenView[]> {
  return db
    .select(tokenView)
    .from(apikey)
    .innerJoin(user, eq(apikey.referenceId, user.id))
    .where(eq(apikey.scope, "operator"))
    .orderBy(desc(apikey.createdAt));
}

export async function findTokenBinding(
  db: Database,
  tokenId: string,
): Promise<{ scope: string; tenantId: string | null } | null> {
  const [row] = await db
    .select({ scope: apikey.scope, tenantId: apikey.tenantId })
    .from(apikey)
    .where(eq(apikey.id, tokenId));
  return row ?? null;
}

/** Binds a new key to its tenant. Callers hold the tenant's membership lock and checked the creator. */
export async function bindTokenToTenant(db: Database, tokenId: string, tenantId: string): Promise<void> {
  await db.update(apikey).set({ scope: "tenant", tenantId }).where(eq(apikey.id, tokenId));
}

/** Makes a new key operator-wide, in one statement with the check that its creator is an operator. */
export async function makeOperatorToken(db: Database, tokenId: string, userId: string): Promise<boolean> {
  const isOperator = db
    .select({ one: sql`1` })
    .from(user)
    .where(and(eq(user.id, userId), eq(user.isOperator, true)));
  const rows = await db
    .update(apikey)
    .set({ scope: "operator", tenantId: null })
    .where(and(eq(apikey.id, tokenId), eq(apikey.referenceId, userId), exists(isOperator)))
    .returning({ id: apikey.id });
  return rows.length > 0;
}

export type RevokeOutcome = "ok" | "not-found" | "forbidden";

/**
 * Revokes (deletes: a deleted key cannot verify again) a tenant's token when the actor made it
 * or is, at this moment, an admin or owner of the tenant: check and delete are one statement.
 */
export async function revokeTenantToken(
  db: Database,
  tenantId: string,
  tokenId: string,
  actorId: string,
): Promise<RevokeOutcome> {
  const actorManages = db
    .select({ one: sql`1` })
    .from(member)
    .where(
      and(eq(member.organizationId, tenantId), eq(member.userId, actorId), inArray(member.role, ["owner", "admin"])),
    );
  const actorIsMember = db
    .select({ one: sql`1` })
    .from(member)
    .where(and(eq(member.organizationId, tenantId), eq(member.userId, actorId)));
  const rows = await db
    .delete(apikey)
    .where(
      and(
        eq(apikey.scope, "tenant"),
        eq(apikey.tenantId, tenantId),
        eq(apikey.id, tokenId),
        or(exists(actorManages), and(eq(apikey.referenceId, actorId), exists(actorIsMember))),
      ),
    )
    .returning({ id: apikey.id });
  if (rows.length > 0) return "ok";
  const [left] = await db
    .select({ id: apikey.id })
    .from(apikey)
    .where(and(eq(apikey.scope, "tenant"), eq(apikey.tenantId, tenantId), eq(apikey.id, tokenId)));
  return left ? "forbidden" : "not-found";
}

/** Revokes an operator token when the actor is, at this moment, an operator. */
export async function revokeOperatorToken(db: Database, tokenId: string, actorId: string): Promise<RevokeOutcome> {
  const actorIsOperator = db
    .select({ one: sql`1` })
    .from(user)
    .where(and(eq(user.id, actorId), eq(user.isOperator, true)));
  const rows = await db
    .delete(apikey)
    .where(and(eq(apikey.scope, "operator"), eq(apikey.id, tokenId), exists(actorIsOperator)))
    .returning({ id: apikey.id });
  if (rows.length > 0) return "ok";
  const [left] = await db
    .select({ id: apikey.id })
    .from(apikey)
    .where(and(eq(apikey.scope, "operator"), eq(apikey.id, tokenId)));
  return left ? "forbidden" : "not-found";
}

/**
 * A member's tokens of one tenant, deleted with their membership (same transaction). Only
 * tenant-scoped ones: an operator token is not the tenant's, whatever its `tenant_id` says.
 */
export async function deleteMemberTokens(db: Database, tenantId: string, userId: string): Promise<number> {
  const rows = await db
    .delete(apikey)
    .where(and(eq(apikey.scope, "tenant"), eq(apikey.tenantId, tenantId), eq(apikey.referenceId, userId)))
    .returning({ id: apikey.id });
  return rows.length;
}

export async function deleteTokenById(db: Database, tokenId: string): Promise<void> {
  await db.delete(apikey).where(eq(apikey.id, tokenId));
}
