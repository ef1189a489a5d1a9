/**
 * Views of who may do what: the session, members and invitations, API tokens. A token's secret
 * and an invitation's link secret appear only in the answer of the call that made them.
 */
import { z } from "zod";
import { tenantRoleSchema } from "../../auth/roles";

export const membershipView = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  tenantSlug: z.string(),
  role: z.string(),
});

export const sessionView = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string(), isOperator: z.boolean() }),
    via: z.enum(["session", "token"]),
    tenants: z.array(membershipView),
    current: membershipView.nullable(),
  })
  .nullable();

export const clockView = z.object({ now: z.number() });

export const membersView = z.object({
  members: z.array(
    z.object({
      id: z.string(),
      userId: z.string(),
      name: z.string(),
      email: z.string(),
      role: z.string(),
      createdAt: z.date(),
    }),
  ),
  invitations: z.array(
    z.object({
      id: z.string(),
      email: z.string(),
      role: z.string().nullable(),
      expiresAt: z.date(),
      createdAt: z.date(),
      invitedByEmail: z.string(),
    }),
  ),
});

export const createdInvitationView = z.object({
  invitationId: z.string(),
  email: z.string(),
  role: tenantRoleSchema,
  expiresAt: z.date(),
  secret: z.string(),
});

export const invitationPreviewView = z.object({
  tenantName: z.string(),
  role: tenantRoleSchema,
  email: z.string(),
  invitedByEmail: z.string(),
  expiresAt: z.date(),
});

export const acceptedInvitationView = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  role: tenantRoleSchema,
});

export const tokenListView = z.array(
  z.object({
    id: z.string(),
    name: z.string().nullable(),
    /** The first characters of the secret, to tell tokens apart. */
    start: z.string().nullable(),
    createdById: z.string(),
    createdByEmail: z.string(),
    createdAt: z.date(),
    expiresAt: z.date().nullable(),
    lastUsedAt: z.date().nullable(),
  }),
);

export const createdTokenView = z.object({
  id: z.string(),
  name: z.string(),
  secret: z.string(),
  expiresAt: z.date().nullable(),
});
