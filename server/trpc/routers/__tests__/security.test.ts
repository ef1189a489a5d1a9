/**
 * Security groups, network policies and the operators' port bans through the API, on the real
 * database store: a member creates, replaces (with the resourceVersion last read) and deletes
 * a group; a group written without outbound rules gets AWS's allow-all rule; bad input is
 * BAD_REQUEST with the field path the console marks (the engine's for what a rule means, the
 * input's for its shape), never a 500; a dry run stores nothing; a viewer reads but cannot
 * write; another tenant's groups are NOT_FOUND; every member reads the port bans, only a
 * signed-in operator adds or removes one.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import { joinByInvitation } from "@/server/testing/join";
import { errorData } from "../../errors";

let h: Harness;
let ops: TestUser;
let owner: TestUser;
let member: TestUser;
let viewer: TestUser;
let other: TestUser;
const ns = "sg-shop";

const https = {
  protocol: "tcp" as const,
  portRangeMin: 443,
  portRangeMax: 443,
  remoteAddress: "0.0.0.0/0",
  action: "allow" as const,
  priority: 100,
};
const web = {
  name: "web",
  ingressRules: [
    https,
    {
      protocol: "tcp" as const,
      portRangeMin: 22,
      portRangeMax: 22,
      remoteAddress: "10.0.0.0/8",
      action: "deny" as const,
      priority: 10,
      description: "no ssh",
    },
  ],
};

/** The refusal's code and the field the console is told (`data.field`, as the HTTP formatter sends it). */
async function refusal(call: Promise<unknown>): Promise<{ code: string; field?: string; message: string }> {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return {
      code: e.code,
      message: e.message,
      ...(errorData(e, "en").field ? { field: errorData(e, "en").field } : {}),
    };
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  h = await createHarness();
  ops = await h.signUp("ops@sg.test");
  owner = await h.signUp("owner@sg.test");
  member = await h.signUp("member@sg.test");
  viewer = await h.signUp("viewer@sg.test");
  other = await h.signUp("other@sg.test");
  const tenant = await (await owner.caller()).tenants.create({ name: "SG Shop", slug: ns });
  for (const [user, role] of [
    [member, "member"],
    [viewer, "viewer"],
  ] as const) {
    await joinByInvitation(await owner.caller(), user, role);
    await (await user.caller()).tenants.switch({ id: tenant.id });
  }
  await (await other.caller()).tenants.create({ name: "Elsewhere", slug: "sg-elsewhere" });
}, 60_000);
afterAll(async () => h.close());

