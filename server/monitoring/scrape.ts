/**
 * A Prometheus scrape, decided from the request's headers: authenticated by an API token
 * only (scrapers have no session); a tenant's token yields its tenant's series, an
 * operator's token every tenant's.
 */
import { findMembership } from "@/db/queries/tenancy";
import { bearerToken, resolvePrincipal } from "../auth/principal";
import { AppError } from "../errors";
import type { Services } from "../services";
import { renderMetrics } from "./prometheus";

export interface ScrapeResult {
  status: number;
  body: string;
  contentType: string;
}

const plain = (status: number, message: string): ScrapeResult => ({ status, body: `${message}\n`, contentType: "text/plain; charset=utf-8" });

export async function scrape(services: Services, headers: Headers): Promise<ScrapeResult> {
  if (!bearerToken(headers)) return plain(401, "An API token is required: send Authorization: Bearer <token>.");
  let principal;
  try {
    principal = await resolvePrincipal(services.auth, services.db, headers);
  } catch (error) {
    if (error instanceof AppError) return plain(401, error.message);
    throw error;
  }
  if (principal?.kind !== "token") return plain(401, "An API token is required.");
  let tenantIds: string[];
  if (principal.scope === "operator") {
    tenantIds = services.engine.usageByTenant().map((t) => t.tenantId);
  } else {
    if (!(await findMembership(services.db, principal.tenantId, principal.user.id))) return plain(403, "The token's creator is no longer a member of its tenant.");
    tenantIds = [principal.tenantId];
  }
  const { body, contentType } = await renderMetrics(services.db, services.engine, tenantIds, services.monitoring.intervalMs);
  return { status: 200, body, contentType };
}
