/**
 * A small world of two tenants for isolation and role tests:
 * tenant A (owner, admin, member, viewer) and tenant B (owner, member, a token, an invitation),
 * each with workloads and network objects (a service, a group, a policy, a public IP, a subnet
 * naming no namespace, on the same block in both tenants: their ranges may overlap) to aim at.
 */
import { listAlertRules } from "@/db/queries/alerts";
import { tenantScope } from "@/db/scope";
import { listMembers } from "@/db/queries/tenancy";
import { listTenantTokens } from "@/db/queries/tokens";
import { listPendingInvitations } from "@/db/queries/tenancy";
import type { TenantRole } from "../auth/roles";
import type { Harness, TestUser } from "./harness";
import { joinByInvitation } from "./join";

export interface TenantFixture {
  id: string;
  slug: string;
  users: Record<TenantRole, TestUser>;
  memberIds: Record<TenantRole, string>;
  tokenId: string;
  tokenSecret: string;
  invitationId: string;
  /** Engine objects, filled in once the engine has settled. */
  deployment: { id: string; name: string };
  alertId: string;
  pod: { id: string; name: string };
  node: { id: string; name: string };
  pool: { id: string; name: string };
  /** Network objects by name (selecting no pod, so they change no traffic): a Service, a SecurityGroup, a NetworkPolicy. */
  service: string;
  securityGroup: string;
  networkPolicy: string;
  /** A Subnet (10.0.200.0/24 in both tenants) naming no namespace, so no pod takes an address there. */
  subnet: string;
  /** A PublicIP from the world's pool, bound to nothing (so it changes no traffic). */
  publicIp: { name: string; address: string };
}

export interface World {
  operator: TestUser;
  a: TenantFixture;
  b: TenantFixture;
  /** Everything about a tenant that a cross-tenant call must never change. */
  fingerprint(tenantId: string): Promise<string>;
}

