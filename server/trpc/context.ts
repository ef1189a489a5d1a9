/**
 * The per-request context: services and the resolved caller. The per-call scratch record that
 * inner middlewares fill in for the audit log (`ctx.audit`: the tenant, the target) is added by
 * the boundary middleware (init.ts), one per call, since a batched request holds several calls.
 */
import { randomUUID } from "node:crypto";
import type { Principal } from "../auth/principal";
import { resolvePrincipal } from "../auth/principal";
import { AppError } from "../errors";
import type { Services } from "../services";

/** What a call's audit record says it acted on; set by the rung or procedure that knows. */
export interface AuditScope {
  tenantId?: string;
  target?: string;
}

export interface Context {
  services: Services;
  headers: Headers;
  requestId: string;
  principal: Principal | null;
  /** Set when the principal could not be resolved (a bad token): reported by authed procedures. */
  principalError: AppError | null;
}

export async function createContext(services: Services, headers: Headers): Promise<Context> {
  let principal: Principal | null = null;
  let principalError: AppError | null = null;
  try {
    principal = await resolvePrincipal(services.auth, services.db, headers);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    principalError = error;
  }
  return { services, headers, requestId: randomUUID(), principal, principalError };
}
