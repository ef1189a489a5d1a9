/**
 * Reading engine objects for a caller, and turning them into Kubernetes objects.
 *
 * Guarantees (the tenant boundary of this API lives here, in `scopeFor` and `visible`):
 * - A tenant caller sees only objects whose tenantId is its own; naming a namespace that is
 *   not its own (another tenant's, or none at all: the two answer alike) is Forbidden, as
 *   Kubernetes' RBAC answers a namespace one may not read; a list of a namespaced kind across
 *   all namespaces is Forbidden for a tenant (for us, all namespaces means all tenants).
 * - An operator caller sees every tenant's objects.
 * - Lists are sorted by namespace then name; selectors are parsed before anything is read
 *   (a bad one is BadRequest).
 *
 * The engine's port has no generic per-tenant list, so objects are read with `eachObject`
 * and filtered by tenant here (O(objects of that kind) per list).
 */
import {
  type AnyKindDefinition,
  type ConversionContext,
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
  for (const n of engine.eachObject("Node")) if (n.name === m[1] && n.tenantId === tenantId) return true;
  return false;
}

export function ownsNamespace(engine: Orchestrator, tenantId: string, name: string): boolean {
  for (const ns of engine.eachObject("Namespace")) if (ns.name === name) return ns.tenantId === tenantId;
  return false;
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
  for (const o of engine.eachObject(kind)) {
    if (!visible(scope, o)) continue;
    if (matches(o)) out.push(o);
  }
  return out.sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
}

export function visible(scope: ReadScope, o: EngineObject): boolean {
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
  for (const o of engine.eachObject(def.kind as K))
    if (o.name === name && visible(scope, o)) return o as ObjectOfKind<K>;
  throw new KubeError("NotFound", `${def.plural}${def.group ? `.${def.group}` : ""} "${name}" not found`, {
    name,
    group: def.group,
    kind: def.plural,
  });
}

/**
 * A conversion context over the port for one request: lookups by id are indexed lazily
 * (each kind once per request), and `now` is the services' clock.
 */
export function conversionContext(engine: Orchestrator, now: () => number): ConversionContext {
  const byId = new Map<ObjectKind, Map<string, EngineObject>>();
  let podsByRs: Map<string, Pod[]> | undefined;
  return {
    get<K extends ObjectKind>(kind: K, id: string | undefined): ObjectOfKind<K> | undefined {
      if (id === undefined) return undefined;
      let index = byId.get(kind);
      if (!index) {
        index = new Map();
        for (const o of engine.eachObject(kind)) index.set(o.id, o);
        byId.set(kind, index);
      }
      return index.get(id) as ObjectOfKind<K> | undefined;
    },
    podsOfReplicaSet(rsId: string): Iterable<Pod> {
      if (!podsByRs) {
        podsByRs = new Map();
        for (const p of engine.eachObject("Pod")) {
          if (!p.ownerReplicaSetId) continue;
          const list = podsByRs.get(p.ownerReplicaSetId) ?? [];
          list.push(p);
          podsByRs.set(p.ownerReplicaSetId, list);
        }
      }
      return podsByRs.get(rsId) ?? [];
    },
    now,
  };
}

export function toKube(obj: EngineObject, ctx: ConversionContext): KubeObject {
  return toKubernetes(obj, ctx);
}

/** PartialObjectMetadata of an object (what a Table row carries by default). */
export function partialMetadata(kube: KubeObject) {
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: kube.metadata };
}
