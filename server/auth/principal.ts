/**
 * Who is calling: a browser session (cookie) or a script (Bearer API token). Resolved once
 * per request; the tenant a token acts in comes from the token's record, never from input.
 */
import type { Database } from "@/db/client";
import { findTokenTenant } from "@/db/queries/tokens";
import { findUserById } from "@/db/queries/users";
import { AppError } from "../errors";
import type { Auth } from "./auth";

export interface PrincipalUser {
  id: string;
  email: string;
  name: string;
  isOperator: boolean;
}

export type Principal =
  | { kind: "session"; user: PrincipalUser; sessionId: string; activeTenantId: string | null }
  | { kind: "token"; user: PrincipalUser; tokenId: string; tokenName: string; tenantId: string };

export function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  if (!value) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match?.[1] ?? null;
}

/**
 * Returns the caller, null for an anonymous request, or throws UNAUTHORIZED for a token
 * that is malformed, unknown, expired or revoked (a script must hear why it was refused).
 */
export async function resolvePrincipal(auth: Auth, db: Database, headers: Headers): Promise<Principal | null> {
  const token = bearerToken(headers);
  if (token) return resolveToken(auth, db, token);
  const found = await auth.api.getSession({ headers });
  if (!found) return null;
  const user = await findUserById(db, found.user.id);
  if (!user) return null;
  const activeTenantId = (found.session as { activeOrganizationId?: string | null }).activeOrganizationId ?? null;
  return { kind: "session", user, sessionId: found.session.id, activeTenantId };
}

async function resolveToken(auth: Auth, db: Database, token: string): Promise<Principal> {
  if (token.length > 256) throw new AppError("UNAUTHORIZED", "The API token is malformed.");
  const result = await auth.api.verifyApiKey({ body: { key: token } });
  if (!result.valid || !result.key) {
    const expired = result.error?.code === "KEY_EXPIRED";
    throw new AppError("UNAUTHORIZED", expired ? "The API token has expired." : "The API token is invalid or has been revoked.");
  }
  const tenantId = await findTokenTenant(db, result.key.id);
  const user = await findUserById(db, result.key.referenceId);
  if (!tenantId || !user) throw new AppError("UNAUTHORIZED", "The API token is invalid or has been revoked.");
  return { kind: "token", user, tokenId: result.key.id, tokenName: result.key.name ?? "", tenantId };
}
