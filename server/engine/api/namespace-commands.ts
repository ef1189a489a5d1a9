/**
 * Namespace and ResourceQuota commands and queries (tenant).
 * Guarantees:
 * - A namespace name (DNS-1123 label) is unique across every tenant; a name another tenant
 *   holds is refused exactly like one the tenant holds itself (`namespaces "x" already
 *   exists`), so nobody learns whose it is; another tenant's namespace reads as NOT_FOUND.
 * - Each tenant has one default namespace (ensureTenantNamespace, called by tenancy at
 *   tenant creation and at start): commands that name no namespace write there and name
 *   lookups without one look there. A tenant that has none yet gets one named after its id
 *   on its first namespaced write (engines driven directly, as in tests). The default
 *   namespace cannot be deleted, like Kubernetes' `default`.
 * - deleteNamespace marks it Terminating (deletionTimestamp); the namespace controller (gc)
 *   then deletes everything in it and finally the namespace. Nothing can be created in a
 *   Terminating namespace (Kubernetes' message), nor in a missing one (NOT_FOUND).
 * - setResourceQuota creates or replaces one named quota of a namespace (admission:
 *   admission/namespace-quota.ts); lowering it below usage blocks new work only.
 * - createNamespace stores `managedFields` as given; create and delete take `dryRun` (dry-run.ts).
 * - updateNamespaceMetadata changes a namespace's labels and annotations only (`kubectl label
 *   namespace`, server-side apply); `kubernetes.io/metadata.name` stays its name, as Kubernetes keeps it.
 */

/** A namespace's create input: its name and labels, and the managed fields the Kubernetes API recorded. */
export type CreateNamespaceInput = NamespaceInput & { managedFields?: ManagedFields };

/** What a namespace's update may change, at the resourceVersion it was read at when given. */
export interface UpdateNamespaceMetadataInput {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: ManagedFields;
  resourceVersion?: number;
}

const NAME_LABEL = "kubernetes.io/metadata.name";
import { type Ctx, newId } from "../core/context";
import { ensureTenantNetworkObjects } from "../network/tenant-network-objects";
import type { EngineCore } from "../core/core";
import { EngineError } from "../core/errors";
import { checkResourceVersion, checkTenant, mustFind, mustFindNamespace, type Page, paginate } from "../core/lookup";
import { namespaceClaims } from "../admission/namespace-quota";
import { parseCpu, parseMemory } from "../kinds/quantity";
import { managedFieldsInput } from "../kinds/kubernetes";
import {
  EMPTY_MAP,
  type ManagedFields,
  NAMESPACED_KINDS,
  type Namespace,
  type ResourceQuota,
  type StringMap,
} from "../kinds/types";
import {
  dnsName,
  metadataSchema,
  namespaceSchema,
  type NamespaceInput,
  parseInput,
  resourceQuotaSchema,
  type ResourceQuotaInput,
} from "../kinds/validation";
import { commandOrDryRun, type DryRunOption } from "./dry-run";

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const isEmptyMap = (m: StringMap) => Object.keys(m).length === 0;

const alreadyExists = (name: string) => new EngineError("CONFLICT", `namespaces "${name}" already exists`);

function newNamespace(
  ctx: Ctx,
  tenantId: string,
  name: string,
  labels: StringMap,
  tenantDefault: boolean,
  managedFields?: ManagedFields,
): Namespace {
  // A tenant's network exists as objects from its first namespace on (network/tenant-network-objects.ts).
  ensureTenantNetworkObjects(ctx, tenantId);
  return ctx.state.put<Namespace>({
    kind: "Namespace",
    id: newId(ctx, "Namespace", "ns"),
    tenantId,
    name,
    // Kubernetes labels every namespace with its own name (selectable by namespaceSelector).
    labels: { ...labels, [NAME_LABEL]: name },
    annotations: EMPTY_MAP,
    generation: 1,
    createdAt: ctx.clock.now(),
    ...(tenantDefault ? { tenantDefault: true } : {}),
    ...(managedFields?.length ? { managedFields } : {}),
    status: { phase: "Active" },
    resourceVersion: 0,
  });
}

/** Make `ns` the tenant's one default namespace (staged). */
function makeDefault(ctx: Ctx, ns: Namespace): Namespace {
  for (const other of ctx.state.ofTenant("Namespace", ns.tenantId))
    if (other.tenantDefault && other.id !== ns.id) ctx.state.put({ ...other, tenantDefault: undefined });
  return ns.tenantDefault ? ns : ctx.state.put({ ...ns, tenantDefault: true });
}

/**
 * Where a write that names `namespace` (or none: the tenant's default) creates objects:
 * refused when missing or another tenant's (NOT_FOUND) or Terminating (Kubernetes' text).
 * Staged inside the caller's command.
 */
