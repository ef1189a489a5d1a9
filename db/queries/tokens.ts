/**
 * API tokens as tenants see them: the api-key plugin's rows, filtered by our `tenant_id`.
 * The secret itself is never read back; only its first characters (`start`).
 */
import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../client";
import { apikey, user } from "../schema";

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

export async function listTenantTokens(db: Database, tenantId: string, onlyUserId?: string): Promise<TokenView[]> {
  return db
    .select({
      id: apikey.id,
      name: apikey.name,
      start: apikey.start,
      createdById: apikey.referenceId,
      createdByEmail: user.email,
      createdAt: apikey.createdAt,
      expiresAt: apikey.expiresAt,
      lastUsedAt: apikey.lastRequest,
    })
    .from(apikey)
    .innerJoin(user, eq(apikey.referenceId, user.id))
    .where(and(eq(apikey.tenantId, tenantId), onlyUserId ? eq(apikey.referenceId, onlyUserId) : undefined))
    .orderBy(desc(apikey.createdAt));
}

export async function findTenantToken(db: Database, tenantId: string, tokenId: string) {
  const [row] = await db
    .select({ id: apikey.id, name: apikey.name, createdById: apikey.referenceId })
    .from(apikey)
    .where(and(eq(apikey.tenantId, tenantId), eq(apikey.id, tokenId)));
  return row ?? null;
}

export async function bindTokenToTenant(db: Database, tokenId: string, tenantId: string): Promise<void> {
  await db.update(apikey).set({ tenantId }).where(eq(apikey.id, tokenId));
}

export async function findTokenTenant(db: Database, tokenId: string): Promise<string | null> {
  const [row] = await db.select({ tenantId: apikey.tenantId }).from(apikey).where(eq(apikey.id, tokenId));
  return row?.tenantId ?? null;
}

/** Revocation deletes the row: a deleted key cannot verify again. */
export async function deleteTenantToken(db: Database, tenantId: string, tokenId: string): Promise<boolean> {
  const rows = await db.delete(apikey).where(and(eq(apikey.tenantId, tenantId), eq(apikey.id, tokenId))).returning({ id: apikey.id });
  return rows.length > 0;
}

export async function deleteTokenById(db: Database, tokenId: string): Promise<void> {
  await db.delete(apikey).where(eq(apikey.id, tokenId));
}
