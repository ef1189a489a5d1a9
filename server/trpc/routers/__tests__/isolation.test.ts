/**
 * The tenant-isolation suite. It walks every procedure of the app router and, for each:
 * - with no session: UNAUTHORIZED (unless public);
 * - with too weak a role (or a non-operator for operator procedures): FORBIDDEN, nothing changed;
 * - with another tenant's ids: NOT_FOUND and nothing changed, or (for reads and writes that
 *   take no foreign ids) an answer that shows and touches only the caller's own tenant;
 * - with another tenant's namespace (every procedure that takes one): NOT_FOUND, nothing changed;
 *   a namespace name another tenant holds is refused as taken (CONFLICT) without saying whose.
 * A procedure without a case below fails the suite: new procedures must join it.
 */
import type { AnyProcedure } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasRole, tenantRoles, type TenantRole } from "@/server/auth/roles";
import { createHarness, type Harness } from "@/server/testing/harness";
import { buildWorld, type World } from "@/server/testing/world";
import type { ProcedureMeta } from "../../init";
import { appRouter } from "../../root";
import type { Case } from "./isolation-case";
import { networkCases } from "./isolation-cases/networks";
import { publicIpCases } from "./isolation-cases/public-ips";
import { securityCases } from "./isolation-cases/security";

type Caller = Awaited<ReturnType<Harness["anonymous"]>>;

