/**
 * Namespaces through the API, on the real database store: a tenant's first namespace is its
 * slug, more are created and deleted (deleting one deletes what is in it, showing Terminating
 * until then), names are unique across tenants without saying whose, the same deployment name
 * lives in two namespaces, and answers are views (string resourceVersion, no owner tenant).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";

let h: Harness;
let owner: TestUser;
let other: TestUser;
const template = { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } };
const caller = () => owner.caller();

beforeAll(async () => {
  h = await createHarness();
  await h.signUp("ops@namespaces.test");
  owner = await h.signUp("owner@namespaces.test");
  other = await h.signUp("other@namespaces.test");
  await (await caller()).tenants.create({ name: "Acme", slug: "acme" });
  await (await other.caller()).tenants.create({ name: "Zeta", slug: "zeta" });
  await h.services.engine.settle();
}, 60_000);
afterAll(async () => h.close());

describe("namespaces", () => {
  it("gives a new tenant its first namespace, named by its slug, as its default", async () => {
    const { items } = await (await caller()).namespaces.list();
    expect(items.map((n) => [n.name, n.default, n.phase])).toEqual([["acme", true, "Active"]]);
    expect(typeof items[0]?.resourceVersion).toBe("string");
    expect(Number.isNaN(Date.parse(items[0]?.creationTimestamp ?? ""))).toBe(false);
    expect(JSON.stringify(items)).not.toContain((await (await caller()).tenants.current()).id);
  });

  it("creates a namespace, runs a deployment in it, and deletes both (Terminating until empty)", async () => {
    const c = await caller();
    await c.namespaces.create({ name: "acme-staging", labels: { env: "staging" } });
    await c.deployments.create({ namespace: "acme-staging", name: "web", replicas: 1, template });
    await h.services.engine.settle();
    expect((await c.deployments.list({ namespace: "acme-staging" })).items.map((d) => d.name)).toEqual(["web"]);
    expect((await c.deployments.list({ namespace: "acme" })).items).toEqual([]);
    expect((await c.pods.list({ namespace: "acme-staging" })).items).toHaveLength(1);

    await c.namespaces.delete({ name: "acme-staging" });
    expect((await c.namespaces.get({ name: "acme-staging" })).phase).toBe("Terminating");
    await expect(
      c.deployments.create({ namespace: "acme-staging", name: "late", replicas: 0, template }),
    ).rejects.toMatchObject({ code: "CONFLICT" });

    await h.services.engine.settle();
    expect((await c.namespaces.list()).items.map((n) => n.name)).toEqual(["acme"]);
    await expect(c.deployments.get({ namespace: "acme-staging", name: "web" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await c.pods.list({})).items.filter((p) => p.namespace === "acme-staging")).toEqual([]);
  });

  it("refuses to delete the default namespace", async () => {
    await expect((await caller()).namespaces.delete({ name: "acme" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await (await caller()).namespaces.get({ name: "acme" })).phase).toBe("Active");
  });

  it("refuses a name another tenant holds without saying whose, and hides that namespace", async () => {
    const c = await caller();
    const refused = c.namespaces.create({ name: "zeta" });
    await expect(refused).rejects.toMatchObject({ code: "CONFLICT" });
    await refused.catch((e: Error) => {
      expect(e.message).not.toMatch(/Zeta|other@/);
    });
    await expect(c.namespaces.get({ name: "zeta" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(c.deployments.list({ namespace: "zeta" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses a tenant slug that is already another tenant's namespace, and keeps no half-made tenant", async () => {
    await (await caller()).namespaces.create({ name: "acme-newco" });
    const late = await h.signUp("late@namespaces.test");
    await expect((await late.caller()).tenants.create({ name: "Newco", slug: "acme-newco" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(await (await late.caller()).tenants.list()).toEqual([]);
    await (await caller()).namespaces.delete({ name: "acme-newco" });
    await h.services.engine.settle();
  });

  it("keeps the same deployment name apart in two namespaces; no namespace means the default one", async () => {
    const c = await caller();
    await c.namespaces.create({ name: "acme-dev" });
    await c.deployments.create({ name: "api", replicas: 1, template });
    await c.deployments.create({ namespace: "acme-dev", name: "api", replicas: 2, template });
    await h.services.engine.settle();
    expect((await c.deployments.get({ name: "api" })).namespace).toBe("acme");
    expect((await c.deployments.get({ namespace: "acme-dev", name: "api" })).spec.replicas).toBe(2);
    const all = await c.deployments.list({});
    expect(all.items.map((d) => `${d.namespace}/${d.name}`)).toEqual(["acme-dev/api", "acme/api"].sort());

    await c.deployments.scale({ namespace: "acme-dev", name: "api", replicas: 3 });
    expect((await c.deployments.get({ name: "api" })).spec.replicas).toBe(1);
    expect((await c.deployments.get({ namespace: "acme-dev", name: "api" })).spec.replicas).toBe(3);
  });

  it("refuses a write naming a stale resourceVersion and changes nothing", async () => {
    const c = await caller();
    const seen = await c.deployments.get({ name: "api" });
    await c.deployments.scale({ name: "api", replicas: 2, resourceVersion: seen.resourceVersion });
    await expect(
      c.deployments.scale({ name: "api", replicas: 4, resourceVersion: seen.resourceVersion }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await c.deployments.get({ name: "api" })).spec.replicas).toBe(2);
  });

  it("keeps a tenant's namespaces across a restart", async () => {
    await h.crashAndRestart();
    await h.services.engine.settle();
    const c = await caller();
    expect((await c.namespaces.list()).items.map((n) => [n.name, n.default])).toEqual([
      ["acme", true],
      ["acme-dev", false],
    ]);
    expect((await c.deployments.get({ name: "api" })).namespace).toBe("acme");
  });
});
