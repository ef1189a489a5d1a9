/**
 * Who is calling: a browser session (cookie) or a script (Bearer API token). Resolved once
 * per request; the tenant a token acts in comes from the token's record, never from input.
 *
 * A token has a scope. A tenant token acts in its tenant only, and is never an operator, even
 * when its creator is one (`user.isOperator` is false for it). An operator token (made on the
 * admin dashboard) has no tenant and carries its creator's operator role while they keep it.
 */
import type { Database } from "@/db/client";
import { findTokenBinding } from "@/db/queries/tokens";
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
  | { kind: "token"; scope: "tenant"; user: PrincipalUser; tokenId: string; tokenName: string; tenantId: string }
  | { kind: "token"; scope: "operator"; user: PrincipalUser; tokenId: string; tokenName: string; tenantId: null };

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
    throw new AppError(
      "UNAUTHORIZED",
      expired ? "The API token has expired." : "The API token is invalid or has been revoked.",
    );
  }
  const [binding, user] = await Promise.all([
    findTokenBinding(db, result.key.id),
    findUserById(db, result.key.referenceId),
  ]);
  if (!binding || !user) throw new AppError("UNAUTHORIZED", "The API token is invalid or has been revoked.");
  const common = { kind: "token" as const, tokenId: result.key.id, tokenName: result.key.name ?? "" };
  if (binding.scope === "operator") {
    if (!user.isOperator) throw new AppError("UNAUTHORIZED", "The API token's creator is no longer an operator.");
    return { ...common, scope: "operator", user, tenantId: null };
  }
  if (!binding.tenantId) throw new AppError("UNAUTHORIZED", "The API token is invalid or has been revoked.");
  return { ...common, scope: "tenant", user: { ...user, isOperator: false }, tenantId: binding.tenantId };
}
