/**
 * Membership rules: owners and admins manage members; only owners grant, change or remove
 * the owner role; a tenant always keeps at least one owner; a member who leaves loses their
 * API tokens of the tenant for good. Each change checks and writes under the tenant's
 * membership lock, reading the actor's role afresh there: a role changed by a concurrent
 * request is seen, never half-seen.
 */
import type { Database } from "@/db/client";
import * as m from "@/db/queries/memberships";
import { deleteMemberTokens } from "@/db/queries/tokens";
import { hasRole, type TenantRole } from "../auth/roles";
import { AppError } from "../errors";

const tenantGone = () => new AppError("NOT_FOUND", "Tenant not found.");

/** The actor's current role in the tenant, which must be at least `needed` (read under the lock). */
export async function requireRole(
  tx: Database,
  tenantId: string,
  actorId: string,
  needed: TenantRole,
): Promise<TenantRole> {
  const role = await m.findMemberRole(tx, tenantId, actorId);
  if (!role) throw new AppError("FORBIDDEN", "You are not a member of this tenant.");
  if (!hasRole(role, needed))
    throw new AppError("FORBIDDEN", `This needs the ${needed} role or higher; you are ${role}.`);
  return role as TenantRole;
}

export function guardOwnerChange(actorRole: TenantRole, fromRole: string | null, toRole: string | null) {
  if ((fromRole === "owner" || toRole === "owner") && !hasRole(actorRole, "owner")) {
    throw new AppError("FORBIDDEN", "Only an owner can grant, change or remove the owner role.");
  }
}

async function findTarget(tx: Database, tenantId: string, memberId: string) {
  const target = await m.findMemberById(tx, tenantId, memberId);
  if (!target) throw new AppError("NOT_FOUND", "Member not found.");
  return target;
}

export async function changeMemberRole(
  db: Database,
  tenantId: string,
  actorId: string,
  memberId: string,
  role: TenantRole,
): Promise<void> {
  const done = await m.inMembershipTransaction(db, tenantId, async (tx) => {
    const actorRole = await requireRole(tx, tenantId, actorId, "admin");
    const target = await findTarget(tx, tenantId, memberId);
    guardOwnerChange(actorRole, target.role, role);
    if (target.role === "owner" && role !== "owner" && (await m.countTenantOwners(tx, tenantId)) <= 1) {
      throw new AppError("CONFLICT", "A tenant needs at least one owner: make someone else an owner first.");
    }
    await m.updateMemberRole(tx, tenantId, memberId, role);
    return true;
  });
  if (!done) throw tenantGone();
}

/** Removes a member and, in the same transaction, deletes their API tokens of this tenant. */
export async function removeMemberFromTenant(
  db: Database,
  tenantId: string,
  actorId: string,
  memberId: string,
): Promise<void> {
  const done = await m.inMembershipTransaction(db, tenantId, async (tx) => {
    const actorRole = await requireRole(tx, tenantId, actorId, "admin");
    const target = await findTarget(tx, tenantId, memberId);
    guardOwnerChange(actorRole, target.role, null);
    if (target.role === "owner" && (await m.countTenantOwners(tx, tenantId)) <= 1) {
      throw new AppError("CONFLICT", "The last owner cannot be removed: make someone else an owner first.");
    }
    await m.deleteMember(tx, tenantId, memberId);
    await deleteMemberTokens(tx, tenantId, target.userId);
    return true;
  });
  if (!done) throw tenantGone();
}
