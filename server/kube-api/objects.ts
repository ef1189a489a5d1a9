/**
 * Reading engine objects for a caller, and turning them into Kubernetes objects.
 *
 * Guarantees (the tenant boundary of this API lives here, in `scopeFor` and `visible`):
 * - A tenant caller sees only objects whose tenantId is its own; naming a namespace that is
 *   not its own (another tenant's, or none at all: the two answer alike) is Forbidden, as
 *   Kubernetes' RBAC answers a namespace one may not read; a list of a namespaced kind across
 *   all namespaces is Forbidden for a tenant (for us, all namespaces means all tenants).
 * - An operator caller sees every tenant's objects.
 * - Objects no tenant owns (SHARED_KINDS: the operator's port bans) are read by every caller;
 *   the operators' infrastructure (OPERATOR_ONLY_KINDS: public address pools) by operators only,
 *   a tenant's read of it being Forbidden whatever it names.
 * - Lists are sorted by namespace then name; selectors are parsed before anything is read
 *   (a bad one is BadRequest).
 *
 * Reads go through the port's cache indexes: a get is one lookup by name, a tenant's list walks
 * only that tenant's objects of the kind; only an operator's list of every namespace walks the
 * kind cluster-wide.
 */
import {
  type AnyKindDefinition,
  type ConversionContext,
  type UsageContext,
  type EngineObject,
  isEngineError,
  type KubeObject,
  objectMatcher,
  type ObjectKind,
  type ObjectOfKind,
  type Orchestrator,
  type Pod,
  toKubernetes,
} from "../engine";
import { type Caller, mayWrite } from "./auth";
import { badRequest, forbiddenError, KubeError } from "./status";

/** Kinds whose objects belong to no tenant and that every caller reads (the operator's blocklist). */
export const SHARED_KINDS: ReadonlySet<ObjectKind> = new Set<ObjectKind>(["PortBan"]);

/** Kinds whose objects belong to no tenant and that only operators read (the public address pools). */
export const OPERATOR_ONLY_KINDS: ReadonlySet<ObjectKind> = new Set<ObjectKind>(["PublicIPPool"]);

export interface ReadScope {
  caller: Caller;
  /** The namespace named in the path (namespaced kinds), if any. */
  namespace?: string;
}

const verbText = (verb: string, def: AnyKindDefinition, caller: Caller, namespace?: string) =>
  `${def.plural}${def.group ? `.${def.group}` : ""} is forbidden: User "${caller.username}" cannot ${verb} resource "${def.plural}" in API group "${def.group}"${namespace === undefined ? " at the cluster scope" : ` in the namespace "${namespace}"`}`;

/** Throws Forbidden unless the caller may read `namespace` (its own), or all namespaces (operators). */
export function checkNamespaceAccess(
  engine: Orchestrator,
  scope: ReadScope,
  def: AnyKindDefinition,
  verb: string,
  fieldSelector?: string | null,
): void {
  const { caller, namespace } = scope;
  if (caller.scope === "operator") return;
  if (OPERATOR_ONLY_KINDS.has(def.kind))
    throw forbiddenError(`${verbText(verb, def, caller)}: ${OPERATOR_ONLY_REASON}`, {
      resource: def.plural,
      group: def.group,
    });
  // Kubernetes' `view` role does not read Secrets: a viewer sees that they exist nowhere here either.
  if (def.kind === "Secret" && !mayWrite(caller, "member"))
    throw forbiddenError(`${verbText(verb, def, caller, namespace)}: viewers do not read secrets`, {
      resource: def.plural,
      group: def.group,
    });
  if (!def.namespaced) return;
  // `kubectl drain` lists the pods of one node across namespaces: on the tenant's own node those are its own.
  if (namespace === undefined && def.kind === "Pod" && onOwnNode(engine, caller.tenantId, fieldSelector)) return;
  if (namespace === undefined)
    throw forbiddenError(`${verbText(verb, def, caller)}: a tenant's token reads one namespace at a time (no -A)`, {
      resource: def.plural,
      group: def.group,
    });
  if (!ownsNamespace(engine, caller.tenantId, namespace))
    throw forbiddenError(verbText(verb, def, caller, namespace), { resource: def.plural, group: def.group });
}

function onOwnNode(engine: Orchestrator, tenantId: string, fieldSelector: string | null | undefined): boolean {
  const m = /^spec\.nodeName==?([a-z0-9.-]{1,253})$/.exec((fieldSelector ?? "").trim());
  if (!m) return false;
  return engine.objectNamed("Node", tenantId, m[1] as string) !== undefined;
}

/** Why a tenant may not read an operator-only kind (also `auth can-i`'s reason). */
export const OPERATOR_ONLY_REASON = "public IP pools are the operators' infrastructure";

export function ownsNamespace(engine: Orchestrator, tenantId: string, name: string): boolean {
  return engine.namespaceNamed(name)?.tenantId === tenantId;
}

/**
 * The objects of `kind` a read in `scope` may see, from the narrowest index: the caller's
 * tenant (a tenant) or the named namespace's holder (an operator in one namespace); an
 * operator's cluster-wide read walks the kind. Still filtered by `visible`.
 */
function candidates<K extends ObjectKind>(engine: Orchestrator, kind: K, scope: ReadScope): Iterable<ObjectOfKind<K>> {
  if (SHARED_KINDS.has(kind)) return engine.eachObject(kind);
  if (scope.caller.scope === "tenant") return engine.objectsOfTenant(kind, scope.caller.tenantId as string);
  if (scope.namespace !== undefined && kind !== "Namespace") {
    const holder = engine.namespaceNamed(scope.namespace)?.tenantId;
    return holder === undefined ? [] : engine.objectsOfTenant(kind, holder);
  }
  return engine.eachObject(kind);
}

