/**
 * Namespace quota admission (Kubernetes' ResourceQuota, `spec.hard` cpu, memory, pods).
 * Guarantees, the same rule as the tenant quota (quota.ts), per namespace and per quota:
 * - A create/scale/update/rollback is admitted only if the claims of the namespace's
 *   deployments after the change fit every ResourceQuota of that namespace; otherwise
 *   QUOTA_EXCEEDED names the quota (`exceeded quota: <name>, requested: …, used: …,
 *   limited: …`) and nothing changes.
 * - Every pod creation is checked against the namespace's actual usage (pods not finished
 *   and not terminating), so usage never exceeds a quota, even one lowered below it.
 * A namespace without ResourceQuota objects is limited by the tenant's quota only.
 */
import { EngineError } from "../core/errors";
import type { EngineState, Usage } from "../core/state";
import type { Deployment, ResourceQuota, Resources } from "../kinds/types";
import { claimOf, currentClaim, exceeded, quotaDetail, quotaText } from "./quota";

/** The namespace's quotas (usually none or one). */
export function quotasOfNamespace(state: EngineState, tenantId: string, namespace: string): ResourceQuota[] {
  return state.ofTenant("ResourceQuota", tenantId).filter((q) => q.namespace === namespace);
}

/** What the namespace's deployments claim now (as the tenant quota counts it). */
export function namespaceClaims(state: EngineState, tenantId: string, namespace: string): Usage {
  const used: Usage = { cpuMillis: 0, memoryBytes: 0, pods: 0 };
  for (const d of state.ofTenant("Deployment", tenantId)) {
    if (d.namespace !== namespace) continue;
    const c = currentClaim(state, d);
    used.cpuMillis += c.cpuMillis;
    used.memoryBytes += c.memoryBytes;
    used.pods += c.pods;
  }
  return used;
}

export function admitNamespaceDeployment(
  state: EngineState,
  namespace: string,
  before: Deployment | undefined,
  after: Deployment["spec"],
  rollingOutAfter: boolean,
): void {
  const ns = state.namespaceNamed(namespace);
  if (!ns) return;
  const quotas = quotasOfNamespace(state, ns.tenantId, namespace);
  if (quotas.length === 0) return;
  const used = namespaceClaims(state, ns.tenantId, namespace);
  const mine = before ? currentClaim(state, before) : { cpuMillis: 0, memoryBytes: 0, pods: 0 };
  const next = claimOf(after, rollingOutAfter);
  const requested: Usage = {
    cpuMillis: next.cpuMillis - mine.cpuMillis,
    memoryBytes: next.memoryBytes - mine.memoryBytes,
    pods: next.pods - mine.pods,
  };
  for (const q of quotas) {
    const items = exceeded(q.hard, requested, used);
    if (items)
      throw new EngineError(
        "QUOTA_EXCEEDED",
        quotaText(items, q.name),
        quotaDetail(items, "spec.replicas", { name: q.name, namespace }),
      );
  }
}

/** Pod-creation check against the namespace's actual usage; the kube message or undefined. */
export function admitNamespacePod(
  state: EngineState,
  tenantId: string,
  namespace: string,
  requests: Resources,
): string | undefined {
  const quotas = quotasOfNamespace(state, tenantId, namespace);
  if (quotas.length === 0) return undefined;
  const used = state.usageOfNamespace(namespace);
  for (const q of quotas) {
    const items = exceeded(q.hard, { ...requests, pods: 1 }, used);
    if (items) return quotaText(items, q.name);
  }
  return undefined;
}