export function namespaceForWrite(ctx: Ctx, tenantId: string, namespace: string | undefined): string {
  let name = namespace ?? ctx.state.defaultNamespaceOf(tenantId);
  if (name === undefined) {
    // No default yet: the tenant's id names it when it can (tenancy normally sets it first).
    if (!DNS1123.test(tenantId) || tenantId.length > 63 || ctx.state.namespaceNamed(tenantId))
      throw new EngineError("NOT_FOUND", "the tenant has no default namespace yet; name a namespace");
    name = newNamespace(ctx, tenantId, tenantId, EMPTY_MAP, true).name;
  }
  const ns = mustFindNamespace(ctx.state, tenantId, name);
  if (ns.status.phase === "Terminating")
    throw new EngineError(
      "CONFLICT",
      `unable to create new content in namespace ${ns.name} because it is being terminated`,
    );
  return ns.name;
}

/**
 * Objects stored before namespaces existed have none (or "", events recorded while the
 * tenant had no namespace): they move into the tenant's default
 * namespace (staged, so they are written with it in this command's commit). Once done,
 * this only scans the tenant's objects.
 */
function adoptUnplaced(ctx: Ctx, tenantId: string, namespace: string): void {
  for (const kind of NAMESPACED_KINDS)
    for (const o of ctx.state.ofTenant(kind, tenantId))
      if (!(o as { namespace?: string }).namespace) ctx.state.put({ ...o, namespace });
}

/** A ResourceQuota with what its namespace's pods use now (counting for quota). */
export interface ResourceQuotaView extends ResourceQuota {
  used: { cpuMillis: number; memoryBytes: number; pods: number };
}

export interface NamespaceView extends Namespace {
  /** What the namespace's pods use now (counting for quota) and what its deployments claim. */
  used: { cpuMillis: number; memoryBytes: number; pods: number };
  claimed: { cpuMillis: number; memoryBytes: number; pods: number };
}

