/**
 * Creating and switching tenants. The creator of a tenant becomes its owner. An account may
 * create at most `TENANTS_PER_ACCOUNT` tenants (default 10; operators are not limited), so one
 * sign-up cannot fill the installation with tenants. Every tenant has a default namespace in
 * the engine, named by its slug: made when the tenant is, and ensured for all at start.
 */
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { createTenantWithinLimit, findMembership } from "@/db/queries/tenancy";
import { setSessionTenant } from "@/db/queries/users";
import { organization } from "@/db/schema";
import { type Orchestrator, isEngineError } from "../engine";
import { provisionTenantDefaults } from "../workloads/tenant-defaults";
import type { Principal } from "../auth/principal";
import { AppError } from "../errors";

export const defaultTenantsPerAccount = 10;

export function tenantsPerAccount(env = process.env.TENANTS_PER_ACCOUNT): number {
  const n = Number(env);
  return env && Number.isInteger(n) && n >= 0 ? n : defaultTenantsPerAccount;
}

export async function createTenantFor(
  db: Database,
  engine: Orchestrator,
  principal: Principal,
  params: { name: string; slug: string },
  limit = tenantsPerAccount(),
) {
  if (principal.kind === "token")
    throw new AppError("FORBIDDEN", "API tokens act inside one tenant and cannot create tenants.");
  const maxTenants = principal.user.isOperator ? null : limit;
  const result = await createTenantWithinLimit(db, { ...params, ownerId: principal.user.id, maxTenants });
  if (result.kind === "slug-taken")
    throw new AppError("CONFLICT", `The tenant id "${params.slug}" is taken; choose another.`);
  if (result.kind === "limit-reached") {
    throw new AppError(
      "FORBIDDEN",
      `You have created ${result.limit} tenants, the most one account may create. Ask an operator if you need more.`,
      {
        key: "tenants.limitReached",
        params: { limit: result.limit },
      },
    );
  }
  try {
    await provisionTenantDefaults(engine, result.tenant.id, result.tenant.slug);
  } catch (error) {
    // Another tenant made a namespace of this name before the slug was asked for: the slug is taken after all.
    if (!isEngineError(error) || error.code !== "CONFLICT") throw error;
    await db.delete(organization).where(eq(organization.id, result.tenant.id));
    throw new AppError("CONFLICT", `The tenant id "${params.slug}" is taken; choose another.`);
  }
  // Work in the new tenant straight away, as a person expects after creating it.
  await setSessionTenant(db, principal.sessionId, result.tenant.id);
  return result.tenant;
}

/**
 * Tells the engine every tenant's default namespace (its slug), creating the namespaces of
 * tenants made before namespaces existed. Run once the engine has started, before requests:
 * a command that names no namespace acts in the tenant's default one.
 */
export async function ensureTenantNamespaces(db: Database, engine: Orchestrator): Promise<void> {
  const tenants = await db.select({ id: organization.id, slug: organization.slug }).from(organization);
  for (const t of tenants) {
    try {
      await engine.ensureTenantNamespace(t.id, t.slug);
    } catch (error) {
      // One tenant's clash (its slug is another tenant's namespace) must not keep the others from starting.
      if (!isEngineError(error) || error.code !== "CONFLICT") throw error;
      console.error(`tenant ${t.id}: no default namespace "${t.slug}": ${error.message}`);
    }
  }
}

export async function switchTenant(db: Database, principal: Principal, tenantId: string) {
  if (principal.kind === "token") throw new AppError("FORBIDDEN", "API tokens are bound to their tenant.");
  const membership = await findMembership(db, tenantId, principal.user.id);
  if (!membership) throw new AppError("NOT_FOUND", "Tenant not found.");
  await setSessionTenant(db, principal.sessionId, tenantId);
  return membership;
}