describe("security groups", () => {
  it("a member creates a group; it is listed with its rule counts and read back whole", async () => {
    const c = await member.caller();
    const created = await c.security.create(web);
    expect(created).toMatchObject({ name: "web", attachedPods: 0, allowSameGroupTraffic: false });
    // Written without outbound rules: AWS's default allow-all outbound rule.
    expect(created.egressRules).toEqual([
      expect.objectContaining({ protocol: "all", remoteAddress: "0.0.0.0/0", action: "allow" }),
    ]);
    const { items } = await (await viewer.caller()).security.list({});
    expect(items.map((g) => [g.name, g.ingressRules.length, g.egressRules.length])).toEqual([["web", 2, 1]]);
    const got = await (await viewer.caller()).security.get({ name: "web" });
    expect(got.ingressRules[1]).toEqual(web.ingressRules[1]);
    await expect(c.security.create(web)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("attaches by selector or as a namespace default, and says so", async () => {
    const c = await member.caller();
    const db = await c.security.create({
      name: "db",
      ingressRules: [
        {
          protocol: "tcp",
          portRangeMin: 5432,
          portRangeMax: 5432,
          remoteSecurityGroup: "web",
          action: "allow",
          priority: 50,
        },
      ],
      egressRules: [],
      podSelector: { matchLabels: { app: "db" } },
      namespaces: [ns],
    });
    expect(db).toMatchObject({ selector: "app=db", namespaces: [ns], egressRules: [] });
    const base = await c.security.create({ name: "baseline", defaultForNamespaces: [ns] });
    expect(base.defaultForNamespaces).toEqual([ns]);
    // A group another group's rule names cannot go.
    expect((await refusal(c.security.delete({ name: "web" }))).code).toBe("CONFLICT");
  });

  it("refuses what a rule may not say at its field, never a 500, and stores nothing", async () => {
    const c = await member.caller();
    const bad = (rule: Record<string, unknown>) =>
      refusal(
        c.security.create({
          name: "bad",
          ingressRules: [{ protocol: "tcp", action: "allow", priority: 100, remoteAddress: "10.0.0.0/8", ...rule }],
        } as never),
      );
    expect(await bad({ remoteAddress: "10.0.0.300/8" })).toMatchObject({
      code: "BAD_REQUEST",
      field: "spec.ingressRules[0].remoteAddress",
    });
    expect(await bad({ priority: 0 })).toMatchObject({ code: "BAD_REQUEST", field: "spec.ingressRules[0].priority" });
    expect(await bad({ portRangeMin: 90, portRangeMax: 80 })).toMatchObject({
      field: "spec.ingressRules[0].portRangeMax",
    });
    expect(await bad({ remoteAddress: undefined, remoteSecurityGroup: "ghost" })).toMatchObject({
      field: "spec.ingressRules[0].remoteSecurityGroup",
    });
    const tooMany = Array.from({ length: 61 }, (_, i) => ({
      protocol: "tcp" as const,
      portRangeMin: i + 1,
      portRangeMax: i + 1,
      remoteAddress: "10.0.0.0/8",
      action: "allow" as const,
      priority: 100,
    }));
    expect(await refusal(c.security.create({ name: "bad", egressRules: tooMany }))).toMatchObject({
      code: "BAD_REQUEST",
      field: "spec.egressRules",
    });
    expect(await refusal(c.security.create({ name: "Bad_Name" }))).toMatchObject({
      code: "BAD_REQUEST",
      field: "metadata.name",
    });
    // The input's own shape: zod's issue at its path.
    await expect(
      c.security.create({ name: "bad", ingressRules: [{ protocol: "gre" }] } as never),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { issues: expect.arrayContaining([expect.objectContaining({ path: ["ingressRules", 0, "protocol"] })]) },
    });
    await expect(c.security.get({ name: "bad" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a dry run answers and stores nothing", async () => {
    const c = await member.caller();
    const dry = await c.security.create({ name: "trial", dryRun: true });
    expect(dry.name).toBe("trial");
    await expect(c.security.get({ name: "trial" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("replaces with the resourceVersion last read; a stale one is CONFLICT and changes nothing", async () => {
    const c = await member.caller();
    const read = await c.security.get({ name: "web" });
    const updated = await c.security.update({
      ...web,
      ingressRules: [https],
      resourceVersion: read.resourceVersion,
    });
    expect(updated.ingressRules).toHaveLength(1);
    expect(Number(updated.resourceVersion)).toBeGreaterThan(Number(read.resourceVersion));
    expect((await refusal(c.security.update({ ...web, resourceVersion: read.resourceVersion }))).code).toBe("CONFLICT");
    expect((await c.security.get({ name: "web" })).ingressRules).toHaveLength(1);
  });

  it("a viewer reads but cannot write", async () => {
    const c = await viewer.caller();
    await expect(c.security.create({ name: "mine" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(c.security.update({ ...web })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(c.security.delete({ name: "baseline" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(c.security.deletePolicy({ name: "any" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await c.security.get({ name: "baseline" })).name).toBe("baseline");
  });

  it("another tenant's groups are NOT_FOUND, and its list shows none of ours", async () => {
    const c = await other.caller();
    await c.security.create({ name: "theirs" });
    expect((await c.security.list({})).items.map((g) => g.name)).toEqual(["theirs"]);
    const mine = await member.caller();
    await expect(mine.security.get({ name: "theirs" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(mine.security.delete({ name: "theirs" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(c.security.get({ name: "baseline" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await c.security.get({ name: "theirs" })).name).toBe("theirs");
  });

  it("deletes with a precondition: a stale resourceVersion is CONFLICT", async () => {
    const c = await member.caller();
    const read = await c.security.get({ name: "baseline" });
    await c.security.update({
      name: "baseline",
      defaultForNamespaces: [ns],
      allowSameGroupTraffic: true,
      resourceVersion: read.resourceVersion,
    });
    expect((await refusal(c.security.delete({ name: "baseline", resourceVersion: read.resourceVersion }))).code).toBe(
      "CONFLICT",
    );
    await c.security.delete({ name: "baseline" });
    await expect(c.security.get({ name: "baseline" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("network policies", () => {
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-only-web
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      app: db
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: web
`;

  it("lists a policy written as YAML, by namespace, and deletes it", async () => {
    const c = await member.caller();
    const { results } = await c.manifests.applyYaml({ yaml: policy });
    expect(results.map((r) => r.outcome)).toEqual(["created"]);
    const { items } = await (await viewer.caller()).security.listPolicies({ namespace: ns });
    expect(items).toEqual([
      expect.objectContaining({
        name: "db-only-web",
        namespace: ns,
        podSelector: "app=db",
        policyTypes: ["Ingress"],
        ingressRules: 1,
        egressRules: 0,
      }),
    ]);
    expect((await c.security.getPolicy({ name: "db-only-web", namespace: ns })).podSelector).toBe("app=db");
    await expect((await other.caller()).security.getPolicy({ name: "db-only-web" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await (await other.caller()).security.listPolicies({})).items).toEqual([]);
    await c.security.deletePolicy({ name: "db-only-web", namespace: ns, resourceVersion: items[0]?.resourceVersion });
    expect((await c.security.listPolicies({})).items).toEqual([]);
  });
});

describe("port bans", () => {
  it("an operator adds a ban, every member reads it, the operator removes it", async () => {
    const o = await ops.caller();
    const ban = await o.security.addPortBan({
      name: "smtp-out",
      protocol: "tcp",
      portRangeMin: 25,
      scope: "public",
      reason: "outbound mail is banned against spam",
    });
    expect(ban).toMatchObject({ name: "smtp-out", portRangeMin: 25, portRangeMax: 25, scope: "public" });
    expect((await o.security.adminPortBans()).map((b) => b.name)).toEqual(["smtp-out"]);
    for (const u of [viewer, other])
      expect((await (await u.caller()).security.portBans()).map((b) => b.name)).toEqual(["smtp-out"]);
    expect(
      (await refusal(o.security.addPortBan({ name: "smtp-out", protocol: "tcp", portRangeMin: 25, reason: "again" })))
        .code,
    ).toBe("CONFLICT");
    await o.security.removePortBan({ name: "smtp-out" });
    expect(await o.security.adminPortBans()).toEqual([]);
    expect((await refusal(o.security.removePortBan({ name: "smtp-out" }))).code).toBe("NOT_FOUND");
  });

  it("refuses a bad ban at its field", async () => {
    const o = await ops.caller();
    expect(
      await refusal(
        o.security.addPortBan({ name: "wide", protocol: "udp", portRangeMin: 100, portRangeMax: 70000, reason: "x" }),
      ),
    ).toMatchObject({
      code: "BAD_REQUEST",
      field: expect.stringMatching(/portRangeMax$/),
    });
    expect(
      await refusal(o.security.addPortBan({ name: "blank", protocol: "udp", portRangeMin: 53, reason: "  " })),
    ).toMatchObject({
      code: "BAD_REQUEST",
      field: expect.stringMatching(/reason$/),
    });
    expect(await o.security.adminPortBans()).toEqual([]);
  });

  it("a tenant, even its owner, cannot touch the bans", async () => {
    const c = await owner.caller();
    const input = { name: "dns", protocol: "udp" as const, portRangeMin: 53, reason: "no" };
    await expect(c.security.addPortBan(input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(c.security.removePortBan({ name: "dns" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(c.security.adminPortBans()).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await c.security.portBans()).toEqual([]);
  });
});
