/**
 * Whether the caller behind a live stream may still read its tenant: asked again while the
 * stream is open, because tenantProcedure's check ran once, when it was opened, and a stream
 * lives for hours. Same rules as the rung: the principal resolved afresh from the request's
 * headers (a signed-out session or a revoked token no longer resolves), the same current tenant,
 * and a membership that still exists.
 */
import { findMembership } from "@/db/queries/tenancy";
import { resolvePrincipal } from "../auth/principal";
import type { Services } from "../services";

export async function mayStillRead(services: Services, headers: Headers, tenantId: string): Promise<boolean> {
  const principal = await resolvePrincipal(services.auth, services.db, headers).catch(() => null);
  if (!principal) return false;
  const current = principal.kind === "token" ? principal.tenantId : principal.activeTenantId;
  if (current !== tenantId) return false;
  return (await findMembership(services.db, tenantId, principal.user.id)) !== null;
}

/** Whether the caller behind the operators' stream is still a signed-in operator. */
export async function mayStillOperate(services: Services, headers: Headers): Promise<boolean> {
  const principal = await resolvePrincipal(services.auth, services.db, headers).catch(() => null);
  return principal !== null && principal.kind === "session" && principal.user.isOperator;
}
