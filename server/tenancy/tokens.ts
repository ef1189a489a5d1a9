/**
 * API tokens for scripts. A tenant token is created by a member for the current tenant; it
 * acts only there, with its creator's role at the time of each call, and is deleted when
 * revoked or when its creator leaves the tenant. An operator token (admin dashboard) has no
 * tenant and reads operator-wide while its creator is an operator. The secret is returned
 * once and stored only as a hash.
 */
import type { Database } from "@/db/client";
import { inMembershipTransaction } from "@/db/queries/memberships";
import {
  bindTokenToTenant,
  deleteTokenById,
  makeOperatorToken,
  revokeOperatorToken,
  revokeTenantToken,
  type RevokeOutcome,
} from "@/db/queries/tokens";
import type { Auth } from "../auth/auth";
import { AppError } from "../errors";
import { requireRole } from "./members";

interface TokenParams {
  userId: string;
  name: string;
  expiresInDays?: number;
}

async function createKey(auth: Auth, params: TokenParams) {
  return auth.api.createApiKey({
    body: {
      name: params.name,
      userId: params.userId,
      expiresIn: params.expiresInDays ? params.expiresInDays * 86_400 : undefined,
    },
  });
}

/** Runs `bind`; a key it did not bind is deleted (it would be refused anyway), and the refusal passed on. */
async function bindOrDelete(db: Database, keyId: string, bind: () => Promise<void>) {
  try {
    await bind();
  } catch (error) {
    await deleteTokenById(db, keyId).catch(() => undefined);
    throw error;
  }
}

export async function createTenantToken(auth: Auth, db: Database, params: TokenParams & { tenantId: string }) {
  const created = await createKey(auth, params);
  // Bound under the membership lock with the creator's role read there: a creator removed
  // meanwhile cannot leave a bound token behind for a later re-invitation to revive.
  await bindOrDelete(db, created.id, async () => {
    const bound = await inMembershipTransaction(db, params.tenantId, async (tx) => {
      await requireRole(tx, params.tenantId, params.userId, "member");
      await bindTokenToTenant(tx, created.id, params.tenantId);
      return true;
    });
    if (!bound) throw new AppError("NOT_FOUND", "Tenant not found.");
  });
  return { id: created.id, name: params.name, secret: created.key, expiresAt: created.expiresAt ?? null };
}

export async function createOperatorToken(auth: Auth, db: Database, params: TokenParams) {
  const created = await createKey(auth, params);
  await bindOrDelete(db, created.id, async () => {
    if (!(await makeOperatorToken(db, created.id, params.userId)))
      throw new AppError("FORBIDDEN", "Only operators can do this.");
  });
  return { id: created.id, name: params.name, secret: created.key, expiresAt: created.expiresAt ?? null };
}

function raise(outcome: RevokeOutcome, forbidden: string) {
  if (outcome === "not-found") throw new AppError("NOT_FOUND", "API token not found.");
  if (outcome === "forbidden") throw new AppError("FORBIDDEN", forbidden);
}

/** Members revoke their own tokens; admins and owners any token of the tenant (roles as of the delete). */
export async function revokeTenantTokenAs(db: Database, tenantId: string, actorId: string, tokenId: string) {
  raise(
    await revokeTenantToken(db, tenantId, tokenId, actorId),
    "Only admins and owners can revoke another member's token.",
  );
}

export async function revokeOperatorTokenAs(db: Database, actorId: string, tokenId: string) {
  raise(await revokeOperatorToken(db, tokenId, actorId), "Only operators can do this.");
}
