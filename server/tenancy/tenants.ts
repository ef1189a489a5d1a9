/** Creating and switching tenants. The creator of a tenant becomes its owner. */
import type { Database } from "@/db/client";
import type { Engine } from "../engine";
import { provisionTenantDefaults } from "../workloads/tenant-defaults";
import { createTenant, findMembership, findTenantBySlug } from "@/db/queries/tenancy";
import { setSessionTenant } from "@/db/queries/users";
import type { Principal } from "../auth/principal";
import { AppError } from "../errors";

export async function createTenantFor(db: Database, engine: Engine, principal: Principal, params: { name: string; slug: string }) {
  if (principal.kind === "token") throw new AppError("FORBIDDEN", "API tokens act inside one tenant and cannot create tenants.");
  if (await findTenantBySlug(db, params.slug)) throw new AppError("CONFLICT", `The tenant id "${params.slug}" is taken; choose another.`);
  const tenant = await createTenant(db, { ...params, ownerId: principal.user.id });
  await provisionTenantDefaults(engine, tenant.id);
  // Work in the new tenant straight away, as a person expects after creating it.
  await setSessionTenant(db, principal.sessionId, tenant.id);
  return tenant;
}

export async function switchTenant(db: Database, principal: Principal, tenantId: string) {
  if (principal.kind === "token") throw new AppError("FORBIDDEN", "API tokens are bound to their tenant.");
  const membership = await findMembership(db, tenantId, principal.user.id);
  if (!membership) throw new AppError("NOT_FOUND", "Tenant not found.");
  await setSessionTenant(db, principal.sessionId, tenantId);
  return membership;
}
