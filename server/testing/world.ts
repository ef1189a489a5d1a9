/**
 * A small world of two tenants for isolation and role tests:
 * tenant A (owner, admin, member, viewer) and tenant B (owner, member, a token, an invitation).
 */
import { listMembers } from "@/db/queries/tenancy";
import { listTenantTokens } from "@/db/queries/tokens";
import { listPendingInvitations } from "@/db/queries/tenancy";
import type { TenantRole } from "../auth/roles";
import type { Harness, TestUser } from "./harness";

export interface TenantFixture {
  id: string;
  slug: string;
  users: Record<TenantRole, TestUser>;
  memberIds: Record<TenantRole, string>;
  tokenId: string;
  tokenSecret: string;
  invitationId: string;
}

export interface World {
  operator: TestUser;
  a: TenantFixture;
  b: TenantFixture;
  /** Everything about a tenant that a cross-tenant call must never change. */
  fingerprint(tenantId: string): Promise<string>;
}

async function buildTenant(h: Harness, slug: string): Promise<TenantFixture> {
  const users = {} as Record<TenantRole, TestUser>;
  for (const role of ["owner", "admin", "member", "viewer"] as const) users[role] = await h.signUp(`${role}@${slug}.test`);
  const tenant = await (await users.owner.caller()).tenants.create({ name: slug.toUpperCase(), slug });
  const owner = await users.owner.caller(); // a fresh context sees the session's new tenant
  for (const role of ["admin", "member", "viewer"] as const) {
    await owner.members.add({ email: users[role].email, role });
    await (await users[role].caller()).tenants.switch({ id: tenant.id });
  }
  const members = await listMembers(h.services.db, tenant.id);
  const memberIds = Object.fromEntries(members.map((m) => [m.role, m.id])) as Record<TenantRole, string>;
  const token = await (await users.member.caller()).tokens.create({ name: `${slug}-ci` });
  const invite = await owner.members.add({ email: `invitee@${slug}.test`, role: "member" });
  if (invite.kind !== "invited") throw new Error("expected an invitation");
  return { id: tenant.id, slug, users, memberIds, tokenId: token.id, tokenSecret: token.secret, invitationId: invite.invitationId };
}

export async function buildWorld(h: Harness): Promise<World> {
  const operator = await h.signUp("operator@ops.test");
  const a = await buildTenant(h, "tenant-a");
  const b = await buildTenant(h, "tenant-b");
  return {
    operator,
    a,
    b,
    async fingerprint(tenantId) {
      const [members, tokens, invitations, current] = await Promise.all([
        listMembers(h.services.db, tenantId),
        listTenantTokens(h.services.db, tenantId),
        listPendingInvitations(h.services.db, tenantId, new Date()),
        h.services.db.query.organization.findFirst({ where: (o, { eq }) => eq(o.id, tenantId) }),
      ]);
      return JSON.stringify({
        members: members.map((m) => [m.id, m.role]),
        tokens: tokens.map((t) => t.id),
        invitations: invitations.map((i) => i.id),
        name: current?.name,
      });
    },
  };
}
