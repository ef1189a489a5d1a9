/**
 * The Config page's data through the API, on the real database store: ConfigMaps and Secrets
 * made from YAML are listed by kind with their key count and a Secret's type, never their keys
 * or values (for any role); lists follow the namespace and come in pages; a Secret's data
 * (base64, as Kubernetes serves it) is read through its manifest by members and refused to
 * viewers, as on the Kubernetes API, while viewers still read ConfigMaps; delete needs the
 * member role, honours a resourceVersion precondition, and never reaches another tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import { joinByInvitation } from "@/server/testing/join";

let h: Harness;
let owner: TestUser;
let member: TestUser;
let viewer: TestUser;
let other: TestUser;
const ns = "cfg-shop";
const extra = "cfg-shop-extra";
const password = "hunter2-very-secret";
const passwordB64 = Buffer.from(password).toString("base64");

const configMap = (name: string, namespace = ns) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  color: blue\n  size: large\n`;
const secret = `apiVersion: v1
kind: Secret
metadata:
  name: db-login
  namespace: ${ns}
type: Opaque
stringData:
  db-password: ${password}
`;

beforeAll(async () => {
  h = await createHarness();
  await h.signUp("ops@cfg.test");
  owner = await h.signUp("owner@cfg.test");
  member = await h.signUp("member@cfg.test");
  viewer = await h.signUp("viewer@cfg.test");
  other = await h.signUp("other@cfg.test");
  const tenant = await (await owner.caller()).tenants.create({ name: "Cfg Shop", slug: ns });
  for (const [user, role] of [
    [member, "member"],
    [viewer, "viewer"],
  ] as const) {
    await joinByInvitation(await owner.caller(), user, role);
    await (await user.caller()).tenants.switch({ id: tenant.id });
  }
  await (await other.caller()).tenants.create({ name: "Elsewhere", slug: "cfg-elsewhere" });
  const c = await owner.caller();
  await c.namespaces.create({ name: extra });
  const { results } = await c.manifests.applyYaml({
    yaml: `${configMap("app-settings")}---\n${configMap("zz-settings")}---\n${configMap("other-settings", extra)}---\n${secret}`,
  });
  expect(results.map((r) => r.outcome)).toEqual(["created", "created", "created", "created"]);
}, 60_000);
afterAll(async () => h.close());

describe("config objects", () => {
  it("lists ConfigMaps and Secrets by kind with key counts and types, never keys or values", async () => {
    for (const user of [owner, viewer]) {
      const c = await user.caller();
      const maps = await c.config.list({ kind: "ConfigMap" });
      expect(maps.items.map((o) => [o.namespace, o.name, o.keys])).toEqual([
        [extra, "other-settings", 2],
        [ns, "app-settings", 2],
        [ns, "zz-settings", 2],
      ]);
      const secrets = await c.config.list({ kind: "Secret" });
      expect(secrets.items).toEqual([
        expect.objectContaining({ kind: "Secret", name: "db-login", namespace: ns, keys: 1, type: "Opaque" }),
      ]);
      const shown = JSON.stringify([maps, secrets]);
      for (const hidden of [password, passwordB64, "db-password", "blue", "color"]) expect(shown).not.toContain(hidden);
    }
  });

  it("follows the namespace and pages", async () => {
    const c = await viewer.caller();
    expect((await c.config.list({ kind: "ConfigMap", namespace: extra })).items.map((o) => o.name)).toEqual([
      "other-settings",
    ]);
    const first = await c.config.list({ kind: "ConfigMap", namespace: ns, limit: 1 });
    expect(first.items.map((o) => o.name)).toEqual(["app-settings"]);
    expect(first.nextCursor).toBeDefined();
    const second = await c.config.list({ kind: "ConfigMap", namespace: ns, limit: 1, cursor: first.nextCursor });
    expect(second.items.map((o) => o.name)).toEqual(["zz-settings"]);
    await expect(c.config.list({ kind: "ConfigMap", namespace: "no-such-ns" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("shows a Secret's data (base64) to members and refuses it to viewers, who still read ConfigMaps", async () => {
    const target = { kind: "Secret", name: "db-login", namespace: ns };
    const asMember = await (await member.caller()).manifests.get(target);
    expect(asMember.yaml).toContain(`db-password: ${passwordB64}`);
    expect(asMember.yaml).not.toContain(password);
    await expect((await viewer.caller()).manifests.get(target)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const map = await (await viewer.caller()).manifests.get({ kind: "ConfigMap", name: "app-settings", namespace: ns });
    expect(map.yaml).toContain("color: blue");
  });

  it("deletes with the member role, refusing a stale resourceVersion and viewers", async () => {
    const target = { kind: "ConfigMap" as const, name: "zz-settings", namespace: ns };
    await expect((await viewer.caller()).config.delete(target)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const c = await member.caller();
    const listed = (await c.config.list({ kind: "ConfigMap", namespace: ns })).items.find(
      (o) => o.name === target.name,
    );
    await c.manifests.applyYaml({ yaml: configMap(target.name).replace("large", "small") });
    await expect(c.config.delete({ ...target, resourceVersion: listed?.resourceVersion })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect((await c.config.list({ kind: "ConfigMap", namespace: ns })).items.map((o) => o.name)).toContain(target.name);
    await c.config.delete(target);
    expect((await c.config.list({ kind: "ConfigMap", namespace: ns })).items.map((o) => o.name)).not.toContain(
      target.name,
    );
    await expect(c.config.delete(target)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("never shows or deletes another tenant's objects", async () => {
    const c = await other.caller();
    expect((await c.config.list({ kind: "ConfigMap" })).items).toEqual([]);
    expect((await c.config.list({ kind: "Secret" })).items).toEqual([]);
    await expect(c.config.list({ kind: "Secret", namespace: ns })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(c.config.delete({ kind: "Secret", name: "db-login", namespace: ns })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const own = await (await owner.caller()).config.list({ kind: "Secret" });
    expect(own.items.map((o) => o.name)).toEqual(["db-login"]);
  });

  it("refuses bad input with a 400", async () => {
    const c = await owner.caller();
    await expect(c.config.list({ kind: "Service" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(c.config.delete({ kind: "ConfigMap", name: "Not_A_Name" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
