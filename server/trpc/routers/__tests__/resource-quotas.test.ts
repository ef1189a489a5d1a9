/**
 * ResourceQuotas through the API, on the real database store: a quota in one namespace refuses
 * there what would exceed it (403 with the quota's name and figures), leaves other namespaces
 * alone, never lifts the tenant's quota, reports what the namespace uses, can be replaced with a
 * resourceVersion precondition and deleted (which lifts it), survives a restart, and refuses bad
 * input with 400. Answers are views (string resourceVersion, no owner tenant).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import { joinByInvitation } from "@/server/testing/join";

let h: Harness;
let owner: TestUser;
let viewer: TestUser;
let other: TestUser;
let tenantId: string;
const caller = () => owner.caller();
/** 100m and 128Mi per pod (the defaults). */
const template = { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } };
const MI = 2 ** 20;

/**
 * The engine's refusal as the caller sees it: FORBIDDEN with reason QUOTA_EXCEEDED, the figures
 * in the reader's words; answers the engine's own (kubectl's) text, which names the quota.
 */
async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: { code?: string; cause?: { code?: string; message?: string }; message: string }) => error,
  );
  expect(e).toMatchObject({ code: "FORBIDDEN", cause: { code: "QUOTA_EXCEEDED" } });
  expect(e.message).toMatch(/more requested, \d+ of \d+ in use/);
  return e.cause?.message ?? "";
}

beforeAll(async () => {
  h = await createHarness();
  await h.signUp("ops@quotas.test");
  owner = await h.signUp("owner@quotas.test");
  viewer = await h.signUp("viewer@quotas.test");
  other = await h.signUp("other@quotas.test");
  tenantId = (await (await caller()).tenants.create({ name: "Quoted", slug: "quoted" })).id;
  await joinByInvitation(await caller(), viewer, "viewer");
  await (await other.caller()).tenants.create({ name: "Elsewhere", slug: "elsewhere" });
  const c = await caller();
  await c.namespaces.create({ name: "quoted-a" });
  await c.namespaces.create({ name: "quoted-b" });
  await h.services.engine.settle();
}, 60_000);
afterAll(async () => h.close());

