/**
 * API tokens for scripts. A token is created by a member for the current tenant; it acts only
 * there, with its creator's role at the time of each call, and dies when revoked or when its
 * creator leaves the tenant. The secret is returned once and stored only as a hash.
 */
import type { Database } from "@/db/client";
import { bindTokenToTenant, deleteTenantToken, deleteTokenById, findTenantToken } from "@/db/queries/tokens";
import type { Auth } from "../auth/auth";
import { hasRole, type TenantRole } from "../auth/roles";
import { AppError } from "../errors";

export async function createTenantToken(
  auth: Auth,
  db: Database,
  params: { tenantId: string; userId: string; name: string; expiresInDays?: number },
) {
  const created = await auth.api.createApiKey({
    body: {
      name: params.name,
      userId: params.userId,
      expiresIn: params.expiresInDays ? params.expiresInDays * 86_400 : undefined,
      metadata: { tenantId: params.tenantId },
    },
  });
  try {
    await bindTokenToTenant(db, created.id, params.tenantId);
  } catch (error) {
    // A key without a tenant is refused anyway; remove it so it does not linger.
    await deleteTokenById(db, created.id).catch(() => undefined);
    throw error;
  }
  return { id: created.id, name: params.name, secret: created.key, expiresAt: created.expiresAt ?? null };
}

/** Members revoke their own tokens; admins and owners revoke any token of the tenant. */
export async function revokeTenantToken(db: Database, tenantId: string, actor: { userId: string; role: TenantRole }, tokenId: string) {
  const token = await findTenantToken(db, tenantId, tokenId);
  if (!token) throw new AppError("NOT_FOUND", "API token not found.");
  if (token.createdById !== actor.userId && !hasRole(actor.role, "admin")) {
    throw new AppError("FORBIDDEN", "Only admins and owners can revoke another member's token.");
  }
  await deleteTenantToken(db, tenantId, tokenId);
}