/** A deployment manifest scaling `name` in `namespace` to zero (what a foreign write must not do). */
const manifestOf = (name: string, namespace: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  replicas: 0\n`;

/** Billing answers carry bigint money: check them for tenant B's ids without JSON's bigint error. */
const showsNothingOfB = (result: unknown, w: World) => {
  const shown = JSON.stringify(result ?? null, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  for (const secret of [w.b.id, w.b.deployment.id, w.b.pod.id, w.b.node.id, w.b.pool.id, w.b.deployment.name])
    expect(shown).not.toContain(secret);
};
/**
 * A live stream (live.changes) read until a change A makes now: everything before it (the
 * replayed history, notes of both tenants' commits) names only A's objects.
 */
async function showsOnlyA(result: unknown, w: World): Promise<void> {
  type Note = { kind?: string; resourceVersion?: string };
  const stream = (result as AsyncIterable<[string, Note]>)[Symbol.asyncIterator]();
  const owner = await w.a.users.owner.caller();
  const current = (await owner.deployments.get({ name: w.a.deployment.name })).spec.replicas;
  await owner.deployments.scale({ name: w.a.deployment.name, replicas: current + 1 });
  const marker = h.services.engine
    .listDeployments(w.a.id, { limit: 500 })
    .items.find((d) => d.id === w.a.deployment.id)?.resourceVersion;
  const notes: Note[] = [];
  for (;;) {
    const r = await stream.next();
    if (r.done) break;
    notes.push(r.value[1]);
    if (r.value[1].kind === "Deployment" && r.value[1].resourceVersion === String(marker)) break;
  }
  await stream.return?.(undefined);
  expect(notes.length).toBeGreaterThan(1);
  const shown = JSON.stringify(notes);
  // Names only (notes carry no ids); B's pool shares A's name, "default".
  for (const secret of [w.b.slug, w.b.deployment.name, w.b.pod.name, w.b.node.name, w.b.id])
    expect(shown).not.toContain(secret);
}

const billingPrices = {
  currency: "USD",
  cpuHourMicros: 31_000,
  memoryGibHourMicros: 4_000,
  node2c4gHourMicros: 20_000,
  node4c8gHourMicros: 40_000,
  node8c16gHourMicros: 80_000,
};

const cases: Record<string, Case> = {
  "session.me": { own: () => undefined, foreign: null },
  "session.clock": { own: () => undefined, foreign: null },
  "tenants.list": { own: () => ({}), foreign: { input: () => ({}), expect: "scoped" } },
  "tenants.current": { own: () => ({}), foreign: { input: () => ({}), expect: "scoped" } },
  "tenants.create": {
    own: () => ({ name: "Spare", slug: `spare-${Math.random().toString(36).slice(2, 8)}` }),
    foreign: null,
  },
  "tenants.switch": { own: (w) => ({ id: w.a.id }), foreign: { input: (w) => ({ id: w.b.id }), expect: "NOT_FOUND" } },
  "tenants.rename": {
    own: () => ({ name: "TENANT-A" }),
    foreign: { input: () => ({ name: "Renamed" }), expect: "scoped" },
  },
  "members.list": { own: () => ({}), foreign: { input: () => ({}), expect: "scoped" } },
  "members.invite": {
    own: () => ({ email: `new-${Math.random().toString(36).slice(2, 8)}@a.test`, role: "viewer" }),
    foreign: { input: (w) => ({ email: w.b.users.owner.email, role: "viewer" }), expect: "scoped" },
  },
  "members.updateRole": {
    own: (w) => ({ memberId: w.a.memberIds.viewer, role: "viewer" }),
    foreign: { input: (w) => ({ memberId: w.b.memberIds.member, role: "viewer" }), expect: "NOT_FOUND" },
  },
  "members.remove": {
    own: (w) => ({ memberId: w.a.memberIds.viewer }),
    foreign: { input: (w) => ({ memberId: w.b.memberIds.member }), expect: "NOT_FOUND" },
  },
  "members.cancelInvitation": {
    own: (w) => ({ id: w.a.invitationId }),
    foreign: { input: (w) => ({ id: w.b.invitationId }), expect: "NOT_FOUND" },
  },
  "tokens.list": { own: () => ({}), foreign: { input: () => ({}), expect: "scoped" } },
  "tokens.create": { own: () => ({ name: "probe" }), foreign: { input: () => ({ name: "probe" }), expect: "scoped" } },
  "tokens.revoke": {
    own: (w) => ({ tokenId: w.a.tokenId }),
    foreign: { input: (w) => ({ tokenId: w.b.tokenId }), expect: "NOT_FOUND" },
  },
  "invitations.get": {
    own: () => ({ secret: "inv_unknown" }),
    foreign: { input: () => ({ secret: "inv_guessed" }), expect: "NOT_FOUND" },
  },
  "invitations.accept": {
    own: () => ({ secret: "inv_unknown" }),
    foreign: { input: () => ({ secret: "inv_guessed" }), expect: "NOT_FOUND" },
  },
  "operatorTokens.list": { own: () => ({}), foreign: null },
  "operatorTokens.create": { own: () => ({ name: "probe" }), foreign: null },
  "operatorTokens.revoke": { own: () => ({ tokenId: "no-such-token" }), foreign: null },
  "audit.list": {
    own: () => ({ limit: 50 }),
    // The log may quote ids the caller typed (a refused attempt is recorded), so check ownership of rows.
    foreign: {
      input: () => ({ limit: 200 }),
      expect: "scoped",
      shows: (result, w) => {
        const items = (result as { items: { tenantId: string | null }[] }).items;
        expect(items.length).toBeGreaterThan(0);
        expect(items.every((e) => e.tenantId === w.a.id)).toBe(true);
      },
    },
  },
  "deployments.list": { own: () => ({}), foreign: { input: () => ({ limit: 500 }), expect: "scoped" } },
  "deployments.get": {
    own: (w) => ({ name: w.a.deployment.name }),
    foreign: { input: (w) => ({ name: w.b.deployment.id }), expect: "NOT_FOUND" },
  },
  "deployments.create": {
    own: () => ({
      name: "probe",
      replicas: 0,
      template: { spec: { containers: [{ name: "c", image: "nginx:1.27" }] } },
    }),
    foreign: {
      input: () => ({
        name: "probe-x",
        replicas: 0,
        template: { spec: { containers: [{ name: "c", image: "nginx:1.27" }] } },
      }),
      expect: "scoped",
    },
  },
  "deployments.update": {
    own: (w) => ({ name: w.a.deployment.name, replicas: 2 }),
    foreign: { input: (w) => ({ name: w.b.deployment.id, replicas: 5 }), expect: "NOT_FOUND" },
  },
  "deployments.scale": {
    own: (w) => ({ name: w.a.deployment.name, replicas: 2 }),
    foreign: { input: (w) => ({ name: w.b.deployment.id, replicas: 0 }), expect: "NOT_FOUND" },
  },
  "deployments.rollback": {
    own: (w) => ({ name: w.a.deployment.name }),
    foreign: { input: (w) => ({ name: w.b.deployment.id }), expect: "NOT_FOUND" },
  },
  "deployments.restart": {
    own: (w) => ({ name: w.a.deployment.name }),
    foreign: { input: (w) => ({ name: w.b.deployment.id }), expect: "NOT_FOUND" },
  },
  "deployments.pause": {
    own: (w) => ({ name: w.a.deployment.name }),
    foreign: { input: (w) => ({ name: w.b.deployment.id }), expect: "NOT_FOUND" },
  },
  "deployments.resume": {
    own: (w) => ({ name: w.a.deployment.name }),
    foreign: { input: (w) => ({ name: w.b.deployment.id }), expect: "NOT_FOUND" },
  },
  "deployments.delete": {
    own: (w) => ({ name: w.a.deployment.name }),
    foreign: { input: (w) => ({ name: w.b.deployment.id }), expect: "NOT_FOUND" },
  },
  "pods.list": { own: () => ({}), foreign: { input: (w) => ({ deployment: w.b.deployment.id }), expect: "NOT_FOUND" } },
  "pods.get": {
    own: (w) => ({ name: w.a.pod.name }),
    foreign: { input: (w) => ({ name: w.b.pod.id }), expect: "NOT_FOUND" },
  },
  "pods.logs": {
    own: (w) => ({ name: w.a.pod.name }),
    foreign: { input: (w) => ({ name: w.b.pod.id }), expect: "NOT_FOUND" },
  },
  "pods.delete": {
    own: (w) => ({ name: w.a.pod.name }),
    foreign: { input: (w) => ({ name: w.b.pod.id }), expect: "NOT_FOUND" },
  },
  "pods.migrate": {
    own: (w) => ({ name: w.a.pod.name, node: w.a.node.name }),
    foreign: { input: (w) => ({ name: w.a.pod.name, node: w.b.node.id }), expect: "NOT_FOUND" },
  },
  "nodes.list": { own: () => ({}), foreign: { input: (w) => ({ pool: w.b.pool.id }), expect: "NOT_FOUND" } },
  "nodes.get": {
    own: (w) => ({ name: w.a.node.name }),
    foreign: { input: (w) => ({ name: w.b.node.id }), expect: "NOT_FOUND" },
  },
  "nodes.cordon": {
    own: (w) => ({ name: w.a.node.name }),
    foreign: { input: (w) => ({ name: w.b.node.id }), expect: "NOT_FOUND" },
  },
  "nodes.uncordon": {
    own: (w) => ({ name: w.a.node.name }),
    foreign: { input: (w) => ({ name: w.b.node.id }), expect: "NOT_FOUND" },
  },
  "nodes.drain": {
    own: (w) => ({ name: w.a.node.name }),
    foreign: { input: (w) => ({ name: w.b.node.id }), expect: "NOT_FOUND" },
  },
  "nodePools.list": { own: () => ({}), foreign: { input: () => ({}), expect: "scoped" } },
  "nodePools.create": {
    own: () => ({ name: "probe-pool", machineType: "2c4g", maxSize: 1 }),
    foreign: { input: () => ({ name: "probe-pool-x", machineType: "2c4g", maxSize: 0 }), expect: "scoped" },
  },
  "nodePools.update": {
    own: (w) => ({ name: w.a.pool.name, maxSize: 5 }),
    foreign: { input: (w) => ({ name: w.b.pool.id, maxSize: 9 }), expect: "NOT_FOUND" },
  },
  "nodePools.delete": {
    own: (w) => ({ name: w.a.pool.name }),
    foreign: { input: (w) => ({ name: w.b.pool.id }), expect: "NOT_FOUND" },
  },
  "events.list": { own: () => ({}), foreign: { input: () => ({ limit: 500 }), expect: "scoped" } },
  "namespaces.list": {
    own: () => ({}),
    foreign: {
      input: () => ({}),
      expect: "scoped",
      shows: (result, w) => {
        const names = (result as { items: { name: string }[] }).items.map((n) => n.name);
        expect(names).toContain(w.a.slug);
        expect(names).not.toContain(w.b.slug);
        showsNothingOfB(result, w);
      },
    },
  },
  "namespaces.get": {
    own: (w) => ({ name: w.a.slug }),
    foreign: { input: (w) => ({ name: w.b.slug }), expect: "NOT_FOUND" },
  },
  "namespaces.create": {
    own: () => ({ name: `probe-${Math.random().toString(36).slice(2, 8)}` }),
    foreign: { input: (w) => ({ name: w.b.slug }), expect: "CONFLICT" },
  },
  "namespaces.delete": {
    own: (w) => ({ name: w.a.slug }),
    foreign: { input: (w) => ({ name: w.b.slug }), expect: "NOT_FOUND" },
  },
  "quota.get": { own: () => ({}), foreign: { input: () => ({}), expect: "scoped" } },
  "resourceQuotas.list": {
    own: () => ({}),
    // Each tenant gets a quota first, so a list that leaked across tenants would have something to show.
    foreign: {
      input: () => ({}),
      expect: "scoped",
      shows: async (_result, w) => {
        await h.services.engine.setResourceQuota(w.a.id, {
          namespace: w.a.slug,
          name: "probe-a",
          hard: { pods: 1000 },
        });
        await h.services.engine.setResourceQuota(w.b.id, {
          namespace: w.b.slug,
          name: "probe-b",
          hard: { pods: 1000 },
        });
        const { items } = await (await w.a.users.viewer.caller()).resourceQuotas.list({});
        expect(items.map((q) => `${q.namespace}/${q.name}`)).toContain(`${w.a.slug}/probe-a`);
        expect(items.every((q) => q.namespace === w.a.slug)).toBe(true);
        showsNothingOfB(items, w);
        expect(JSON.stringify(items)).not.toContain("probe-b");
      },
    },
  },
  "resourceQuotas.set": {
    own: (w) => ({ namespace: w.a.slug, hard: { cpu: "64", memory: "256Gi", pods: 1000 } }),
    foreign: { input: (w) => ({ namespace: w.b.slug, name: "probe-b", hard: { pods: 0 } }), expect: "NOT_FOUND" },
  },
  "resourceQuotas.delete": {
    own: (w) => ({ namespace: w.a.slug, name: "probe-a" }),
    foreign: { input: (w) => ({ namespace: w.b.slug, name: "probe-b" }), expect: "NOT_FOUND" },
  },
  "config.list": {
    own: () => ({ kind: "ConfigMap" }),
    foreign: { input: () => ({ kind: "Secret", limit: 500 }), expect: "scoped" },
  },
  "config.delete": {
    own: (w) => ({ kind: "ConfigMap", namespace: w.a.slug, name: "no-such-config" }),
    foreign: { input: (w) => ({ kind: "Secret", namespace: w.b.slug, name: "any-secret" }), expect: "NOT_FOUND" },
  },
  "manifests.get": {
    own: (w) => ({ kind: "Deployment", namespace: w.a.slug, name: w.a.deployment.name }),
    foreign: {
      input: (w) => ({ kind: "Deployment", namespace: w.b.slug, name: w.b.deployment.name }),
      expect: "NOT_FOUND",
    },
  },
  "manifests.list": {
    own: (w) => ({ kind: "Deployment", namespace: w.a.slug }),
    // Every namespace of the caller's tenant (the Kubernetes API refuses a tenant -A): A's objects only.
    foreign: {
      input: () => ({ kind: "Deployment", allNamespaces: true }),
      expect: "scoped",
      shows: (result, w) => {
        const { items } = result as { items: { metadata: { name?: string; namespace?: string; uid?: string } }[] };
        expect(items.map((d) => d.metadata.uid)).toContain(w.a.deployment.id);
        const ownNamespaces = [...h.services.engine.eachObject("Namespace")].filter((n) => n.tenantId === w.a.id);
        expect(items.every((d) => ownNamespaces.some((n) => n.name === d.metadata.namespace))).toBe(true);
        showsNothingOfB(items, w);
      },
    },
  },
  "manifests.applyYaml": {
    own: (w) => ({ yaml: manifestOf(w.a.deployment.name, w.a.slug), dryRun: true }),
    // Naming B's namespace: refused in the answer (B's namespace reads as missing), B unchanged.
    foreign: {
      input: (w) => ({ yaml: manifestOf(w.b.deployment.name, w.b.slug) }),
      expect: "scoped",
      shows: (result, w) => {
        expect(result).toMatchObject({
          results: [{ outcome: "failed", message: `namespaces "${w.b.slug}" not found` }],
        });
        expect(h.services.engine.getDeployment(w.b.id, w.b.deployment.name).spec.replicas).toBeGreaterThan(0);
      },
    },
  },
  "cluster.stats": { own: () => ({}), foreign: null },
  "cluster.history": { own: () => ({}), foreign: null },
  "cluster.tenants": { own: () => ({}), foreign: null },
  "cluster.nodes": { own: () => ({}), foreign: null },
  "cluster.injectNodeFailure": { own: (w) => ({ id: w.a.node.id }), foreign: null },
  "cluster.recoverNode": { own: (w) => ({ id: w.a.node.id }), foreign: null },
  "cluster.loadDemo": { own: () => ({}), foreign: null },
  "cluster.setQuota": { own: (w) => ({ id: w.a.id, quota: { pods: 1 } }), foreign: null },
  "monitoring.podNetwork": {
    own: (w) => ({ name: w.a.pod.name }),
    foreign: { input: (w) => ({ name: w.b.pod.id }), expect: "NOT_FOUND" },
  },
  "monitoring.series": {
    own: (w) => ({ target: { kind: "deployment", name: w.a.deployment.name }, metric: "cpuMillis", range: "1h" }),
    foreign: {
      input: (w) => ({ target: { kind: "deployment", name: w.b.deployment.id }, metric: "cpuMillis", range: "1h" }),
      expect: "NOT_FOUND",
    },
  },
  "monitoring.compareRevisions": {
    own: (w) => ({ deployment: w.a.deployment.name, metric: "cpuMillis", range: "1h" }),
    foreign: {
      input: (w) => ({ deployment: w.b.deployment.id, metric: "cpuMillis", range: "1h" }),
      expect: "NOT_FOUND",
    },
  },
  "monitoring.usage": {
    own: (w) => ({ pods: [w.a.pod.name] }),
    foreign: { input: (w) => ({ pods: [w.b.pod.id] }), expect: "NOT_FOUND" },
  },
  "monitoring.top": {
    own: () => ({ by: "cpu" }),
    foreign: { input: () => ({ by: "memory", limit: 50 }), expect: "scoped" },
  },
  "alerts.list": { own: () => ({}), foreign: { input: () => ({}), expect: "scoped" } },
  "alerts.create": {
    own: (w) => ({ deployment: w.a.deployment.name, kind: "restarts", threshold: 3 }),
    foreign: { input: (w) => ({ deployment: w.b.deployment.id, kind: "restarts", threshold: 3 }), expect: "NOT_FOUND" },
  },
  "alerts.delete": {
    own: () => ({ id: "no-such-rule" }),
    foreign: { input: (w) => ({ id: w.b.alertId }), expect: "NOT_FOUND" },
  },
  "monitoring.clusterSeries": { own: () => ({ level: "cluster", metric: "cpuMillis", range: "1h" }), foreign: null },
  "monitoring.busiestTenants": { own: () => ({}), foreign: null },
  "admin.overview": { own: () => ({}), foreign: null },
  "admin.tenants": { own: () => ({ limit: 10 }), foreign: null },
  "admin.users": { own: () => ({ limit: 10 }), foreign: null },
  "admin.setOperator": { own: () => ({ id: "any-user-id", isOperator: true }), foreign: null },
  "admin.audit": { own: () => ({ limit: 10 }), foreign: null },
  "billing.summary": { own: () => ({}), foreign: { input: () => ({}), expect: "scoped", shows: showsNothingOfB } },
  "billing.daily": { own: () => ({}), foreign: { input: () => ({}), expect: "scoped", shows: showsNothingOfB } },
  "billing.invoices": { own: () => ({}), foreign: { input: () => ({}), expect: "scoped", shows: showsNothingOfB } },
  "billing.invoice": {
    own: () => ({ id: "current" }),
    foreign: { input: (w) => ({ id: `in_${w.b.id}`.slice(0, 64) }), expect: "NOT_FOUND" },
  },
  "billing.invoiceCsv": {
    own: () => ({ id: "current" }),
    foreign: { input: (w) => ({ id: `in_${w.b.id}`.slice(0, 64) }), expect: "NOT_FOUND" },
  },
  "billing.ledger": {
    own: () => ({}),
    foreign: { input: () => ({ limit: 200 }), expect: "scoped", shows: showsNothingOfB },
  },
  "billing.events": {
    own: () => ({}),
    foreign: { input: () => ({ limit: 200 }), expect: "scoped", shows: showsNothingOfB },
  },
  "billing.topUp": {
    own: () => ({ amountMinor: 100 }),
    foreign: { input: () => ({ amountMinor: 100 }), expect: "scoped", shows: showsNothingOfB },
  },
  "live.changes": {
    own: () => undefined,
    // Resumed from the first revision: a replay of the log's history, which holds B's commits too.
    foreign: { input: () => ({ lastEventId: "1" }), expect: "scoped", shows: (result, w) => showsOnlyA(result, w) },
  },
  "live.cluster": { own: () => undefined, foreign: null },
  "billingAdmin.revenue": { own: () => ({}), foreign: null },
  "billingAdmin.plans": { own: () => ({}), foreign: null },
  "billingAdmin.setPlan": { own: () => billingPrices, foreign: null },
  "billingAdmin.grant": { own: (w) => ({ tenantId: w.a.id, amountMinor: 100 }), foreign: null },
  // H8: a pod's log as it grows (a subscription resolved before it streams).
  "pods.followLogs": {
    own: (w) => ({ name: w.a.pod.name }),
    foreign: { input: (w) => ({ name: w.b.pod.id }), expect: "NOT_FOUND" },
  },
  ...networkCases,
  ...securityCases,
  ...publicIpCases,
};

const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
const metaOf = (path: string) => (procedures[path]?._def.meta ?? { access: "public" }) as ProcedureMeta;

function call(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

let h: Harness;
let w: World;
beforeAll(async () => {
  h = await createHarness();
  w = await buildWorld(h);
}, 120_000);
afterAll(async () => h.close());

let operatorToken: Promise<string> | undefined;
/** One operator token, made on the admin dashboard by the world's operator. */
function operatorTokenSecret(): Promise<string> {
  operatorToken ??= w.operator
    .caller()
    .then(async (c) => (await c.operatorTokens.create({ name: "ops-script" })).secret);
  return operatorToken;
}

describe("tenant isolation", () => {
  it("has a case for every procedure of the app router", () => {
    const missing = Object.keys(procedures).filter((p) => !(p in cases));
    const stale = Object.keys(cases).filter((p) => !(p in procedures));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  const paths = Object.keys(cases);
  const guarded = paths.filter((p) => metaOf(p).access !== "public");
  const operatorOnly = paths.filter((p) => metaOf(p).access === "operator");
  const roleGated = paths.filter((p) => {
    const meta = metaOf(p);
    return meta.access === "tenant" && meta.minRole !== undefined && meta.minRole !== "viewer";
  });
  const crossTenant = paths.filter((p) => cases[p]!.foreign !== null);

  it.each(guarded)("%s refuses a caller with no session", async (path) => {
    await expect(call(h.anonymous(), path, cases[path]!.own(w))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it.each(operatorOnly)("%s refuses a tenant owner who is not an operator", async (path) => {
    const before = await w.fingerprint(w.a.id);
    await expect(call(await w.a.users.owner.caller(), path, cases[path]!.own(w))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await w.fingerprint(w.a.id)).toBe(before);
  });

  it.each(roleGated)("%s refuses the role just below its least role and changes nothing", async (path) => {
    const minRole = metaOf(path).minRole as TenantRole;
    const weaker = tenantRoles[tenantRoles.indexOf(minRole) + 1] as TenantRole;
    expect(hasRole(weaker, minRole)).toBe(false);
    const before = await w.fingerprint(w.a.id);
    await expect(call(await w.a.users[weaker].caller(), path, cases[path]!.own(w))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await w.fingerprint(w.a.id)).toBe(before);
  });

  it.each(crossTenant)("%s never reaches another tenant's objects", async (path) => {
    const foreign = cases[path]!.foreign!;
    const before = await w.fingerprint(w.b.id);
    const caller = await w.a.users.owner.caller();
    if (foreign.expect === "NOT_FOUND") {
      await expect(call(caller, path, foreign.input(w))).rejects.toMatchObject({ code: "NOT_FOUND" });
    } else if (foreign.expect === "CONFLICT") {
      const refused = call(caller, path, foreign.input(w));
      await expect(refused).rejects.toMatchObject({ code: "CONFLICT" });
      // Taken, not whose: the message names neither tenant B nor its people.
      const message = await refused.then(
        () => "",
        (e: Error) => e.message,
      );
      for (const secret of [w.b.id, w.b.users.owner.email, "TENANT-B"]) expect(message).not.toContain(secret);
    } else if (foreign.shows) {
      await foreign.shows(await call(caller, path, foreign.input(w)), w);
    } else {
      const shown = JSON.stringify((await call(caller, path, foreign.input(w))) ?? null);
      const secrets = [
        w.b.id,
        w.b.tokenId,
        w.b.invitationId,
        ...Object.values(w.b.memberIds),
        w.b.deployment.id,
        w.b.pod.id,
        w.b.node.id,
        w.b.pool.id,
        w.b.alertId,
      ];
      for (const secret of secrets) {
        expect(shown).not.toContain(secret);
      }
    }
    expect(await w.fingerprint(w.b.id)).toBe(before);
  });

  /** Every procedure that takes a namespace, named with tenant B's: NOT_FOUND, as for a namespace that does not exist. */
  const namespaced = paths.filter((p) => {
    const input = (procedures[p]?._def as { inputs?: { shape?: Record<string, unknown> }[] } | undefined)?.inputs?.[0];
    return input?.shape !== undefined && "namespace" in input.shape;
  });

  it("finds the procedures that take a namespace", () => {
    expect(namespaced).toEqual(
      expect.arrayContaining(["deployments.list", "deployments.create", "pods.get", "pods.delete", "events.list"]),
    );
  });

  it.each(namespaced)("%s refuses tenant B's namespace and changes nothing", async (path) => {
    const before = await w.fingerprint(w.b.id);
    const own = cases[path]?.own(w) as Record<string, unknown> | undefined;
    const caller = await w.a.users.owner.caller();
    await expect(call(caller, path, { ...own, namespace: w.b.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await w.fingerprint(w.b.id)).toBe(before);
  });

  it("a deletion of tenant B's namespace by tenant A leaves it active", async () => {
    const caller = await w.a.users.owner.caller();
    await expect(caller.namespaces.delete({ name: w.b.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const b = await w.b.users.owner.caller();
    expect((await b.namespaces.get({ name: w.b.slug })).phase).toBe("Active");
  });

  const operatorReads = operatorOnly.filter((p) => procedures[p]?._def.type === "query");
  const operatorWrites = operatorOnly.filter((p) => procedures[p]?._def.type !== "query");

  it.each(operatorReads)("%s answers an operator API token", async (path) => {
    const viaToken = await h.withToken(await operatorTokenSecret());
    await expect(call(viaToken, path, cases[path]!.own(w))).resolves.toBeDefined();
  });

  it.each(operatorWrites)("%s refuses an operator API token and changes nothing", async (path) => {
    const viaToken = await h.withToken(await operatorTokenSecret());
    const before = await w.fingerprint(w.a.id);
    await expect(call(viaToken, path, cases[path]!.own(w))).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Operator API tokens read; changes need a signed-in operator.",
    });
    expect(await w.fingerprint(w.a.id)).toBe(before);
  });

  it("the API token of tenant B cannot reach tenant A", async () => {
    const viaToken = await h.withToken(w.b.tokenSecret);
    expect((await viaToken.tenants.current()).id).toBe(w.b.id);
    await expect(viaToken.tenants.switch({ id: w.a.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viaToken.members.remove({ memberId: w.a.memberIds.viewer })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