describe("resource quotas", () => {
  it("starts with none: every namespace is limited by the tenant's quota only", async () => {
    const c = await caller();
    expect((await c.resourceQuotas.list({})).items).toEqual([]);
    expect((await c.resourceQuotas.list({ namespace: "quoted-a" })).items).toEqual([]);
  });

  it("sets one in a namespace and answers a view with hard and used", async () => {
    const q = await (await caller()).resourceQuotas.set({
      namespace: "quoted-a",
      hard: { cpu: "500m", memory: "512Mi", pods: 2 },
    });
    expect(q).toMatchObject({
      name: "namespace-quota",
      namespace: "quoted-a",
      hard: { cpuMillis: 500, memoryBytes: 512 * MI, pods: 2 },
      used: { cpuMillis: 0, memoryBytes: 0, pods: 0 },
    });
    expect(q.resourceVersion).toMatch(/^\d+$/);
    expect(Number(q.resourceVersion)).toBeGreaterThan(0);
    expect(JSON.stringify(q)).not.toContain(tenantId);
    // Viewers read it.
    const seen = await (await viewer.caller()).resourceQuotas.list({ namespace: "quoted-a" });
    expect(seen.items.map((i) => [i.name, i.resourceVersion])).toEqual([["namespace-quota", q.resourceVersion]]);
    await expect(
      (await viewer.caller()).resourceQuotas.set({ namespace: "quoted-a", hard: { pods: 100 } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses in its namespace a deployment that would exceed it, with the quota's name and figures", async () => {
    const c = await caller();
    const message = await refusal(c.deployments.create({ namespace: "quoted-a", name: "big", replicas: 3, template }));
    expect(message).toContain("exceeded quota: namespace-quota");
    expect(message).toMatch(/requested: .*pods=3/);
    expect(message).toMatch(/limited: .*pods=2/);
    await expect(c.deployments.get({ namespace: "quoted-a", name: "big" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("admits what fits, and counts it as used", async () => {
    const c = await caller();
    await c.deployments.create({ namespace: "quoted-a", name: "web", replicas: 2, template });
    await h.services.engine.settle();
    const [q] = (await c.resourceQuotas.list({ namespace: "quoted-a" })).items;
    expect(q?.used).toEqual({ cpuMillis: 200, memoryBytes: 256 * MI, pods: 2 });
    await refusal(c.deployments.scale({ namespace: "quoted-a", name: "web", replicas: 3 }));
    expect((await c.deployments.get({ namespace: "quoted-a", name: "web" })).spec.replicas).toBe(2);
  });

  it("leaves other namespaces alone", async () => {
    const c = await caller();
    await c.deployments.create({ namespace: "quoted-b", name: "web", replicas: 3, template });
    await h.services.engine.settle();
    expect((await c.deployments.get({ namespace: "quoted-b", name: "web" })).spec.replicas).toBe(3);
    const all = await c.resourceQuotas.list({});
    expect(all.items.map((q) => `${q.namespace}/${q.name}`)).toEqual(["quoted-a/namespace-quota"]);
  });

  it("replaces it under a resourceVersion precondition; a stale one is refused and changes nothing", async () => {
    const c = await caller();
    const [seen] = (await c.resourceQuotas.list({ namespace: "quoted-a" })).items;
    const raised = await c.resourceQuotas.set({
      namespace: "quoted-a",
      name: "namespace-quota",
      hard: { pods: 10 },
      resourceVersion: seen?.resourceVersion,
    });
    expect(raised.hard).toEqual({ pods: 10 });
    expect(Number(raised.resourceVersion)).toBeGreaterThan(Number(seen?.resourceVersion));
    await expect(
      c.resourceQuotas.set({ namespace: "quoted-a", hard: { pods: 1 }, resourceVersion: seen?.resourceVersion }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      c.resourceQuotas.delete({
        namespace: "quoted-a",
        name: "namespace-quota",
        resourceVersion: seen?.resourceVersion,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await c.resourceQuotas.list({ namespace: "quoted-a" })).items[0]?.hard).toEqual({ pods: 10 });
    // A precondition on a quota that does not exist: nothing to compare with.
    await expect(
      c.resourceQuotas.set({ namespace: "quoted-b", name: "nope", hard: { pods: 1 }, resourceVersion: "1" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("never lifts the tenant's quota: within the namespace's, the tenant's still refuses", async () => {
    const c = await caller();
    // Claims now: 2 pods in quoted-a, 3 in quoted-b.
    await h.services.engine.setQuota(tenantId, { pods: 5 });
    try {
      const message = await refusal(c.deployments.scale({ namespace: "quoted-a", name: "web", replicas: 3 }));
      expect(message).toContain("exceeded quota: tenant-quota");
      expect(message).not.toContain("namespace-quota");
    } finally {
      await h.services.engine.setQuota(tenantId, {});
    }
    expect((await c.quota.get()).limits.pods).toBeUndefined();
  });

  it("deleting it lifts it", async () => {
    const c = await caller();
    await c.resourceQuotas.set({ namespace: "quoted-a", hard: { pods: 2 } });
    await refusal(c.deployments.scale({ namespace: "quoted-a", name: "web", replicas: 4 }));
    await expect(c.resourceQuotas.delete({ namespace: "quoted-a", name: "namespace-quota" })).resolves.toEqual({
      ok: true,
    });
    expect((await c.resourceQuotas.list({})).items).toEqual([]);
    await c.deployments.scale({ namespace: "quoted-a", name: "web", replicas: 4 });
    await expect(c.resourceQuotas.delete({ namespace: "quoted-a", name: "namespace-quota" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("records who set and deleted which quota in the audit log", async () => {
    const { items } = await (await caller()).audit.list({ limit: 50 });
    const mine = items.filter((e) => e.action.startsWith("resourceQuotas."));
    expect(mine.map((e) => [e.action, e.target, e.outcome])).toEqual(
      expect.arrayContaining([
        ["resourceQuotas.set", "quoted-a/namespace-quota", "success"],
        ["resourceQuotas.delete", "quoted-a/namespace-quota", "success"],
        ["resourceQuotas.set", "quoted-a/namespace-quota", "failure"],
      ]),
    );
  });

  it("keeps another tenant's quotas out of reach", async () => {
    const theirs = await other.caller();
    await theirs.resourceQuotas.set({ namespace: "elsewhere", name: "theirs", hard: { pods: 7 } });
    const c = await caller();
    await expect(c.resourceQuotas.list({ namespace: "elsewhere" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(c.resourceQuotas.delete({ namespace: "elsewhere", name: "theirs" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(c.resourceQuotas.set({ namespace: "elsewhere", hard: { pods: 0 } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(JSON.stringify(await c.resourceQuotas.list({}))).not.toContain("theirs");
    expect((await theirs.resourceQuotas.list({})).items.map((q) => [q.name, q.hard])).toEqual([
      ["theirs", { pods: 7 }],
    ]);
  });

  it("refuses bad input with 400 and changes nothing", async () => {
    const c = await caller();
    const bad: unknown[] = [
      { namespace: "quoted-a", hard: {} },
      { namespace: "quoted-a", hard: { cpu: "lots" } },
      { namespace: "quoted-a", hard: { memory: "4GB" } },
      { namespace: "quoted-a", hard: { pods: -1 } },
      { namespace: "quoted-a", hard: { pods: 1.5 } },
      { namespace: "quoted-a", hard: { nodes: 1 } },
      { namespace: "quoted-a", hard: { pods: 1 }, tenantId: "x" },
      { namespace: "Quoted_A", hard: { pods: 1 } },
      { namespace: "quoted-a", name: "Bad_Name", hard: { pods: 1 } },
      { namespace: "quoted-a", hard: { pods: 1 }, resourceVersion: "latest" },
    ];
    for (const input of bad)
      await expect(
        c.resourceQuotas.set(input as Parameters<typeof c.resourceQuotas.set>[0]),
        JSON.stringify(input),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(c.resourceQuotas.delete({ name: "x".repeat(64) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      c.resourceQuotas.list({ namespace: "quoted-a", all: true } as { namespace: string }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(c.resourceQuotas.set({ namespace: "missing", hard: { pods: 1 } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await c.resourceQuotas.list({})).items).toEqual([]);
  });

  it("keeps a namespace's quota across a restart, and names the tenant's default namespace when none is given", async () => {
    await (await caller()).resourceQuotas.set({ hard: { cpu: "2", memory: "4Gi" } });
    await h.crashAndRestart();
    await h.services.engine.settle();
    const c = await caller();
    const { items } = await c.resourceQuotas.list({});
    expect(items.map((q) => [q.namespace, q.name, q.hard])).toEqual([
      ["quoted", "namespace-quota", { cpuMillis: 2000, memoryBytes: 4 * 2 ** 30 }],
    ]);
    await c.resourceQuotas.delete({ name: "namespace-quota" });
    expect((await c.resourceQuotas.list({ namespace: "quoted" })).items).toEqual([]);
  });
});