/** Throws BadRequest for a selector that does not parse. */
export function checkSelectors(def: AnyKindDefinition, selectors: { labelSelector?: string; fieldSelector?: string }) {
  try {
    objectMatcher(def.kind, selectors);
  } catch (error) {
    if (isEngineError(error)) throw badRequest(error.message);
    throw error;
  }
}

/** The caller's objects of `kind` (in `scope.namespace` when given) that the selectors match, sorted. */
export function listVisible<K extends ObjectKind>(
  engine: Orchestrator,
  def: AnyKindDefinition,
  scope: ReadScope,
  selectors: { labelSelector?: string; fieldSelector?: string },
): ObjectOfKind<K>[] {
  const kind = def.kind as K;
  let matches: (o: EngineObject) => boolean;
  try {
    matches = objectMatcher(kind, selectors);
  } catch (error) {
    if (isEngineError(error)) throw badRequest(error.message);
    throw error;
  }
  const out: ObjectOfKind<K>[] = [];
  for (const o of candidates(engine, kind, scope)) {
    if (!visible(scope, o)) continue;
    if (matches(o)) out.push(o);
  }
  return sortedByKey(out, JSON.stringify([kind, scope.caller.tenantId ?? null, scope.namespace ?? null, selectors]));
}

/**
 * The last few lists' matches and their sorted order, by what the list asked. The same matches
 * (element-wise the same immutable objects, met in the same order) sort the same: kubectl
 * listing an unchanged 3,000-pod namespace again reuses the order instead of sorting it again.
 * Bounded: 8 lists of at most 10,000 objects, so the object versions it keeps alive stay few.
 */
const sortedLists = new Map<string, { matched: readonly EngineObject[]; sorted: readonly EngineObject[] }>();
const SORTED_LISTS_KEPT = 8;
const SORTED_LIST_MAX_OBJECTS = 10_000;

function sortedByKey<T extends EngineObject>(matched: T[], list: string): T[] {
  const kept = sortedLists.get(list);
  if (kept && kept.matched.length === matched.length && kept.matched.every((o, i) => o === matched[i]))
    return kept.sorted.slice() as T[];
  // Each key built once, not on every comparison (150,000 pods: most of a paged list's time).
  const keyed = matched.map((o) => ({ key: sortKey(o), o }));
  keyed.sort((a, b) => compareKeys(a.key, b.key));
  const sorted = keyed.map((k) => k.o);
  sortedLists.delete(list);
  if (matched.length > SORTED_LIST_MAX_OBJECTS) return sorted;
  if (sortedLists.size >= SORTED_LISTS_KEPT) sortedLists.delete(sortedLists.keys().next().value as string);
  sortedLists.set(list, { matched, sorted });
  return sorted.slice();
}

export function visible(scope: ReadScope, o: EngineObject): boolean {
  if (SHARED_KINDS.has(o.kind)) return true;
  if (scope.caller.scope === "tenant" && o.tenantId !== scope.caller.tenantId) return false;
  if (scope.namespace !== undefined && "namespace" in o && o.namespace !== scope.namespace) return false;
  return true;
}

export const sortKey = (o: EngineObject): string => ("namespace" in o ? `${o.namespace}/${o.name}` : o.name);
export const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One object by name, or NotFound (in Kubernetes' words). */
export function getVisible<K extends ObjectKind>(
  engine: Orchestrator,
  def: AnyKindDefinition,
  scope: ReadScope,
  name: string,
): ObjectOfKind<K> {
  const found = findNamed(engine, def.kind as K, scope, name);
  if (found && visible(scope, found)) return found;
  throw new KubeError("NotFound", `${def.plural}${def.group ? `.${def.group}` : ""} "${name}" not found`, {
    name,
    group: def.group,
    kind: def.plural,
  });
}

/** By name through the port's name index where the name is unique in the scope; else (an operator naming a per-tenant kind) the first match. */
function findNamed<K extends ObjectKind>(
  engine: Orchestrator,
  kind: K,
  scope: ReadScope,
  name: string,
): ObjectOfKind<K> | undefined {
  if (kind === "Namespace") return engine.namespaceNamed(name) as ObjectOfKind<K> | undefined;
  if (SHARED_KINDS.has(kind)) {
    for (const o of engine.eachObject(kind)) if (o.name === name) return o;
    return undefined;
  }
  const tenantId =
    scope.caller.scope === "tenant"
      ? scope.caller.tenantId
      : scope.namespace === undefined
        ? undefined
        : engine.namespaceNamed(scope.namespace)?.tenantId;
  if (tenantId !== undefined) return engine.objectNamed(kind, tenantId, name, scope.namespace);
  for (const o of engine.eachObject(kind)) if (o.name === name && visible(scope, o)) return o;
  return undefined;
}

/** A conversion context over the port's indexes for one request; `now` is the services' clock. */
export function conversionContext(engine: Orchestrator, now: () => number): UsageContext {
  return {
    get: <K extends ObjectKind>(kind: K, id: string | undefined): ObjectOfKind<K> | undefined =>
      id === undefined ? undefined : engine.objectById(kind, id),
    podsOfReplicaSet: (rsId: string): Iterable<Pod> => engine.podsOfReplicaSet(rsId),
    namespaceUsage: (_tenantId: string, namespace: string) => engine.namespaceUsage(namespace),
    now,
  };
}

export function toKube(obj: EngineObject, ctx: ConversionContext): KubeObject {
  return toKubernetes(obj, ctx);
}

/** PartialObjectMetadata of an object (what a Table row carries by default). */
export function partialMetadata(kube: Pick<KubeObject, "metadata">) {
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: kube.metadata };
}
