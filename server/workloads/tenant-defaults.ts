/**
 * What a new tenant starts with in the engine: its first namespace (named by its slug, the
 * tenant's default namespace; the engine makes its network with it: the Vpc `default` and its
 * default Subnet, network/tenant-network-objects.ts), a quota and one node pool, so that its first deployment has
 * somewhere to run. All are editable later (quota by operators, pools and namespaces by the
 * tenant's admins). Idempotent: an existing namespace, quota or pool is left as it is.
 */
import type { Orchestrator, NodePoolInput, QuotaInput } from "../engine";

/** Public IPs: 5 per tenant, as AWS allows 5 Elastic IPs per region until asked for more. */
export const defaultQuota: QuotaInput = { cpu: "32", memory: "64Gi", pods: 500, nodes: 10, publicIps: 5 };

export const defaultNodePool: NodePoolInput = {
  name: "default",
  machineType: "4c8g",
  minSize: 1,
  maxSize: 5,
  trimmedImage: true,
  staticIp: true,
  warmPoolSize: 0,
};

/** `slug`: the tenant's slug, its first namespace's name (tests that make tenants without a row pass none: the id). */
export async function provisionTenantDefaults(engine: Orchestrator, tenantId: string, slug = tenantId): Promise<void> {
  await engine.ensureTenantNamespace(tenantId, slug);
  const { limits } = engine.getQuota(tenantId);
  if (Object.values(limits).every((v) => v === undefined)) await engine.setQuota(tenantId, defaultQuota);
  if (engine.listNodePools(tenantId, { limit: 1 }).items.length === 0)
    await engine.createNodePool(tenantId, defaultNodePool);
}
