/** Membership by consent: invitation links (one-time, expiring, hashed), and nothing else. */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitation } from "@/db/schema";
import { hashInvitationSecret } from "@/server/tenancy/invitations";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import { joinByInvitation } from "@/server/testing/join";

let h: Harness;
let owner: TestUser;
let admin: TestUser;
let tenantId: string;
beforeAll(async () => {
  h = await createHarness();
  owner = await h.signUp("owner@inv.test");
  admin = await h.signUp("admin@inv.test");
  tenantId = (await (await owner.caller()).tenants.create({ name: "Inv", slug: "inv" })).id;
  await joinByInvitation(await owner.caller(), admin, "admin");
}, 60_000);
afterAll(async () => h.close());

const tenantsOf = async (u: TestUser) => (await (await u.caller()).tenants.list()).map((m) => [m.tenantId, m.role]);

describe("invitations", () => {
  it("makes a member only when the invitee opens the link signed in and accepts", async () => {
    const invitee = await h.signUp("invitee@inv.test");
    const { secret, expiresAt } = await (await admin.caller()).members.invite({ email: invitee.email, role: "viewer" });
    expect(secret).toMatch(/^inv_[A-Za-z0-9_-]{40,}$/);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect(await tenantsOf(invitee)).toEqual([]);

    const preview = await (await invitee.caller()).invitations.get({ secret });
    expect(preview).toMatchObject({ tenantName: "Inv", role: "viewer", invitedByEmail: admin.email });
    const joined = await (await invitee.caller()).invitations.accept({ secret });
    expect(joined).toMatchObject({ tenantId, role: "viewer" });
    expect(await tenantsOf(invitee)).toEqual([[tenantId, "viewer"]]);
    expect((await (await invitee.caller()).session.me())?.current?.tenantId).toBe(tenantId);
  });

  it("answers the same for an address with an account and one without", async () => {
    await h.signUp("known@inv.test");
    const inviter = await admin.caller();
    const known = await inviter.members.invite({ email: "known@inv.test", role: "member" });
    const unknown = await inviter.members.invite({ email: "unknown@inv.test", role: "member" });
    const shape = (r: typeof known) => Object.keys(r).sort().join(",");
    expect(shape(known)).toBe(shape(unknown));
    expect(await tenantsOf(await h.signUp("known2@inv.test"))).toEqual([]);
  });

  it("cannot be taken over by signing up with the invited address", async () => {
    await (await admin.caller()).members.invite({ email: "target@inv.test", role: "admin" });
    const squatter = await h.signUp("target@inv.test");
    expect(await tenantsOf(squatter)).toEqual([]);
  });

  it("stores only the link's hash, works once, and the link is refused after", async () => {
    const a = await h.signUp("once-a@inv.test");
    const b = await h.signUp("once-b@inv.test");
    const { secret, invitationId } = await (await owner.caller()).members.invite({ email: a.email, role: "member" });
    const [row] = await h.services.db.select().from(invitation).where(eq(invitation.id, invitationId));
    expect(row?.tokenHash).toBe(hashInvitationSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    await (await a.caller()).invitations.accept({ secret });
    await expect((await b.caller()).invitations.accept({ secret })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("not valid"),
    });
    expect(await tenantsOf(b)).toEqual([]);
  });

  it("is refused once expired or cancelled, and lists pending ones with their expiry", async () => {
    const u = await h.signUp("late@inv.test");
    const inviter = await owner.caller();
    const expired = await inviter.members.invite({ email: "late@inv.test", role: "member" });
    await h.services.db
      .update(invitation)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invitation.id, expired.invitationId));
    await expect((await u.caller()).invitations.accept({ secret: expired.secret })).rejects.toMatchObject({
      message: expect.stringContaining("expired"),
    });

    const cancelled = await inviter.members.invite({ email: "late@inv.test", role: "member" });
    const { invitations } = await inviter.members.list();
    expect(invitations.find((i) => i.id === cancelled.invitationId)).toMatchObject({
      email: "late@inv.test",
      expiresAt: cancelled.expiresAt,
    });
    await inviter.members.cancelInvitation({ id: cancelled.invitationId });
    await expect((await u.caller()).invitations.accept({ secret: cancelled.secret })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await inviter.members.list()).invitations.map((i) => i.id)).not.toContain(cancelled.invitationId);
  });

  it("lets only owners invite owners, and voids a link whose inviter can no longer grant its role", async () => {
    await expect(
      (await admin.caller()).members.invite({ email: "boss@inv.test", role: "owner" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const demoted = await h.signUp("demoted@inv.test");
    const demotedId = await joinByInvitation(await owner.caller(), demoted, "admin");
    await (await demoted.caller()).tenants.switch({ id: tenantId });
    const { secret } = await (await demoted.caller()).members.invite({ email: "friend@inv.test", role: "admin" });
    await (await owner.caller()).members.updateRole({ memberId: demotedId, role: "viewer" });
    const friend = await h.signUp("friend@inv.test");
    await expect((await friend.caller()).invitations.accept({ secret })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await tenantsOf(friend)).toEqual([]);
  });

  it("is accepted in the console only, not with an API token", async () => {
    const tok = await (await owner.caller()).tokens.create({ name: "inv-probe" });
    const { secret } = await (await owner.caller()).members.invite({ email: "script@inv.test", role: "member" });
    await expect((await h.withToken(tok.secret)).invitations.accept({ secret })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
