/**
 * Creating and switching tenants. The creator of a tenant becomes its owner. An account may
 * create at most `TENANTS_PER_ACCOUNT` tenants (default 10; operators are not limited), so one
 * sign-up cannot fill the installation with tenants.
 */
import type { Database } from "@/db/client";
import { createTenantWithinLimit, findMembership } from "@/db/queries/tenancy";
import { setSessionTenant } from "@/db/queries/users";
import type { Engine } from "../engine";
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
  engine: Engine,
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
  await provisionTenantDefaults(engine, result.tenant.id);
  // Work in the new tenant straight away, as a person expects after creating it.
  await setSessionTenant(db, principal.sessionId, result.tenant.id);
  return result.tenant;
}

export async function switchTenant(db: Database, principal: Principal, tenantId: string) {
  if (principal.kind === "token") throw new AppError("FORBIDDEN", "API tokens are bound to their tenant.");
  const membership = await findMembership(db, tenantId, principal.user.id);
  if (!membership) throw new AppError("NOT_FOUND", "Tenant not found.");
  await setSessionTenant(db, principal.sessionId, tenantId);
  return membership;
}
