/**
 * Tenant-scoped lookups for commands and queries. Guarantee: an object is found only
 * through its own tenant; another tenant's id or namespace answers NOT_FOUND, exactly like
 * a missing one, so ids and namespace names leak nothing across tenants. A namespaced
 * object named without a namespace is looked up in the tenant's default namespace, as
 * kubectl does without `-n`.
 */
import { EngineError, notFound } from "./errors";
import type { EngineState } from "./state";
import { NAMESPACED_KINDS, type Namespace, type ObjectKind, type ObjectOfKind } from "../kinds/types";

export function checkTenant(tenantId: unknown): string {
  if (typeof tenantId !== "string" || tenantId.length === 0 || tenantId.length > 128) {
    throw new EngineError("INVALID", "tenantId must be a non-empty string of at most 128 characters");
  }
  return tenantId;
}

const LABEL: Record<ObjectKind, string> = {
  Quota: "quota",
  Namespace: "namespace",
  ResourceQuota: "resource quota",
  LimitRange: "limit range",
  ConfigMap: "config map",
  Secret: "secret",
  NodePool: "node pool",
  Node: "node",
  Deployment: "deployment",
  ReplicaSet: "replica set",
  Pod: "pod",
  Service: "service",
  EndpointSlice: "endpoint slice",
  SecurityGroup: "security group",
  Vpc: "VPC",
  Subnet: "subnet",
  NetworkPolicy: "network policy",
  PortBan: "port ban",
  PublicIPPool: "public IP pool",
  PublicIP: "public IP",
  Event: "event",
};

/**
 * Find by id or by name within the tenant; for namespaced kinds within `namespace` (default:
 * the tenant's default namespace; an id is found in any of the tenant's namespaces unless
 * one is named).
 */
export function mustFind<K extends ObjectKind>(
  state: EngineState,
  kind: K,
  tenantId: string,
  ref: unknown,
  namespace?: string,
): ObjectOfKind<K> {
  if (typeof ref !== "string" || ref.length === 0 || ref.length > 253)
    throw new EngineError("INVALID", `${LABEL[kind]} reference must be a non-empty id or name`);
  const namespaced = NAMESPACED_KINDS.has(kind);
  if (namespaced && namespace !== undefined) mustFindNamespace(state, tenantId, namespace);
  const byId = state.get(kind, ref);
  if (byId && byId.tenantId === tenantId && (namespace === undefined || namespaceOf(byId) === namespace)) return byId;
  const ns = namespaced ? (namespace ?? state.defaultNamespaceOf(tenantId)) : undefined;
  const byName = state.byName(kind, tenantId, ref, ns);
  if (byName) return byName;
  throw notFound(LABEL[kind], ref);
}

const namespaceOf = (o: object): string | undefined => ("namespace" in o ? (o.namespace as string) : undefined);

/** The tenant's namespace `name`; another tenant's answers NOT_FOUND like a missing one (`namespaces "x" not found`). */
export function mustFindNamespace(state: EngineState, tenantId: string, name: unknown): Namespace {
  if (typeof name !== "string" || name.length === 0 || name.length > 63)
    throw new EngineError("INVALID", "namespace must be a non-empty name of at most 63 characters");
  const ns = state.namespaceNamed(name);
  if (!ns || ns.tenantId !== tenantId)
    throw new EngineError("NOT_FOUND", `namespaces "${name}" not found`, {
      key: "errors.notFound",
      params: { kind: { key: "errors.kinds.namespace", text: "namespace" }, ref: name },
    });
  return ns;
}

/**
 * A query's namespace filter: undefined = every namespace of the tenant; a named one must be
 * the tenant's (NOT_FOUND otherwise). Returns a predicate over namespaced objects.
 */
export function inNamespace(
  state: EngineState,
  tenantId: string,
  namespace: string | undefined,
): (o: { namespace: string }) => boolean {
  if (namespace === undefined) return () => true;
  mustFindNamespace(state, tenantId, namespace);
  return (o) => o.namespace === namespace;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Cursor pagination over items sorted by `key` ascending; the cursor is the last key returned. */
export function paginate<T>(
  items: T[],
  key: (t: T) => string,
  opts: { cursor?: string; limit?: number } = {},
): Page<T> {
  const limit = Math.max(1, Math.min(1000, Math.floor(opts.limit ?? 100)));
  const sorted = items.map((t) => [key(t), t] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let start = 0;
  if (opts.cursor !== undefined) {
    const c = opts.cursor;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as readonly [string, T])[0] <= c) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const page = sorted.slice(start, start + limit);
  const last = page[page.length - 1];
  return { items: page.map((p) => p[1]), ...(start + limit < sorted.length && last ? { nextCursor: last[0] } : {}) };
}

/** Kubernetes' plural resource names, as its conflict messages print them. */
const RESOURCE: Record<ObjectKind, string> = {
  Quota: "quotas",
  Namespace: "namespaces",
  ResourceQuota: "resourcequotas",
  LimitRange: "limitranges",
  ConfigMap: "configmaps",
  Secret: "secrets",
  NodePool: "nodepools",
  Node: "nodes",
  Deployment: "deployments.apps",
  ReplicaSet: "replicasets.apps",
  Pod: "pods",
  Service: "services",
  EndpointSlice: "endpointslices.discovery.k8s.io",
  SecurityGroup: "securitygroups.cloud.tenant.io",
  Vpc: "vpcs.cloud.tenant.io",
  Subnet: "subnets.cloud.tenant.io",
  NetworkPolicy: "networkpolicies.networking.k8s.io",
  PortBan: "portbans.cloud.tenant.io",
  PublicIPPool: "publicippools.cloud.tenant.io",
  PublicIP: "publicips.cloud.tenant.io",
  Event: "events",
};

/**
 * A write's optimistic-concurrency precondition (metadata.resourceVersion): when `expected`
 * is given and the object has been written since, CONFLICT with Kubernetes' message, before
 * anything is staged.
 */
export function checkResourceVersion(obj: ObjectOfKind<ObjectKind>, expected: number | undefined): void {
  if (expected === undefined) return;
  if (!Number.isInteger(expected) || expected < 0)
    throw new EngineError("INVALID", "resourceVersion must be a non-negative integer");
  if (obj.resourceVersion !== expected)
    throw new EngineError(
      "CONFLICT",
      `Operation cannot be fulfilled on ${RESOURCE[obj.kind]} "${obj.name}": the object has been modified; please apply your changes to the latest version and try again`,
    );
}
