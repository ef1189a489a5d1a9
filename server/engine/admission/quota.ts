/**
 * Tenant quota admission.
 * Rule (documented in README): a deployment "claims" its pod request x (replicas +
 * maxSurge while a rollout is pending or running). A create/scale/update/rollback is
 * admitted only if the sum of claims of all the tenant's deployments after the change
 * fits the quota; otherwise QUOTA_EXCEEDED with the Kubernetes message and nothing
 * changes. Independently, every pod creation is checked against actual usage (pods not
 * finished and not terminating), so usage can never exceed the quota even if a rollout
 * was admitted under an older, larger quota.
 * Nodes: the sum of pools' minSize, and the provisioner's growth, stay within `nodes`.
 * Each namespace's ResourceQuotas are enforced the same way, next to the tenant's quota
 * (namespace-quota.ts), and name themselves in the refusal.
 */
import { type ErrorDetail, EngineError } from "../core/errors";
import { formatCpu, formatMemory, parseCpu, parseMemory } from "../kinds/quantity";
import { resolveFenceposts } from "../controllers/rollout";
import type { EngineState, Usage } from "../core/state";
import { type Deployment, type PodTemplate, type Resources, TENANT_QUOTA_NAME } from "../kinds/types";
import { admitBandwidthQos } from "./bandwidth-qos";
import { admitNamespaceDeployment, admitNamespacePod } from "./namespace-quota";

export const QUOTA_NAME = TENANT_QUOTA_NAME;

/** Limits of one quota; an absent field is unlimited. */
export interface QuotaLimits {
  cpuMillis?: number;
  memoryBytes?: number;
  pods?: number;
}

export function templateRequests(t: PodTemplate): Resources {
  let cpuMillis = 0;
  let memoryBytes = 0;
  for (const c of t.spec.containers) {
    cpuMillis += parseCpu(c.resources.requests.cpu);
    memoryBytes += parseMemory(c.resources.requests.memory);
  }
  return { cpuMillis, memoryBytes };
}

/** What a deployment may use at its peak: replicas, plus surge pods while rolling out. */
export function claimOf(spec: Deployment["spec"], rollingOut: boolean): Usage {
  const per = templateRequests(spec.template);
  const { maxSurge } = resolveFenceposts(spec.strategy.maxSurge, spec.strategy.maxUnavailable, spec.replicas);
  const n = spec.replicas + (rollingOut ? maxSurge : 0);
  return { cpuMillis: per.cpuMillis * n, memoryBytes: per.memoryBytes * n, pods: n };
}

/** True while a deployment has pods of more than one revision to reconcile. */
export function isRollingOut(state: EngineState, d: Deployment, templateHash: string): boolean {
  const rss = state.replicaSetsOf(d.id);
  const current = rss.find((r) => r.templateHash === templateHash);
  return !current || rss.some((r) => r !== current && r.replicas > 0);
}

/** One resource a change would take past the quota, with the quantities as Kubernetes prints them. */
export interface QuotaShortfall {
  resource: "cpu" | "memory" | "pods" | "nodes" | "publicips";
  requested: string;
  used: string;
  limit: string;
}

export function exceeded(quota: QuotaLimits, requested: Usage, used: Usage): QuotaShortfall[] | undefined {
  const items: QuotaShortfall[] = [];
  const check = (
    limit: number | undefined,
    key: keyof Usage,
    resource: QuotaShortfall["resource"],
    fmt: (n: number) => string,
  ) => {
    if (limit !== undefined && requested[key] > 0 && used[key] + requested[key] > limit)
      items.push({ resource, requested: fmt(requested[key]), used: fmt(used[key]), limit: fmt(limit) });
  };
  check(quota.cpuMillis, "cpuMillis", "cpu", formatCpu);
  check(quota.memoryBytes, "memoryBytes", "memory", formatMemory);
  check(quota.pods, "pods", "pods", String);
  return items.length === 0 ? undefined : items;
}

/** Kubernetes' text: `exceeded quota: tenant-quota, requested: cpu=2, used: cpu=3, limited: cpu=4`. */
export function quotaText(items: QuotaShortfall[], name = QUOTA_NAME): string {
  const col = (k: "requested" | "used" | "limit") => items.map((i) => `${i.resource}=${i[k]}`).join(",");
  return `exceeded quota: ${name}, requested: ${col("requested")}, used: ${col("used")}, limited: ${col("limit")}`;
}

/**
 * The same refusal as data, for the reader's language; `field` is the input that asks for too much.
 * `namespaceQuota` names a namespace's ResourceQuota (a tenant admin can lift it), else it is the tenant's.
 */
export function quotaDetail(
  items: QuotaShortfall[],
  field?: string,
  namespaceQuota?: { name: string; namespace: string },
): ErrorDetail {
  const item = (i: QuotaShortfall) => ({
    key: "errors.quotaItem",
    params: {
      resource: { key: `errors.resources.${i.resource}`, text: i.resource },
      requested: i.requested,
      used: i.used,
      limit: i.limit,
    },
  });
  const params = { items: items.map(item) };
  return {
    ...(namespaceQuota
      ? { key: "errors.namespaceQuotaExceeded", params: { ...params, ...namespaceQuota } }
      : { key: "errors.quotaExceeded", params }),
    ...(field ? { field } : {}),
  };
}

