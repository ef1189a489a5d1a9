import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEntries } from "@/db/queries/audit";
import { createHarness, type Harness } from "@/server/testing/harness";
import { joinByInvitation } from "@/server/testing/join";
import { buildWorld, type World } from "@/server/testing/world";

let h: Harness;
let w: World;
beforeAll(async () => {
  h = await createHarness();
  w = await buildWorld(h);
}, 120_000);
afterAll(async () => h.close());

describe("membership rules", () => {
  it("keeps the last owner: neither removed nor demoted", async () => {
    const owner = await w.a.users.owner.caller();
    await expect(owner.members.remove({ memberId: w.a.memberIds.owner })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("last owner"),
    });
    await expect(owner.members.updateRole({ memberId: w.a.memberIds.owner, role: "admin" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const { members } = await owner.members.list();
    expect(members.find((m) => m.id === w.a.memberIds.owner)?.role).toBe("owner");
  });

  it("lets only owners grant the owner role", async () => {
    const admin = await w.a.users.admin.caller();
    await expect(admin.members.updateRole({ memberId: w.a.memberIds.viewer, role: "owner" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(admin.members.remove({ memberId: w.a.memberIds.owner })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("lets an admin change a role, and the new role applies at once", async () => {
    const admin = await w.a.users.admin.caller();
    await admin.members.updateRole({ memberId: w.a.memberIds.viewer, role: "member" });
    const me = await (await w.a.users.viewer.caller()).session.me();
    expect(me?.current?.role).toBe("member");
    await admin.members.updateRole({ memberId: w.a.memberIds.viewer, role: "viewer" });
  });

  it("refuses inviting someone who is already a member", async () => {
    const owner = await w.a.users.owner.caller();
    await expect(owner.members.invite({ email: w.a.users.viewer.email, role: "member" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});

describe("API tokens", () => {
  it("acts with its creator's current role", async () => {
    const owner = await w.a.users.owner.caller();
    const memberCaller = await w.a.users.member.caller();
    const token = await memberCaller.tokens.create({ name: "role-probe" });
    const viaToken = await h.withToken(token.secret);
    // a member cannot manage members, so neither can their token
    await expect(viaToken.members.remove({ memberId: w.a.memberIds.viewer })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await owner.members.updateRole({ memberId: w.a.memberIds.member, role: "viewer" });
    await expect((await h.withToken(token.secret)).tokens.create({ name: "x" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await owner.members.updateRole({ memberId: w.a.memberIds.member, role: "member" });
  });

  it("is deleted with its creator's membership: re-inviting the person does not bring it back", async () => {
    const u = await h.signUp("leaver@tenant-a.test");
    const owner = await w.a.users.owner.caller();
    const memberId = await joinByInvitation(owner, u, "member");
    const token = await (await u.caller()).tokens.create({ name: "leaver" });
    expect((await (await h.withToken(token.secret)).tenants.current()).id).toBe(w.a.id);
    await owner.members.remove({ memberId });
    await expect((await h.withToken(token.secret)).tenants.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await owner.tokens.list()).map((t) => t.id)).not.toContain(token.id);

    await joinByInvitation(owner, u, "member");
    await expect((await h.withToken(token.secret)).tenants.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await owner.tokens.list()).map((t) => t.id)).not.toContain(token.id);
  });

  it("refuses revoking another member's token once the revoker is demoted from admin", async () => {
    const owner = await w.a.users.owner.caller();
    const lead = await h.signUp("lead@tenant-a.test");
    const leadId = await joinByInvitation(owner, lead, "admin");
    const leadCaller = await lead.caller();
    const victim = await (await w.a.users.member.caller()).tokens.create({ name: "victim" });
    await owner.members.updateRole({ memberId: leadId, role: "member" });
    await expect(leadCaller.tokens.revoke({ tokenId: victim.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await owner.tokens.list()).map((t) => t.id)).toContain(victim.id);
  });

  it("refuses a garbage token with a clear message", async () => {
    await expect((await h.withToken("tc_not-a-real-token")).tenants.current()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "The API token is invalid or has been revoked.",
    });
  });

  it("lists a member's own tokens only, and all of them for an admin", async () => {
    const memberTokens = await (await w.a.users.member.caller()).tokens.list();
    const adminTokens = await (await w.a.users.admin.caller()).tokens.list();
    expect(memberTokens.every((t) => t.createdByEmail === w.a.users.member.email)).toBe(true);
    expect(adminTokens.length).toBeGreaterThanOrEqual(memberTokens.length);
    expect(JSON.stringify(adminTokens)).not.toContain(w.a.tokenSecret);
  });

  it("lets a member not revoke another member's token", async () => {
    const admin = await w.a.users.admin.caller();
    const mine = await admin.tokens.create({ name: "admins" });
    await expect((await w.a.users.member.caller()).tokens.revoke({ tokenId: mine.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("input validation and audit", () => {
  it("answers bad input with BAD_REQUEST and a message a person can act on", async () => {
    const owner = await w.a.users.owner.caller();
    await expect(owner.tenants.create({ name: "X", slug: "Not_DNS" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Use lowercase letters"),
    });
    await expect(owner.members.invite({ email: "nope", role: "member" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(owner.members.invite({ email: "a@b.test", role: "god" as "owner" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(owner.tokens.create({ name: "x".repeat(500) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // strict objects: unknown keys (like a smuggled tenant id) are refused, not ignored
    await expect(owner.tokens.create({ name: "ok", tenantId: w.b.id } as { name: string })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("records successful and refused mutations with who, tenant, action, target and outcome", async () => {
    const admin = await w.a.users.admin.caller();
    await admin.members.updateRole({ memberId: w.a.memberIds.viewer, role: "viewer" });
    await expect(admin.members.updateRole({ memberId: w.a.memberIds.viewer, role: "owner" })).rejects.toThrow();
    const { items } = await listAuditEntries(h.services.db, {
      tenantId: w.a.id,
      limit: 5,
      action: "members.updateRole",
    });
    expect(items[0]).toMatchObject({
      actorEmail: w.a.users.admin.email,
      tenantId: w.a.id,
      target: w.a.memberIds.viewer,
      outcome: "failure",
    });
    expect(items[1]).toMatchObject({ outcome: "success" });
  });

  it("lets admins read their tenant's audit log and operators read all", async () => {
    const adminLog = await (await w.a.users.admin.caller()).audit.list({ limit: 200 });
    expect(adminLog.items.every((e) => e.tenantId === w.a.id)).toBe(true);
    const all = await (await w.operator.caller()).admin.audit({ limit: 200 });
    expect(all.items.some((e) => e.tenantId === w.b.id)).toBe(true);
    expect(all.items.some((e) => e.tenantId === w.a.id)).toBe(true);
  });
});