export function namespaceCommands(core: EngineCore) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;
  const view = (ns: Namespace): NamespaceView => ({
    ...ns,
    used: { ...state.usageOfNamespace(ns.name) },
    claimed: namespaceClaims(state, ns.tenantId, ns.name),
  });

  return {
    /**
     * Idempotent: the tenant's default namespace `name`, created when missing. Refused when
     * another tenant holds the name, or when it is being deleted.
     */
    ensureTenantNamespace: (tenantId: string, name: string): Promise<Namespace> =>
      core.command(() => {
        checkTenant(tenantId);
        const n = parseInput(dnsName, name, "namespace name");
        const existing = state.namespaceNamed(n);
        if (existing && existing.tenantId !== tenantId) throw alreadyExists(n);
        if (existing?.status.phase === "Terminating")
          throw new EngineError("CONFLICT", `namespace "${n}" is being deleted; it cannot be the default namespace`);
        const ns = makeDefault(ctx, existing ?? newNamespace(ctx, tenantId, n, EMPTY_MAP, true));
        adoptUnplaced(ctx, tenantId, ns.name);
        return ns;
      }),

    createNamespace: (tenantId: string, input: CreateNamespaceInput, opts: DryRunOption = {}): Promise<Namespace> =>
      commandOrDryRun(core, opts.dryRun, () => {
        checkTenant(tenantId);
        const { managedFields: given, ...rest } = input ?? {};
        const { name, labels } = parseInput(namespaceSchema, rest, "namespace");
        const managedFields = parseInput(managedFieldsInput, given, "metadata.managedFields");
        if (isReservedNamespace(name))
          throw new EngineError("INVALID", `namespaces "${name}" is forbidden: the name is reserved for the system`);
        if (state.namespaceNamed(name)) throw alreadyExists(name);
        const held = state.ofTenant("Namespace", tenantId).length;
        if (held >= ctx.config.namespacesPerTenant)
          throw new EngineError(
            "QUOTA_EXCEEDED",
            `namespaces "${name}" is forbidden: exceeded quota: namespaces, used: ${held}, limited: ${ctx.config.namespacesPerTenant}`,
          );
        return newNamespace(ctx, tenantId, name, labels, false, managedFields);
      }),

    /** Replace a namespace's labels and annotations (absent: kept) and its managed fields. */
    updateNamespaceMetadata: (
      tenantId: string,
      name: string,
      input: UpdateNamespaceMetadataInput,
      opts: DryRunOption = {},
    ): Promise<Namespace> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const ns = mustFindNamespace(state, checkTenant(tenantId), name);
        checkResourceVersion(ns, input.resourceVersion);
        const meta = parseInput(metadataSchema, { labels: input.labels, annotations: input.annotations }, "metadata");
        const given =
          input.managedFields === undefined
            ? undefined
            : parseInput(managedFieldsInput, input.managedFields, "metadata.managedFields");
        const labels = meta.labels === undefined ? ns.labels : { ...meta.labels, [NAME_LABEL]: ns.name };
        const annotations = meta.annotations ?? ns.annotations;
        const { managedFields: kept, ...rest } = ns;
        const managedFields = given ?? kept;
        return state.put<Namespace>({
          ...rest,
          labels: isEmptyMap(labels) ? EMPTY_MAP : labels,
          annotations: isEmptyMap(annotations) ? EMPTY_MAP : annotations,
          ...(managedFields?.length ? { managedFields } : {}),
        });
      }),

    /** Start deleting a namespace and everything in it; it reads Terminating until it is empty. */
    deleteNamespace: (
      tenantId: string,
      name: string,
      opts: DryRunOption & { resourceVersion?: number } = {},
    ): Promise<Namespace> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const ns = mustFindNamespace(state, checkTenant(tenantId), name);
        checkResourceVersion(ns, opts.resourceVersion);
        if (ns.tenantDefault)
          throw new EngineError(
            "CONFLICT",
            `namespaces "${ns.name}" is forbidden: this namespace may not be deleted (it is the tenant's default namespace)`,
          );
        if (ns.status.phase === "Terminating") return ns;
        return state.put<Namespace>({
          ...ns,
          deletionTimestamp: ctx.clock.now(),
          finalizers: ["kubernetes"],
          status: { phase: "Terminating" },
        });
      }),

    /** The tenant's namespaces by name, with their usage. */
    listNamespaces: (tenantId: string, opts: { cursor?: string; limit?: number } = {}): Page<NamespaceView> =>
      paginate(state.ofTenant("Namespace", checkTenant(tenantId)).map(view), (n) => n.name, opts),

    getNamespace: (tenantId: string, name: string): NamespaceView =>
      view(mustFindNamespace(state, checkTenant(tenantId), name)),

    /** Create or replace the namespace's quota `name` (default "namespace-quota"). */
    setResourceQuota: (tenantId: string, input: ResourceQuotaInput): Promise<ResourceQuota> =>
      core.command(() => {
        checkTenant(tenantId);
        const q = parseInput(resourceQuotaSchema, input ?? {}, "resourceQuota");
        const namespace = namespaceForWrite(ctx, tenantId, q.namespace);
        const hard: ResourceQuota["hard"] = {
          ...(q.hard.cpu !== undefined ? { cpuMillis: parseCpu(q.hard.cpu) } : {}),
          ...(q.hard.memory !== undefined ? { memoryBytes: parseMemory(q.hard.memory) } : {}),
          ...(q.hard.pods !== undefined ? { pods: q.hard.pods } : {}),
        };
        const existing = state.byName("ResourceQuota", tenantId, q.name, namespace);
        if (existing) {
          checkResourceVersion(existing, q.resourceVersion);
          return state.put({ ...existing, hard, generation: existing.generation + 1 });
        }
        if (q.resourceVersion !== undefined) throw new EngineError("NOT_FOUND", `resourcequotas "${q.name}" not found`);
        return state.put<ResourceQuota>({
          kind: "ResourceQuota",
          id: newId(ctx, "ResourceQuota", "quota"),
          tenantId,
          namespace,
          name: q.name,
          labels: EMPTY_MAP,
          annotations: EMPTY_MAP,
          generation: 1,
          createdAt: ctx.clock.now(),
          hard,
          resourceVersion: 0,
        });
      }),

    deleteResourceQuota: (
      tenantId: string,
      name: string,
      opts: { namespace?: string; resourceVersion?: number } = {},
    ): Promise<void> =>
      core.command(() => {
        const q = mustFind(state, "ResourceQuota", checkTenant(tenantId), name, opts.namespace);
        checkResourceVersion(q, opts.resourceVersion);
        state.remove("ResourceQuota", q.id);
      }),

    /** The tenant's ResourceQuotas (one namespace, or all), each with its namespace's usage. */
    listResourceQuotas(tenantId: string, opts: { namespace?: string } = {}): ResourceQuotaView[] {
      checkTenant(tenantId);
      if (opts.namespace !== undefined) mustFindNamespace(state, tenantId, opts.namespace);
      return state
        .ofTenant("ResourceQuota", tenantId)
        .filter((q) => opts.namespace === undefined || q.namespace === opts.namespace)
        .sort((a, b) => (a.namespace + a.name < b.namespace + b.name ? -1 : 1))
        .map((q) => ({ ...q, used: { ...state.usageOfNamespace(q.namespace) } }));
    },
  };
}

/** Names Kubernetes keeps for itself (`default`, `kube-*`): no tenant may hold them, since names are global. */
export function isReservedNamespace(name: string): boolean {
  return name === "default" || name.startsWith("kube-");
}
