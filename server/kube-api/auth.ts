/**
 * Who calls the Kubernetes API: an API token, nothing else. Cookies are never read on this
 * port (a browser's session must not reach an API that kubectl speaks), so the token path of
 * resolvePrincipal is the only one.
 *
 * Guarantees: no token, or one that is malformed, unknown, expired or revoked → Unauthorized;
 * a tenant token acts in its own tenant only, with its creator's current role there (read
 * fresh, so a removed member stops at once: Forbidden); an operator token reads every tenant
 * and changes nothing (the tRPC rule: changes need a signed-in operator). A resolved caller is
 * reused for a few seconds (caller-cache.ts says exactly when it is dropped).
 */
import { bearerToken, type Principal, resolvePrincipal } from "../auth/principal";
import { hasRole, type TenantRole } from "../auth/roles";
import { findMembership } from "@/db/queries/tenancy";
import { AppError } from "../errors";
import type { Services } from "../services";
import { credentialEpoch } from "../auth/credential-epoch";
import { type CallerCache, createCallerCache } from "./caller-cache";
import { KubeError } from "./status";

const resolvedCallers = createCallerCache();

export type Caller =
  | { scope: "tenant"; principal: Principal; tenantId: string; tenantSlug: string; role: TenantRole; username: string }
  | { scope: "operator"; principal: Principal; tenantId: null; tenantSlug: null; role: null; username: string };

/** Resolve the caller from the Authorization header only; throws Unauthorized/Forbidden KubeErrors. */
export async function authenticate(
  services: Services,
  headers: Headers,
  cache: CallerCache = resolvedCallers,
): Promise<Caller> {
  const token = bearerToken(headers);
  if (!token) throw new KubeError("Unauthorized", "Unauthorized: an API token is required (Authorization: Bearer).");
  const cached = cache.get(token);
  if (cached) return cached;
  const epoch = credentialEpoch();
  const caller = await resolveCaller(services, token);
  cache.set(token, caller, epoch);
  return caller;
}

async function resolveCaller(services: Services, token: string): Promise<Caller> {
  let principal: Principal | null;
  try {
    principal = await resolvePrincipal(services.auth, services.db, new Headers({ authorization: `Bearer ${token}` }));
  } catch (error) {
    if (error instanceof AppError) throw new KubeError("Unauthorized", error.message);
    throw error;
  }
  if (principal?.kind !== "token") throw new KubeError("Unauthorized", "Unauthorized");
  const username = principal.user.email;
  if (principal.scope === "operator")
    return { scope: "operator", principal, tenantId: null, tenantSlug: null, role: null, username };
  const membership = await findMembership(services.db, principal.tenantId, principal.user.id);
  if (!membership) throw new KubeError("Forbidden", "The token's creator is no longer a member of its tenant.");
  return {
    scope: "tenant",
    principal,
    tenantId: principal.tenantId,
    tenantSlug: membership.tenantSlug,
    role: membership.role as TenantRole,
    username,
  };
}

/** The least tenant role each kind of change needs (as the tRPC procedures ask). */
export type WriteNeed = "member" | "admin";

/** Throws Forbidden unless the caller may write with at least `need`. */
export function mustWrite(caller: Caller, need: WriteNeed, what: string): void {
  if (caller.scope === "operator")
    throw new KubeError(
      "Forbidden",
      `${what} is forbidden: operator API tokens read; changes need a signed-in operator.`,
    );
  if (!hasRole(caller.role, need))
    throw new KubeError(
      "Forbidden",
      `${what} is forbidden: user "${caller.username}" needs the ${need} role or higher; it is ${caller.role}.`,
    );
}

/** Whether the caller may make a change needing `need` (for access reviews). */
export function mayWrite(caller: Caller, need: WriteNeed): boolean {
  return caller.scope === "tenant" && hasRole(caller.role, need);
}
