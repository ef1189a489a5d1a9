/**
 * Invitations: the only way into a tenant. An admin (an owner, for the owner role) invites an
 * address and receives a secret link, shown once; only the link's SHA-256 is stored. Whoever
 * opens the link signed in, with any address, can accept it once before it expires: the link
 * is the proof, as with an API token, and the inviter chooses whom to give it to. The address
 * is the inviter's note of whom they meant, shown on the accept page.
 *
 * The answer to an invitation is the same whether or not the address has an account, so it
 * tells nobody which addresses do. Accepting re-checks, under the tenant's membership lock,
 * that the invitation is still pending and that its inviter may still grant its role.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Database } from "@/db/client";
import * as inv from "@/db/queries/invitations";
import * as m from "@/db/queries/memberships";
import { hasRole, isTenantRole, type TenantRole } from "../auth/roles";
import { AppError } from "../errors";
import { guardOwnerChange, requireRole } from "./members";

export const invitationDays = 7;
const secretPrefix = "inv_";

export const hashInvitationSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

export interface CreatedInvitation {
  invitationId: string;
  email: string;
  role: TenantRole;
  expiresAt: Date;
  /** The secret of the link `/invitations/<secret>`; returned this once. */
  secret: string;
}

export async function inviteMember(
  db: Database,
  tenantId: string,
  actorId: string,
  params: { email: string; role: TenantRole },
  now: Date,
): Promise<CreatedInvitation> {
  const secret = `${secretPrefix}${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(now.getTime() + invitationDays * 86_400_000);
  const created = await m.inMembershipTransaction(db, tenantId, async (tx) => {
    guardOwnerChange(await requireRole(tx, tenantId, actorId, "admin"), null, params.role);
    // Only this tenant's own members are told apart, which its admins see in the member list anyway.
    if (await m.findMemberByEmail(tx, tenantId, params.email))
      throw new AppError("CONFLICT", `${params.email} is already a member of this tenant.`);
    return inv.insertInvitation(tx, {
      tenantId,
      email: params.email,
      role: params.role,
      inviterId: actorId,
      expiresAt,
      tokenHash: hashInvitationSecret(secret),
    });
  });
  if (!created) throw new AppError("NOT_FOUND", "Tenant not found.");
  return { invitationId: created.id, email: created.email, role: params.role, expiresAt, secret };
}

// The details name texts of messages/<locale>/access.json, which the accept page shows in the reader's language.
const invalidLink = () =>
  new AppError("NOT_FOUND", "This invitation link is not valid: it was already used, cancelled, or mistyped.", {
    key: "invitationErrors.invalid",
  });
const expiredLink = () =>
  new AppError("NOT_FOUND", "This invitation has expired. Ask for a new link.", { key: "invitationErrors.expired" });

const alreadyMember = (tenant: string) =>
  new AppError("CONFLICT", `You are already a member of ${tenant}.`, {
    key: "invitationErrors.alreadyMember",
    params: { tenant },
  });

function wellFormed(secret: string): boolean {
  return secret.startsWith(secretPrefix) && secret.length <= 100;
}

async function findUsable(db: Database, secret: string, now: Date) {
  if (!wellFormed(secret)) throw invalidLink();
  const found = await inv.findInvitationByHash(db, hashInvitationSecret(secret));
  if (!found || found.status !== "pending") throw invalidLink();
  if (found.expiresAt <= now) throw expiredLink();
  return found;
}

export interface InvitationView {
  tenantName: string;
  role: TenantRole;
  email: string;
  invitedByEmail: string;
  expiresAt: Date;
}

/** What the accept page shows before the person decides. */
export async function previewInvitation(db: Database, secret: string, now: Date): Promise<InvitationView> {
  const found = await findUsable(db, secret, now);
  return {
    tenantName: found.tenantName,
    role: toRole(found.role),
    email: found.email,
    invitedByEmail: found.invitedByEmail,
    expiresAt: found.expiresAt,
  };
}

function toRole(role: string | null): TenantRole {
  return role && isTenantRole(role) ? role : "member";
}

/** Accepts once: claims the invitation and adds the membership in one transaction. */
export async function acceptInvitation(db: Database, secret: string, userId: string, now: Date) {
  const found = await findUsable(db, secret, now);
  const role = toRole(found.role);
  const accepted = await m.inMembershipTransaction(db, found.tenantId, async (tx) => {
    const inviterRole = await m.findMemberRole(tx, found.tenantId, found.inviterId);
    if (!inviterRole || !hasRole(inviterRole, role === "owner" ? "owner" : "admin")) {
      throw new AppError(
        "FORBIDDEN",
        "Whoever sent this invitation can no longer grant its role. Ask for a new link.",
        { key: "invitationErrors.inviterCannotGrant" },
      );
    }
    if (await m.findMemberRole(tx, found.tenantId, userId)) throw alreadyMember(found.tenantName);
    if (!(await inv.claimInvitation(tx, found.id, userId, now))) throw invalidLink();
    const row = await m.insertMember(tx, found.tenantId, userId, role);
    if (!row) throw alreadyMember(found.tenantName);
    return { tenantId: found.tenantId, tenantName: found.tenantName, role, memberId: row.id };
  });
  if (!accepted) throw invalidLink();
  return accepted;
}

export async function cancelInvitation(
  db: Database,
  tenantId: string,
  actorId: string,
  invitationId: string,
): Promise<void> {
  const canceled = await m.inMembershipTransaction(db, tenantId, async (tx) => {
    await requireRole(tx, tenantId, actorId, "admin");
    return inv.cancelPendingInvitation(tx, tenantId, invitationId);
  });
  if (!canceled) throw new AppError("NOT_FOUND", "Invitation not found.");
}
