/**
 * The console's YAML tab through the API: an object as its Kubernetes manifest, edits saved
 * with their resourceVersion (a change made meanwhile is a Conflict, nothing overwritten),
 * multi-document text applied document by document (created, unchanged, configured, kinds not
 * served skipped and named), refusals with the field path the editor marks, dry runs that store
 * nothing, viewers who read but cannot apply, and another tenant's namespace as missing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";
import { joinByInvitation } from "@/server/testing/join";

let h: Harness;
let owner: TestUser;
let viewer: TestUser;
let other: TestUser;
const ns = "yaml-shop";

const web = (name: string, replicas = 1, image = "nginx:1.27") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: web
          image: ${image}
`;

beforeAll(async () => {
  h = await createHarness();
  await h.signUp("ops@yaml.test");
  owner = await h.signUp("owner@yaml.test");
  viewer = await h.signUp("viewer@yaml.test");
  other = await h.signUp("other@yaml.test");
  await (await owner.caller()).tenants.create({ name: "Yaml Shop", slug: ns });
  await joinByInvitation(await owner.caller(), viewer, "viewer");
  await (await other.caller()).tenants.create({ name: "Elsewhere", slug: "yaml-elsewhere" });
}, 60_000);
afterAll(async () => h.close());

describe("manifests", () => {
  it("applies a multi-document text: served kinds created, others skipped by name", async () => {
    const c = await owner.caller();
    const service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{ port: 80 }]\n";
    const claim = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n";
    const { results } = await c.manifests.applyYaml({ yaml: `${web("web")}---\n${service}---\n${claim}` });
    expect(results).toEqual([
      expect.objectContaining({ index: 0, kind: "Deployment", name: "web", outcome: "created" }),
      expect.objectContaining({ index: 1, kind: "Service", name: "web", outcome: "created" }),
      { index: 2, kind: "PersistentVolumeClaim", name: "data", outcome: "skipped" },
    ]);
    expect((await c.deployments.get({ name: "web" })).spec.replicas).toBe(1);
    // The same text again changes nothing; a changed one is merged in.
    expect((await c.manifests.applyYaml({ yaml: web("web") })).results[0]?.outcome).toBe("unchanged");
    expect((await c.manifests.applyYaml({ yaml: web("web", 2) })).results[0]?.outcome).toBe("configured");
    expect((await c.deployments.get({ name: "web" })).spec.replicas).toBe(2);
  });

  it("shows an object as its manifest and saves an edit of it, refusing a stale one", async () => {
    // The edit replaces what it loaded: let the last test's writes (the new replica's status) land first.
    await h.services.engine.whenIdle();
    const c = await owner.caller();
    const got = await c.manifests.get({ kind: "Deployment", namespace: ns, name: "web" });
    expect(got.kubectl).toBe(`kubectl edit deployment.apps/web -n ${ns}`);
    const manifest = parse(got.yaml);
    expect(manifest).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } });
    expect(manifest.metadata.managedFields).toBeUndefined();

    manifest.spec.replicas = 3;
    const saved = await c.manifests.applyYaml({ yaml: stringify(manifest) });
    expect(saved.results[0]).toMatchObject({ outcome: "configured" });
    expect((await c.deployments.get({ name: "web" })).spec.replicas).toBe(3);

    // The first copy's resourceVersion is stale now.
    manifest.spec.replicas = 5;
    const stale = await c.manifests.applyYaml({ yaml: stringify(manifest) });
    expect(stale.results[0]).toMatchObject({ outcome: "failed", reason: "Conflict" });
    expect((await c.deployments.get({ name: "web" })).spec.replicas).toBe(3);
  });

  it("saves an edit as the person's changes only: other fields written meanwhile stay, the same field is a Conflict", async () => {
    const c = await owner.caller();
    await c.manifests.applyYaml({ yaml: web("edited") });
    const got = await c.manifests.get({ kind: "Deployment", namespace: ns, name: "edited" });
    // Meanwhile somebody scales it (a new resourceVersion, then the rollout's status writes).
    await c.deployments.scale({ name: "edited", replicas: 4 });
    const edited = parse(got.yaml);
    edited.metadata.labels = { ...edited.metadata.labels, tier: "front" };
    const saved = await c.manifests.applyYaml({ yaml: stringify(edited), original: got.yaml });
    expect(saved.results[0]).toMatchObject({ outcome: "configured" });
    const after = await c.manifests.get({ kind: "Deployment", namespace: ns, name: "edited" });
    expect(parse(after.yaml)).toMatchObject({ metadata: { labels: { tier: "front" } }, spec: { replicas: 4 } });

    // The loaded copy changes replicas too, which somebody else changed since: refused, naming the field.
    edited.spec.replicas = 6;
    const clash = await c.manifests.applyYaml({ yaml: stringify(edited), original: got.yaml });
    expect(clash.results[0]).toMatchObject({ outcome: "failed", reason: "Conflict" });
    expect(clash.results[0]?.message).toContain("spec.replicas");
    expect((await c.deployments.get({ name: "edited" })).spec.replicas).toBe(4);
    // Saving what was loaded, untouched, writes nothing.
    const same = await c.manifests.applyYaml({ yaml: after.yaml, original: after.yaml });
    expect(same.results[0]).toMatchObject({ outcome: "unchanged" });
    await c.deployments.delete({ name: "edited" });
  });

  it("says which field is refused, and a dry run stores nothing", async () => {
    const c = await owner.caller();
    const bad = await c.manifests.applyYaml({ yaml: web("broken", 1, "Not An Image") });
    expect(bad.results[0]).toMatchObject({ outcome: "failed", reason: "Invalid" });
    expect(bad.results[0]?.causes?.[0]?.field).toMatch(/containers\[0\]\.image$/);
    const dry = await c.manifests.applyYaml({ yaml: web("dry"), dryRun: true });
    expect(dry.results[0]?.outcome).toBe("created");
    expect((await c.deployments.list({})).items.map((d) => d.name)).not.toContain("dry");
    await expect(c.manifests.applyYaml({ yaml: "a: [1, 2" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("viewers read manifests but cannot apply; another tenant's namespace is missing", async () => {
    const v = await viewer.caller();
    expect((await v.manifests.get({ kind: "Deployment", namespace: ns, name: "web" })).yaml).toContain(
      "kind: Deployment",
    );
    await expect(v.manifests.applyYaml({ yaml: web("nope") })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const o = await other.caller();
    await expect(o.manifests.get({ kind: "Deployment", namespace: ns, name: "web" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const theirs = await o.manifests.applyYaml({
      yaml: web("web", 0).replace("name: web\n", `name: web\n  namespace: ${ns}\n`),
    });
    expect(theirs.results[0]).toMatchObject({ outcome: "failed", message: `namespaces "${ns}" not found` });
    expect((await (await owner.caller()).deployments.get({ name: "web" })).spec.replicas).toBe(3);
  });

  it("gets an object itself, from the default namespace when none is named", async () => {
    const c = await owner.caller();
    const got = await c.manifests.get({ kind: "Deployment", name: "web" });
    expect(got.object).toMatchObject({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: ns, resourceVersion: got.resourceVersion },
      spec: { replicas: 3 },
      status: expect.any(Object),
    });
    expect(got.object.metadata.managedFields).toBeUndefined();
    expect(parse(got.yaml)).toEqual(got.object);
  });
});

describe("manifests.list", () => {
  const names = (list: { items: { metadata: { name?: string; namespace?: unknown } }[] }) =>
    list.items.map((o) => `${String(o.metadata.namespace ?? "")}/${o.metadata.name}`);

  beforeAll(async () => {
    const c = await owner.caller();
    await c.namespaces.create({ name: "yaml-shop-dev" });
    const labelled = (name: string, tier: string, namespace?: string) =>
      web(name, 0).replace(
        `name: ${name}\n`,
        `name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ""}  labels: { tier: ${tier} }\n`,
      );
    const { results } = await c.manifests.applyYaml({
      yaml: [labelled("api", "back"), labelled("front", "front"), labelled("dev-api", "back", "yaml-shop-dev")].join(
        "---\n",
      ),
    });
    expect(results.map((r) => r.outcome)).toEqual(["created", "created", "created"]);
  });

  it("lists a kind as the Kubernetes API does, in the default namespace or the one named", async () => {
    const c = await owner.caller();
    const list = await c.manifests.list({ kind: "Deployment" });
    expect(list).toMatchObject({
      apiVersion: "apps/v1",
      kind: "DeploymentList",
      metadata: { resourceVersion: /^\d+$/ },
    });
    expect(names(list)).toEqual([`${ns}/api`, `${ns}/front`, `${ns}/web`]);
    expect(list.items[0]).toMatchObject({ apiVersion: "apps/v1", kind: "Deployment", spec: { replicas: 0 } });
    expect(list.items.every((o) => o.metadata.managedFields === undefined)).toBe(true);
    expect(names(await c.manifests.list({ kind: "Deployment", namespace: "yaml-shop-dev" }))).toEqual([
      "yaml-shop-dev/dev-api",
    ]);
    // A cluster-scoped kind ignores the namespace; the tenant sees its own namespaces only.
    expect(names(await c.manifests.list({ kind: "Namespace" }))).toEqual(["/yaml-shop", "/yaml-shop-dev"]);
  });

  it("selects by label (set-based too) and field, through the API's own selectors", async () => {
    const c = await owner.caller();
    expect(names(await c.manifests.list({ kind: "Deployment", labelSelector: "tier=back" }))).toEqual([`${ns}/api`]);
    expect(
      names(await c.manifests.list({ kind: "Deployment", allNamespaces: true, labelSelector: "tier in (back)" })),
    ).toEqual([`${ns}/api`, "yaml-shop-dev/dev-api"]);
    expect(names(await c.manifests.list({ kind: "Deployment", fieldSelector: "metadata.name=front" }))).toEqual([
      `${ns}/front`,
    ]);
    await expect(c.manifests.list({ kind: "Deployment", labelSelector: "tier in (" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("pages across every namespace of the tenant, each object once", async () => {
    const c = await owner.caller();
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const list = await c.manifests.list({ kind: "Deployment", allNamespaces: true, limit: 2, continue: token });
      expect(list.items.length).toBeLessThanOrEqual(2);
      seen.push(...names(list));
      token = list.metadata.continue;
      if (!token) break;
    }
    expect(seen).toEqual([`${ns}/api`, `${ns}/front`, `${ns}/web`, "yaml-shop-dev/dev-api"]);
  });

  it("refuses what it cannot answer: an unknown kind, both scopes, a bad token, another tenant's namespace", async () => {
    const c = await owner.caller();
    for (const input of [
      { kind: "PersistentVolumeClaim" },
      { kind: "Deployment", namespace: ns, allNamespaces: true },
      { kind: "Deployment", allNamespaces: true, continue: "not-a-token" },
      { kind: "Deployment", continue: "not-a-token" },
    ])
      await expect(c.manifests.list(input)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const o = await other.caller();
    await expect(o.manifests.list({ kind: "Deployment", namespace: ns })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const theirs = await o.manifests.list({ kind: "Deployment", allNamespaces: true });
    expect(theirs.items).toEqual([]);
    // A viewer reads lists.
    expect(names(await (await viewer.caller()).manifests.list({ kind: "Deployment" }))).toContain(`${ns}/web`);
  });
});