/**
 * Admit replacing deployment `before` (undefined on create) by `after`: the deployment's
 * admission chain (its template's bandwidth QoS, the tenant's quota, the namespace's quotas).
 * `rollingOutAfter`: whether `after` will need a rollout (template differs from current).
 */
export function admitDeployment(
  state: EngineState,
  tenantId: string,
  before: Deployment | undefined,
  after: Deployment["spec"],
  rollingOutAfter: boolean,
  namespace: string,
): void {
  // Validation before quota, as Kubernetes validates an object before admission counts it.
  admitBandwidthQos(state, tenantId, before, after);
  admitTenantDeployment(state, tenantId, before, after, rollingOutAfter);
  admitNamespaceDeployment(state, namespace, before, after, rollingOutAfter);
}

/** The claim of `d` as it stands (with surge while several revisions hold pods). */
export function currentClaim(state: EngineState, d: Deployment): Usage {
  return claimOf(d.spec, state.replicaSetsOf(d.id).filter((r) => r.replicas > 0).length > 1);
}

function admitTenantDeployment(
  state: EngineState,
  tenantId: string,
  before: Deployment | undefined,
  after: Deployment["spec"],
  rollingOutAfter: boolean,
): void {
  const quota = state.get("Quota", tenantId);
  if (!quota) return;
  const used: Usage = { cpuMillis: 0, memoryBytes: 0, pods: 0 };
  for (const d of state.ofTenant("Deployment", tenantId)) {
    const rss = state.replicaSetsOf(d.id);
    const rolling = rss.filter((r) => r.replicas > 0).length > 1;
    const c = claimOf(d.spec, rolling);
    used.cpuMillis += c.cpuMillis;
    used.memoryBytes += c.memoryBytes;
    used.pods += c.pods;
  }
  const mine = before
    ? claimOf(before.spec, state.replicaSetsOf(before.id).filter((r) => r.replicas > 0).length > 1)
    : { cpuMillis: 0, memoryBytes: 0, pods: 0 };
  const next = claimOf(after, rollingOutAfter);
  const requested: Usage = {
    cpuMillis: next.cpuMillis - mine.cpuMillis,
    memoryBytes: next.memoryBytes - mine.memoryBytes,
    pods: next.pods - mine.pods,
  };
  const items = exceeded(quota, requested, used);
  // Replicas multiply every request, so they are the field a person changes to fit.
  if (items) throw new EngineError("QUOTA_EXCEEDED", quotaText(items), quotaDetail(items, "spec.replicas"));
}

/** Pod-creation check against actual usage (tenant, then namespace); returns the kube message or undefined. */
export function admitPod(
  state: EngineState,
  tenantId: string,
  requests: Resources,
  namespace: string,
): string | undefined {
  const quota = state.get("Quota", tenantId);
  const items = quota && exceeded(quota, { ...requests, pods: 1 }, state.usageOf(tenantId));
  return items ? quotaText(items) : admitNamespacePod(state, tenantId, namespace, requests);
}

/** Nodes the tenant may still add (Infinity when unlimited). Warm standbys do not count. */
export function nodeHeadroom(state: EngineState, tenantId: string): number {
  const limit = state.get("Quota", tenantId)?.nodes;
  if (limit === undefined) return Infinity;
  const used = state.ofTenant("Node", tenantId).filter((n) => !n.warm).length;
  return Math.max(0, limit - used);
}

export function nodeQuotaMessage(state: EngineState, tenantId: string, requested: number): string {
  return quotaText([nodeShortfall(state, tenantId, requested)]);
}

/** A pool's minimum that needs more nodes than the quota leaves. */
export function nodeQuotaError(state: EngineState, tenantId: string, requested: number): EngineError {
  const items = [nodeShortfall(state, tenantId, requested)];
  return new EngineError("QUOTA_EXCEEDED", quotaText(items), quotaDetail(items, "nodePool.minSize"));
}

function nodeShortfall(state: EngineState, tenantId: string, requested: number): QuotaShortfall {
  const limit = state.get("Quota", tenantId)?.nodes ?? 0;
  const used = state.ofTenant("Node", tenantId).filter((n) => !n.warm).length;
  return { resource: "nodes", requested: String(requested), used: String(used), limit: String(limit) };
}

/**
 * Admit one more PublicIP for the tenant: the quota's `publicIps` counts every PublicIP it holds (any
 * phase), as QUOTA_EXCEEDED `exceeded quota: tenant-quota, requested: publicips=1, used: publicips=2, limited: publicips=2`.
 */
export function admitPublicIp(state: EngineState, tenantId: string): void {
  const limit = state.get("Quota", tenantId)?.publicIps;
  if (limit === undefined) return;
  const used = state.ofTenant("PublicIP", tenantId).length;
  if (used + 1 <= limit) return;
  const items: QuotaShortfall[] = [{ resource: "publicips", requested: "1", used: String(used), limit: String(limit) }];
  throw new EngineError("QUOTA_EXCEEDED", quotaText(items), quotaDetail(items));
}
