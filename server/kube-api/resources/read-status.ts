/**
 * Status the engine computes at read time instead of storing: a SecurityGroup's
 * `status.attachedPods` changes with pods, not with the group, so the stored object has none and
 * the engine's query fills it in. A read (get, list, watch event) shows what the query answers,
 * asking it once per tenant per read, never once per object of a list.
 */
import type { EngineObject, Orchestrator, SecurityGroupObject } from "../../engine";

/** The groups of a tenant with their status, by name (every page of the query). */
function groupsWithStatus(engine: Orchestrator, tenantId: string): Map<string, SecurityGroupObject> {
  const out = new Map<string, SecurityGroupObject>();
  let cursor: string | undefined;
  do {
    const page = engine.listSecurityGroups(tenantId, { limit: 1000, ...(cursor !== undefined ? { cursor } : {}) });
    for (const g of page.items) out.set(g.name, g);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return out;
}

/** `objs` with their read-time status; objects of other kinds as they are. */
export function withReadStatus(engine: Orchestrator, objs: readonly EngineObject[]): EngineObject[] {
  const groups = objs.filter((o): o is SecurityGroupObject => o.kind === "SecurityGroup");
  if (groups.length === 0) return [...objs];
  const only = groups.length === 1 ? groups[0] : undefined;
  if (only && objs.length === 1) return [engine.getSecurityGroup(only.tenantId, only.name)];
  const byTenant = new Map<string, Map<string, SecurityGroupObject>>();
  return objs.map((o) => {
    if (o.kind !== "SecurityGroup") return o;
    let ofTenant = byTenant.get(o.tenantId);
    if (!ofTenant) {
      ofTenant = groupsWithStatus(engine, o.tenantId);
      byTenant.set(o.tenantId, ofTenant);
    }
    return ofTenant.get(o.name) ?? o;
  });
}
