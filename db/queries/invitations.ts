/**
 * Invitations, found by the SHA-256 of their link's secret (the secret is never stored).
 * State changes are conditional statements on `status = 'pending'`: of two concurrent
 * accepts, or an accept and a cancel, exactly one changes the row.
 */
import { and, desc, eq, gt } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Database } from "../client";
import { invitation, organization, user } from "../schema";

export type InvitationRow = typeof invitation.$inferSelect;

export interface PendingInvitationView {
  id: string;
  email: string;
  role: string | null;
  expiresAt: Date;
  createdAt: Date;
  invitedByEmail: string;
}

export async function listPendingInvitations(
  db: Database,
  tenantId: string,
  now: Date,
): Promise<PendingInvitationView[]> {
  return db
    .select({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
      createdAt: invitation.createdAt,
      invitedByEmail: user.email,
    })
    .from(invitation)
    .innerJoin(user, eq(invitation.inviterId, user.id))
    .where(
      and(eq(invitation.organizationId, tenantId), eq(invitation.status, "pending"), gt(invitation.expiresAt, now)),
    )
    .orderBy(desc(invitation.createdAt));
}

/** Records an invitation; a pending one to the same address in the same tenant is replaced. */
export async function insertInvitation(
  db: Database,
  params: { tenantId: string; email: string; role: string; inviterId: string; expiresAt: Date; tokenHash: string },
): Promise<InvitationRow> {
  await db
    .update(invitation)
    .set({ status: "canceled" })
    .where(
      and(
        eq(invitation.organizationId, params.tenantId),
        eq(invitation.email, params.email),
        eq(invitation.status, "pending"),
      ),
    );
  const [row] = await db
    .insert(invitation)
    .values({
      id: randomUUID(),
      organizationId: params.tenantId,
      email: params.email,
      role: params.role,
      inviterId: params.inviterId,
      expiresAt: params.expiresAt,
      tokenHash: params.tokenHash,
    })
    .returning();
  if (!row) throw new Error("invitation insert returned nothing");
  return row;
}

export interface InvitationPreview {
  id: string;
  tenantId: string;
  tenantName: string;
  email: string;
  role: string | null;
  status: string;
  expiresAt: Date;
  inviterId: string;
  invitedByEmail: string;
}

export async function findInvitationByHash(db: Database, tokenHash: string): Promise<InvitationPreview | null> {
  const [row] = await db
    .select({
      id: invitation.id,
      tenantId: invitation.organizationId,
      tenantName: organization.name,
      email: invitation.email,
      role: invitation.role,
      status: invitation.status,
      expiresAt: invitation.expiresAt,
      inviterId: invitation.inviterId,
      invitedByEmail: user.email,
    })
    .from(invitation)
    .innerJoin(organization, eq(invitation.organizationId, organization.id))
    .innerJoin(user, eq(invitation.inviterId, user.id))
    .where(eq(invitation.tokenHash, tokenHash));
  return row ?? null;
}

/** Marks a pending, unexpired invitation accepted by `userId`; false when it is not (any more). */
export async function claimInvitation(db: Database, invitationId: string, userId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(invitation)
    .set({ status: "accepted", acceptedById: userId, acceptedAt: now })
    .where(and(eq(invitation.id, invitationId), eq(invitation.status, "pending"), gt(invitation.expiresAt, now)))
    .returning({ id: invitation.id });
  return rows.length > 0;
}

export async function cancelPendingInvitation(db: Database, tenantId: string, invitationId: string): Promise<boolean> {
  const rows = await db
    .update(invitation)
    .set({ status: "canceled" })
    .where(
      and(eq(invitation.organizationId, tenantId), eq(invitation.id, invitationId), eq(invitation.status, "pending")),
    )
    .returning({ id: invitation.id });
  return rows.length > 0;
}
