/**
 * Tenant roles, strongest first. A role can do everything the roles below it can:
 * viewer reads, member changes workloads and makes API tokens, admin manages members
 * and reads the audit log, owner may also grant or take the owner role.
 */
import { z } from "zod";

export const tenantRoles = ["owner", "admin", "member", "viewer"] as const;
export const tenantRoleSchema = z.enum(tenantRoles, { message: "Role must be one of owner, admin, member or viewer." });
export type TenantRole = z.infer<typeof tenantRoleSchema>;

const rank: Record<TenantRole, number> = { owner: 4, admin: 3, member: 2, viewer: 1 };

/** True when `role` is at least as strong as `needed`. Unknown roles are never enough. */
export function hasRole(role: string, needed: TenantRole): boolean {
  const have = rank[role as TenantRole];
  return have !== undefined && have >= rank[needed];
}

export function isTenantRole(role: string): role is TenantRole {
  return (tenantRoles as readonly string[]).includes(role);
}