async function buildTenant(h: Harness, slug: string): Promise<TenantFixture> {
  const users = {} as Record<TenantRole, TestUser>;
  for (const role of ["owner", "admin", "member", "viewer"] as const)
    users[role] = await h.signUp(`${role}@${slug}.test`);
  const tenant = await (await users.owner.caller()).tenants.create({ name: slug.toUpperCase(), slug });
  const owner = await users.owner.caller(); // a fresh context sees the session's new tenant
  for (const role of ["admin", "member", "viewer"] as const) {
    await joinByInvitation(owner, users[role], role);
    await (await users[role].caller()).tenants.switch({ id: tenant.id });
  }
  const members = await listMembers(h.services.db, tenant.id);
  const memberIds = Object.fromEntries(members.map((m) => [m.role, m.id])) as Record<TenantRole, string>;
  const token = await (await users.member.caller()).tokens.create({ name: `${slug}-ci` });
  const invite = await owner.members.invite({ email: `invitee@${slug}.test`, role: "member" });
  const deployment = await owner.deployments.create({
    name: `${slug}-web`,
    replicas: 2,
    template: { spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
  });
  const alert = await owner.alerts.create({ deployment: deployment.name, kind: "restarts", threshold: 5 });
  const engine = h.services.engine;
  const nobody = { matchLabels: { "world.test/selects": "nothing" } };
  const service = await engine.createService(tenant.id, {
    name: `${slug}-svc`,
    namespace: slug,
    spec: { selector: nobody.matchLabels, ports: [{ port: 80 }] },
  });
  const group = await engine.createSecurityGroup(tenant.id, { name: `${slug}-sg`, spec: { podSelector: nobody } });
  const policy = await engine.createNetworkPolicy(tenant.id, {
    name: `${slug}-netpol`,
    namespace: slug,
    spec: { podSelector: nobody },
  });
  const subnet = await engine.createSubnet(tenant.id, { name: `${slug}-subnet`, spec: { cidrBlock: "10.0.200.0/24" } });
  const publicIp = await engine.createPublicIp(tenant.id, {
    name: `${slug}-pip`,
    namespace: slug,
    spec: { bandwidthMbps: 5 },
  });
  const none = { id: "", name: "" };
  return {
    id: tenant.id,
    slug,
    users,
    memberIds,
    tokenId: token.id,
    tokenSecret: token.secret,
    invitationId: invite.invitationId,
    deployment: { id: deployment.uid, name: deployment.name },
    alertId: alert.id,
    pod: none,
    node: none,
    pool: none,
    service: service.name,
    securityGroup: group.name,
    networkPolicy: policy.name,
    subnet: subnet.name,
    publicIp: { name: publicIp.name, address: publicIp.status.address },
  };
}

/** Lets the engine place and start everything, then records each tenant's pod, node and pool. */
async function settleEngine(h: Harness, tenants: TenantFixture[]) {
  await h.services.engine.settle();
  for (const t of tenants) {
    const pod = h.services.engine.listPods(t.id, { deployment: t.deployment.id }).items[0];
    const node = h.services.engine.listNodes(t.id).items[0];
    const pool = h.services.engine.listNodePools(t.id).items[0];
    if (!pod || !node || !pool) throw new Error(`tenant ${t.slug} did not settle`);
    t.pod = { id: pod.id, name: pod.name };
    t.node = { id: node.id, name: node.name };
    t.pool = { id: pool.id, name: pool.name };
  }
}

export async function buildWorld(h: Harness): Promise<World> {
  const operator = await h.signUp("operator@ops.test");
  // The operators' shared public pool (a documentation range), which every tenant's PublicIP comes from.
  await h.services.engine.createPublicIpPool({ name: "world-pool", spec: { cidrs: ["203.0.113.0/24"] } });
  const a = await buildTenant(h, "tenant-a");
  const b = await buildTenant(h, "tenant-b");
  await settleEngine(h, [a, b]);
  return {
    operator,
    a,
    b,
    async fingerprint(tenantId) {
      const engine = h.services.engine;
      const workloads = {
        deployments: engine
          .listDeployments(tenantId, { limit: 500 })
          .items.map((d) => [d.id, d.spec.replicas, d.spec.paused, d.generation]),
        pods: engine.listPods(tenantId, { limit: 500 }).items.map((p) => [p.id, p.nodeId, p.deletionTimestamp ?? null]),
        nodes: engine.listNodes(tenantId, { limit: 500 }).items.map((n) => [n.id, n.unschedulable, n.draining]),
        pools: engine
          .listNodePools(tenantId, { limit: 500 })
          .items.map((p) => [p.id, p.minSize, p.maxSize, p.machineType]),
        quota: engine.getQuota(tenantId).limits,
        alerts: (await listAlertRules(h.services.db, tenantScope(tenantId))).map((r) => [r.id, r.threshold]),
        services: engine.listServices(tenantId, { limit: 500 }).items.map((s) => [s.id, s.resourceVersion]),
        securityGroups: engine.listSecurityGroups(tenantId, { limit: 500 }).items.map((g) => [g.id, g.resourceVersion]),
        networkPolicies: engine
          .listNetworkPolicies(tenantId, { limit: 500 })
          .items.map((p) => [p.id, p.resourceVersion]),
        vpcs: engine.listVpcs(tenantId, { limit: 500 }).items.map((v) => [v.id, v.resourceVersion, v.spec.cidrBlock]),
        subnets: engine
          .listSubnets(tenantId, { limit: 500 })
          .items.map((s) => [s.id, s.resourceVersion, s.spec.namespaces.join(",")]),
        portBans: engine.listPortBans().map((b) => [b.id, b.resourceVersion]),
        publicIps: engine
          .listPublicIps(tenantId, { limit: 500 })
          .items.map((p) => [p.id, p.resourceVersion, p.status.address, p.spec.target?.name ?? null]),
        publicIpPools: engine.listPublicIpPools().map((p) => [p.id, p.resourceVersion]),
      };
      const [members, tokens, invitations, current] = await Promise.all([
        listMembers(h.services.db, tenantId),
        listTenantTokens(h.services.db, tenantId),
        listPendingInvitations(h.services.db, tenantId, new Date()),
        h.services.db.query.organization.findFirst({ where: (o, { eq }) => eq(o.id, tenantId) }),
      ]);
      return JSON.stringify({
        members: members.map((m) => [m.id, m.role]),
        tokens: tokens.map((t) => t.id),
        invitations: invitations.map((i) => i.id),
        name: current?.name,
        workloads,
      });
    },
  };
}
