import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
