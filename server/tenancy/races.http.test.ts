/**
 * Check-then-write races of memberships, invitations, tokens, tenant slugs and sign-in, with
 * real concurrent HTTP requests against the test server (on PostgreSQL when TEST_DATABASE_URL
 * is set, where statements of different connections truly interleave). Each race repeats for
 * several rounds; one bad interleaving in any round fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMembers } from "@/db/queries/tenancy";
import { listTenantTokens } from "@/db/queries/tokens";
import { accountPolicy } from "@/server/auth/throttle";
import { testPassword } from "@/server/testing/harness";
import { startTestServer, type TestServer } from "@/server/testing/http-server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => server.close());

interface Answer {
  status: number;
  body: { result?: { data?: { json?: unknown } }; error?: { json?: { message?: string } } };
}

async function mutate(cookie: string, path: string, input: unknown): Promise<Answer> {
  const res = await fetch(`${server.url}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-tc-client": "race-test", cookie },
    body: JSON.stringify({ json: input }),
  });
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

const data = <T>(a: Answer) => a.body.result?.data?.json as T;

let seq = 0;
/** A signed-up user with a cookie, in a tenant of their own unless told to join one. */
async function person(prefix: string) {
  seq += 1;
  const email = `${prefix}-${seq}@race.test`;
  const u = await server.signUp(email);
  return { ...u, email };
}

async function tenantWith(slug: string, roles: ("admin" | "member" | "owner")[]) {
  const owner = await person(`${slug}-owner`);
  const tenant = await (await owner.caller()).tenants.create({ name: slug, slug });
  const others = [];
  for (const role of roles) {
    const p = await person(`${slug}-${role}`);
    const { secret } = await (await owner.caller()).members.invite({ email: p.email, role });
    await (await p.caller()).invitations.accept({ secret });
    const memberId = (await listMembers(server.services.db, tenant.id)).find((m) => m.email === p.email)!.id;
    others.push({ ...p, memberId });
  }
  const ownerMemberId = (await listMembers(server.services.db, tenant.id)).find((m) => m.email === owner.email)!.id;
  return { tenantId: tenant.id, owner: { ...owner, memberId: ownerMemberId }, others };
}

/**
 * How many back-off steps (30 s, 1 min, …) can end within `ms`: each lets one more guess through,
 * as designed, so a machine that took that long over the burst may see a check more.
 */
const backOffStepsWithin = (ms: number) => Math.floor(Math.log2(ms / accountPolicy.baseDelayMs + 1));

