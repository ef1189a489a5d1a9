import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createHarness, type Harness } from "@/server/testing/harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe("tenants, members and tokens", () => {
  it("makes the first account the operator, and no later one", async () => {
    const first = await h.signUp("ops@example.com");
    const second = await h.signUp("dev@example.com");
    expect((await (await first.caller()).session.me())?.user.isOperator).toBe(true);
    expect((await (await second.caller()).session.me())?.user.isOperator).toBe(false);
  });

  it("makes a tenant's creator its owner and switches to it", async () => {
    const u = await h.signUp("owner1@example.com");
    const c = await u.caller();
    const t = await c.tenants.create({ name: "Acme", slug: "acme" });
    const me = await (await u.caller()).session.me();
    expect(me?.current).toMatchObject({ tenantId: t.id, role: "owner" });
  });

  it("lets a token act in its tenant until it is revoked", async () => {
    const u = await h.signUp("tok@example.com");
    await (await u.caller()).tenants.create({ name: "Tok", slug: "tok" });
    const created = await (await u.caller()).tokens.create({ name: "ci" });
    const viaToken = await h.withToken(created.secret);
    expect((await viaToken.tenants.current()).slug).toBe("tok");
    await (await u.caller()).tokens.revoke({ tokenId: created.id });
    await expect((await h.withToken(created.secret)).tenants.current()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("tenant creation", () => {
  it("answers a taken slug with CONFLICT, also to concurrent creations of one slug", async () => {
    const users = await Promise.all([0, 1, 2, 3, 4].map((i) => h.signUp(`slug-${i}@example.com`)));
    const callers = await Promise.all(users.map((u) => u.caller()));
    const results = await Promise.allSettled(callers.map((c) => c.tenants.create({ name: "Same", slug: "same-slug" })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results)
      if (r.status === "rejected")
        expect(r.reason).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("is taken") });
    await expect(callers[0]!.tenants.create({ name: "Again", slug: "same-slug" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("limits how many tenants one account creates, with a message that says so", async () => {
    const u = await h.signUp("prolific@example.com");
    const made = await Promise.allSettled(
      Array.from({ length: 12 }, async (_, i) =>
        (await u.caller()).tenants.create({ name: `P${i}`, slug: `prolific-${i}` }),
      ),
    );
    expect(made.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    const refused = made.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("the most one account may create"),
    });
    expect((await (await u.caller()).tenants.list()).length).toBe(10);
  });
});

describe("token scope", () => {
  it("shows a token its own tenant only, and never operator powers, even when its creator is an operator", async () => {
    const ops = await h.signUp("ops-scope@example.com");
    await h.services.db.execute(sql`update "user" set is_operator = true where email = 'ops-scope@example.com'`);
    await (await ops.caller()).tenants.create({ name: "Home", slug: "ops-home" });
    await (await ops.caller()).tenants.create({ name: "Other", slug: "ops-other" });
    const tenantToken = await (await ops.caller()).tokens.create({ name: "in-tenant" });
    const viaTenantToken = await h.withToken(tenantToken.secret);
    expect((await viaTenantToken.tenants.list()).map((m) => m.tenantSlug)).toEqual(["ops-other"]);
    await expect(viaTenantToken.admin.overview()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await viaTenantToken.session.me())?.user.isOperator).toBe(false);

    const operatorToken = await (await ops.caller()).operatorTokens.create({ name: "scraper" });
    const viaOperatorToken = await h.withToken(operatorToken.secret);
    expect((await viaOperatorToken.admin.overview()).tenants).toBeGreaterThan(2);
    expect(await viaOperatorToken.tenants.list()).toEqual([]);
    await expect(viaOperatorToken.operatorTokens.create({ name: "again" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await (await ops.caller()).operatorTokens.list()).map((t) => t.id)).toContain(operatorToken.id);
    expect((await (await ops.caller()).tokens.list()).map((t) => t.id)).not.toContain(operatorToken.id);

    await h.services.db.execute(sql`update "user" set is_operator = false where email = 'ops-scope@example.com'`);
    await expect((await h.withToken(operatorToken.secret)).admin.overview()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });
});
