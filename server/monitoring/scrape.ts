/**
 * A Prometheus scrape, decided from the request's headers: authenticated by an API token
 * only (scrapers have no session); a tenant's token yields its tenant's series, an
 * operator's token every tenant's. Each scrape spends a read from the token's call budget
 * (a token that does not resolve, from its client address's), as a tRPC query does.
 */
import { findMembership } from "@/db/queries/tenancy";
import { resolveClientAddress } from "../auth/client-address";
import { trustedProxiesFromEnv } from "../auth/http";
import { bearerToken, type Principal, resolvePrincipal } from "../auth/principal";
import { AppError } from "../errors";
import { type CallLimiter, sharedCallLimiter, tooManyCallsMessage } from "../http/rate-limit";
import type { Services } from "../services";
import { renderMetrics } from "./prometheus";

export interface ScrapeResult {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

const plain = (status: number, message: string): ScrapeResult => ({
  status,
  body: `${message}\n`,
  contentType: "text/plain; charset=utf-8",
});

const throttled = (limiter: CallLimiter, retryAfterSeconds: number): ScrapeResult => ({
  ...plain(429, tooManyCallsMessage("read", limiter.limits, retryAfterSeconds)),
  headers: { "retry-after": String(retryAfterSeconds) },
});

export async function scrape(
  services: Services,
  headers: Headers,
  limiter: CallLimiter = sharedCallLimiter(),
): Promise<ScrapeResult> {
  if (!bearerToken(headers)) return plain(401, "An API token is required: send Authorization: Bearer <token>.");
  let principal: Principal | null;
  try {
    principal = await resolvePrincipal(services.auth, services.db, headers);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const verdict = await limiter.takeForAddress(resolveClientAddress(headers, trustedProxiesFromEnv()), "read", 1);
    return verdict.ok ? plain(401, error.message) : throttled(limiter, verdict.retryAfterSeconds);
  }
  if (principal?.kind !== "token") return plain(401, "An API token is required.");
  const verdict = await limiter.take(principal, "read", 1);
  if (!verdict.ok) return throttled(limiter, verdict.retryAfterSeconds);
  let tenantIds: string[];
  if (principal.scope === "operator") {
    tenantIds = services.engine.usageByTenant().map((t) => t.tenantId);
  } else {
    if (!(await findMembership(services.db, principal.tenantId, principal.user.id)))
      return plain(403, "The token's creator is no longer a member of its tenant.");
    tenantIds = [principal.tenantId];
  }
  const { body, contentType } = await renderMetrics(
    services.db,
    services.engine,
    services.monitoring.counters,
    tenantIds,
  );
  return { status: 200, body, contentType };
}