/** `count` wrong passwords for `email` at once; `headersOf(i)` adds the i-th guess's headers. */
async function guessConcurrently(
  target: TestServer,
  email: string,
  count: number,
  headersOf: (i: number) => Record<string, string>,
): Promise<{ statuses: number[]; ms: number }> {
  const started = Date.now();
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(`${target.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:3000", ...headersOf(i) },
        body: JSON.stringify({ email, password: `wrong-${i}-guess` }),
      }),
    ),
  );
  return { statuses: answers.map((r) => r.status), ms: Date.now() - started };
}

/** The account's 5 free checks, plus one per back-off step that ended during the burst; the rest wait. */
function expectChecksAtTheLimit({ statuses, ms }: { statuses: number[]; ms: number }) {
  const checked = statuses.filter((s) => s === 401).length;
  expect(checked).toBeGreaterThanOrEqual(accountPolicy.freeAttempts);
  expect(checked).toBeLessThanOrEqual(accountPolicy.freeAttempts + backOffStepsWithin(ms));
  expect(statuses.filter((s) => s === 429)).toHaveLength(statuses.length - checked);
}

const roleOf = async (tenantId: string, memberId: string) =>
  (await listMembers(server.services.db, tenantId)).find((m) => m.id === memberId)?.role;

describe("races over HTTP", () => {
  it("an admin cannot demote a member the owner promotes to owner at the same moment", async () => {
    const { tenantId, owner, others } = await tenantWith("role-race", ["admin", "member"]);
    const [admin, target] = others as [(typeof others)[number], (typeof others)[number]];
    for (let round = 0; round < 25; round++) {
      await (await owner.caller()).members.updateRole({ memberId: target.memberId, role: "member" });
      // The owner's request leaves first in odd rounds, last in even ones, so both orders meet.
      const promote = () => mutate(owner.cookie, "members.updateRole", { memberId: target.memberId, role: "owner" });
      const demote = () => mutate(admin.cookie, "members.updateRole", { memberId: target.memberId, role: "viewer" });
      const order = round % 2 === 1 ? [promote, demote, demote, demote] : [demote, demote, demote, promote];
      const answers = await Promise.all(order.map((send) => send()));
      const promotion = answers[order.indexOf(promote)]!;
      const demotions = answers.filter((_, i) => order[i] === demote);
      expect(promotion.status).toBe(200);
      for (const d of demotions) expect([200, 403]).toContain(d.status);
      // Whatever the order, an owner's promotion that succeeded is never undone by an admin.
      expect(await roleOf(tenantId, target.memberId)).toBe("owner");
      await (await owner.caller()).members.updateRole({ memberId: target.memberId, role: "member" });
    }
  }, 120_000);

  it("two owners demoting each other at once always leave an owner", async () => {
    const { tenantId, owner, others } = await tenantWith("owner-race", ["owner"]);
    const second = others[0]!;
    for (let round = 0; round < 15; round++) {
      const answers = await Promise.all([
        mutate(owner.cookie, "members.updateRole", { memberId: second.memberId, role: "admin" }),
        mutate(second.cookie, "members.updateRole", { memberId: owner.memberId, role: "admin" }),
      ]);
      const owners = (await listMembers(server.services.db, tenantId)).filter((m) => m.role === "owner");
      expect(owners).toHaveLength(1);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 403]);
      const remaining = owners[0]!.id === owner.memberId ? owner : second;
      await (await remaining.caller()).members.updateRole({
        memberId: remaining === owner ? second.memberId : owner.memberId,
        role: "owner",
      });
    }
  }, 120_000);

  it("five concurrent creations of one slug: one tenant, four CONFLICTs", async () => {
    const people = await Promise.all([0, 1, 2, 3, 4].map(() => person("slug")));
    for (let round = 0; round < 5; round++) {
      const slug = `contested-${round}`;
      const answers = await Promise.all(people.map((p) => mutate(p.cookie, "tenants.create", { name: slug, slug })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
      for (const a of answers.filter((x) => x.status === 409))
        expect(a.body.error?.json?.message).toContain("is taken");
    }
  }, 120_000);

  it("an invitation accepted twice at once makes one member; accept against cancel, one wins", async () => {
    const { tenantId, owner } = await tenantWith("invite-race", []);
    const inviter = await owner.caller();
    for (let round = 0; round < 10; round++) {
      const [a, b] = [await person("twice-a"), await person("twice-b")];
      const { secret } = await inviter.members.invite({ email: a.email, role: "member" });
      const answers = await Promise.all([a, b].map((p) => mutate(p.cookie, "invitations.accept", { secret })));
      expect(answers.map((x) => x.status).sort()).toEqual([200, 404]);
      const joined = (await listMembers(server.services.db, tenantId)).filter(
        (m) => m.email === a.email || m.email === b.email,
      );
      expect(joined).toHaveLength(1);

      const c = await person("cancelled");
      const invite = await inviter.members.invite({ email: c.email, role: "member" });
      const [accepted, cancelled] = await Promise.all([
        mutate(c.cookie, "invitations.accept", { secret: invite.secret }),
        mutate(owner.cookie, "members.cancelInvitation", { id: invite.invitationId }),
      ]);
      expect([accepted.status, cancelled.status].sort()).toEqual([200, 404]);
      const isMember = (await listMembers(server.services.db, tenantId)).some((m) => m.email === c.email);
      expect(isMember).toBe(accepted.status === 200);
    }
  }, 120_000);

  it("a token created while its creator is being removed does not survive the removal", async () => {
    const { tenantId, owner, others } = await tenantWith("token-race", ["member"]);
    const leaver = others[0]!;
    for (let round = 0; round < 10; round++) {
      const memberId = (await listMembers(server.services.db, tenantId)).find((m) => m.email === leaver.email)!.id;
      await Promise.all([
        mutate(leaver.cookie, "tokens.create", { name: `late-${round}` }),
        mutate(owner.cookie, "members.remove", { memberId }),
      ]);
      const { secret } = await (await owner.caller()).members.invite({ email: leaver.email, role: "member" });
      await (await leaver.caller()).invitations.accept({ secret });
      const left = (await listTenantTokens(server.services.db, tenantId)).filter(
        (t) => t.createdByEmail === leaver.email,
      );
      expect(left).toEqual([]);
    }
  }, 120_000);

  it("a revoked token is refused from the moment the revocation answers", async () => {
    const { owner } = await tenantWith("revoke-race", []);
    for (let round = 0; round < 10; round++) {
      const token = await (await owner.caller()).tokens.create({ name: `r-${round}` });
      const use = () =>
        fetch(`${server.url}/api/trpc/tenants.current`, { headers: { authorization: `Bearer ${token.secret}` } });
      const [revoked] = await Promise.all([mutate(owner.cookie, "tokens.revoke", { tokenId: token.id }), use(), use()]);
      expect(revoked.status).toBe(200);
      expect((await use()).status).toBe(401);
    }
  }, 120_000);

  it("40 concurrent sign-in guesses from one client get 5 password checks, not 40", async () => {
    const victim = await person("victim");
    const statuses = await guessConcurrently(server, victim.email, 40, () => ({}));
    expectChecksAtTheLimit(statuses);
  }, 120_000);

  it("40 clients behind a trusted proxy: one check each while fresh, then they wait; the owner never does", async () => {
    // Each guess really comes from another client: the proxy (the test server's peer) vouches for it.
    const proxied = await startTestServer({ trustedProxies: "127.0.0.1, ::1" });
    try {
      await proxied.signUp("victim@proxied.test");
      const client = (i: number) => ({ "x-forwarded-for": `198.51.100.${i + 1}` });
      // A client that has not been failing is always checked (the account's back-off is waived for it) ...
      const first = await guessConcurrently(proxied, "victim@proxied.test", 40, client);
      expect(first.statuses.filter((s) => s === 401)).toHaveLength(40);
      // ... once it has failed, the account's back-off binds it: the second round is checked at the limit at most.
      const second = await guessConcurrently(proxied, "victim@proxied.test", 40, client);
      expect(second.statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(backOffStepsWithin(second.ms));
      // ... and the owner, from a client of its own, signs in at once.
      const owner = await fetch(`${proxied.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: "http://localhost:3000",
          "x-forwarded-for": "192.0.2.7",
        },
        body: JSON.stringify({ email: "victim@proxied.test", password: testPassword }),
      });
      expect(owner.status).toBe(200);
    } finally {
      await proxied.close();
    }
  }, 120_000);
});
