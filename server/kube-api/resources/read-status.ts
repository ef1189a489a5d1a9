/**
 * Status the engine computes at read time instead of storing: a SecurityGroup's
 * `status.attachedPods` changes with pods, not with the group; a Vpc's subnets and a Subnet's
 * address usage with the tenant's subnets and pods; a PublicIPPool's usage with the tenants'
 * PublicIPs. No stored object has it, and the engine's query fills it in. A read (get, list,
 * watch event) shows what the query answers, asking it once per tenant (or, for pools, once) per
 * read, never once per object of a list.
 */
import type { EngineObject, ListOptions, ObjectKind, Orchestrator, Page, PublicIpPoolView } from "../../engine";

type TenantStatusKind = "SecurityGroup" | "Vpc" | "Subnet";
type WithStatus = Extract<EngineObject, { kind: TenantStatusKind }>;

/** The engine's queries answering a tenant's objects of a kind with their status. */
const TENANT_QUERIES: Record<
  TenantStatusKind,
  {
    get(e: Orchestrator, tenantId: string, name: string): WithStatus;
    list(e: Orchestrator, tenantId: string, opts: ListOptions): Page<WithStatus>;
  }
> = {
  SecurityGroup: { get: (e, t, n) => e.getSecurityGroup(t, n), list: (e, t, o) => e.listSecurityGroups(t, o) },
  Vpc: { get: (e, t, n) => e.getVpc(t, n), list: (e, t, o) => e.listVpcs(t, o) },
  Subnet: { get: (e, t, n) => e.getSubnet(t, n), list: (e, t, o) => e.listSubnets(t, o) },
};

const isTenantStatusKind = (kind: ObjectKind): kind is TenantStatusKind => kind in TENANT_QUERIES;

/** The kinds whose reads go through the engine's query for their status. */
export const hasReadStatus = (kind: ObjectKind): boolean => isTenantStatusKind(kind) || kind === "PublicIPPool";

/** A tenant's objects of `kind` with their status, by name (every page of the query). */
function tenantObjectsWithStatus(
  engine: Orchestrator,
  kind: TenantStatusKind,
  tenantId: string,
): Map<string, WithStatus> {
  const out = new Map<string, WithStatus>();
  let cursor: string | undefined;
  do {
    const page = TENANT_QUERIES[kind].list(engine, tenantId, {
      limit: 1000,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    for (const o of page.items) out.set(o.name, o);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return out;
}

function withTenantStatus(engine: Orchestrator, objs: readonly EngineObject[]): EngineObject[] {
  const owned = objs.filter((o): o is WithStatus => isTenantStatusKind(o.kind));
  if (owned.length === 0) return [...objs];
  const only = owned.length === 1 ? owned[0] : undefined;
  if (only && objs.length === 1) return [TENANT_QUERIES[only.kind].get(engine, only.tenantId, only.name)];
  const byKindAndTenant = new Map<string, Map<string, WithStatus>>();
  return objs.map((o) => {
    if (!isTenantStatusKind(o.kind)) return o;
    const key = `${o.kind}/${o.tenantId}`;
    let ofTenant = byKindAndTenant.get(key);
    if (!ofTenant) {
      ofTenant = tenantObjectsWithStatus(engine, o.kind, o.tenantId);
      byKindAndTenant.set(key, ofTenant);
    }
    return ofTenant.get(o.name) ?? o;
  });
}

function withPoolUsage(engine: Orchestrator, objs: readonly EngineObject[]): EngineObject[] {
  const pools = objs.filter((o) => o.kind === "PublicIPPool");
  if (pools.length === 0) return [...objs];
  const only = pools.length === 1 ? pools[0] : undefined;
  const views: Map<string, PublicIpPoolView> = only
    ? new Map([[only.name, engine.getPublicIpPool(only.name)]])
    : new Map(engine.listPublicIpPools().map((p) => [p.name, p]));
  return objs.map((o) => (o.kind === "PublicIPPool" ? (views.get(o.name) ?? o) : o));
}

/** `objs` with their read-time status; objects of other kinds as they are. */
export function withReadStatus(engine: Orchestrator, objs: readonly EngineObject[]): EngineObject[] {
  return withPoolUsage(engine, withTenantStatus(engine, objs));
}
