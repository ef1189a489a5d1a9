/**
 * Membership rules: owners and admins manage members; only owners grant, change or remove
 * the owner role; a tenant always keeps at least one owner. Unknown addresses get an
 * invitation that becomes a membership when they sign up.
 */
import type { Database } from "@/db/client";
import * as q from "@/db/queries/tenancy";
import { hasRole, type TenantRole } from "../auth/roles";
import { AppError } from "../errors";

const invitationDays = 7;

interface Actor {
  userId: string;
  role: TenantRole;
}

function guardOwnerChange(actor: Actor, fromRole: string | null, toRole: string | null) {
  if ((fromRole === "owner" || toRole === "owner") && !hasRole(actor.role, "owner")) {
    throw new AppError("FORBIDDEN", "Only an owner can grant, change or remove the owner role.");
  }
}

export async function addOrInviteMember(
  db: Database,
  tenantId: string,
  actor: Actor,
  params: { email: string; role: TenantRole },
  now: Date,
): Promise<{ kind: "added"; memberId: string } | { kind: "invited"; invitationId: string; expiresAt: Date }> {
  guardOwnerChange(actor, null, params.role);
  const existing = await q.findUserByEmail(db, params.email);
  if (!existing) {
    const expiresAt = new Date(now.getTime() + invitationDays * 86_400_000);
    const inv = await q.createInvitation(db, { tenantId, email: params.email, role: params.role, inviterId: actor.userId, expiresAt });
    return { kind: "invited", invitationId: inv.id, expiresAt };
  }
  try {
    const row = await q.addMember(db, tenantId, existing.id, params.role);
    return { kind: "added", memberId: row.id };
  } catch (error) {
    if (error instanceof q.MembershipExistsError) throw new AppError("CONFLICT", `${params.email} is already a member of this tenant.`);
    throw error;
  }
}

export async function changeMemberRole(db: Database, tenantId: string, actor: Actor, memberId: string, role: TenantRole) {
  const target = await q.findMember(db, tenantId, memberId);
  if (!target) throw new AppError("NOT_FOUND", "Member not found.");
  guardOwnerChange(actor, target.role, role);
  const outcome = await q.setMemberRole(db, tenantId, memberId, role);
  if (outcome === "not-found") throw new AppError("NOT_FOUND", "Member not found.");
  if (outcome === "last-owner") throw new AppError("CONFLICT", "A tenant needs at least one owner: make someone else an owner first.");
}

export async function removeMemberFromTenant(db: Database, tenantId: string, actor: Actor, memberId: string) {
  const target = await q.findMember(db, tenantId, memberId);
  if (!target) throw new AppError("NOT_FOUND", "Member not found.");
  guardOwnerChange(actor, target.role, null);
  const outcome = await q.removeMember(db, tenantId, memberId);
  if (outcome === "not-found") throw new AppError("NOT_FOUND", "Member not found.");
  if (outcome === "last-owner") throw new AppError("CONFLICT", "The last owner cannot be removed: make someone else an owner first.");
}
