/**
 * What a new tenant starts with in the engine: a quota and one node pool, so that its first
 * deployment has somewhere to run. Both are editable later (quota by operators, pools by the
 * tenant's admins). Idempotent: an existing quota or pool is left as it is.
 */
import type { Engine, NodePoolInput, QuotaInput } from "../engine";

export const defaultQuota: QuotaInput = { cpu: "32", memory: "64Gi", pods: 500, nodes: 10 };

export const defaultNodePool: NodePoolInput = {
  name: "default",
  machineType: "4c8g",
  minSize: 1,
  maxSize: 5,
  trimmedImage: true,
  staticIp: true,
  warmPoolSize: 0,
};

export async function provisionTenantDefaults(engine: Engine, tenantId: string): Promise<void> {
  const { limits } = engine.getQuota(tenantId);
  if (Object.values(limits).every((v) => v === undefined)) await engine.setQuota(tenantId, defaultQuota);
  if (engine.listNodePools(tenantId, { limit: 1 }).items.length === 0)
    await engine.createNodePool(tenantId, defaultNodePool);
}
