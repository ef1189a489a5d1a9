/**
 * The kind registry: the one list of every kind the engine keeps, and lookups by engine
 * kind, wire kind, plural, singular and short name (all case-insensitive except the engine
 * kind). Adding a kind = its module under kinds/ + one entry in KINDS.
 *
 * Guarantees (checked at load: a broken list throws at import, so it cannot reach a running
 * server): every kind of OBJECT_KINDS has exactly one definition and every definition's kind
 * is in OBJECT_KINDS; a definition's `namespaced` and `nameScope` agree with NAMESPACED_KINDS;
 * resource names (plural, singular, short names) are unique across kinds, and index and sum
 * names unique within a kind.
 */
import { configMapKind } from "./config-map";
import type { AnyKindDefinition, KindDefinition } from "./definition";
import { deploymentKind } from "./deployment";
import { endpointSliceKind } from "./endpoint-slice";
import { eventKind } from "./event";
import { limitRangeKind } from "./limit-range";
import { metadataFieldGetters } from "./definition";
import type { ConversionContext, KubeObject } from "./kubernetes";
import { namespaceKind } from "./namespace";
import { networkPolicyKind } from "./network-policy";
import { nodeKind } from "./node";
import { nodePoolKind } from "./node-pool";
import { podKind } from "./pod";
import { portBanKind } from "./port-ban";
import { publicIpKind } from "./public-ip";
import { publicIpPoolKind } from "./public-ip-pool";
import { quotaKind } from "./quota";
import { replicaSetKind } from "./replica-set";
import { resourceQuotaKind } from "./resource-quota";
import { secretKind } from "./secret";
import { securityGroupKind } from "./security-group";
import { serviceKind } from "./service";
import { subnetKind } from "./subnet";
import { vpcKind } from "./vpc";
import { type FieldGetters, fieldSelectorMatcher, labelSelectorMatcher } from "./selectors";
import { type EngineObject, NAMESPACED_KINDS, OBJECT_KINDS, type ObjectKind } from "./types";

export const KINDS: readonly AnyKindDefinition[] = [
  namespaceKind,
  quotaKind,
  resourceQuotaKind,
  limitRangeKind,
  configMapKind,
  secretKind,
  nodePoolKind,
  nodeKind,
  deploymentKind,
  replicaSetKind,
  podKind,
  serviceKind,
  endpointSliceKind,
  securityGroupKind,
  vpcKind,
  subnetKind,
  networkPolicyKind,
  portBanKind,
  publicIpPoolKind,
  publicIpKind,
  eventKind,
];

const byKind = new Map<ObjectKind, AnyKindDefinition>();
const byResource = new Map<string, AnyKindDefinition>();
const byApiKind = new Map<string, AnyKindDefinition>();

for (const def of KINDS) {
  if (byKind.has(def.kind)) throw new Error(`kind registry: ${def.kind} is defined twice`);
  byKind.set(def.kind, def);
  byApiKind.set(def.apiKind.toLowerCase(), def);
  for (const name of [def.plural, def.singular, ...def.shortNames]) {
    const taken = byResource.get(name);
    if (taken && taken !== def) throw new Error(`kind registry: "${name}" names both ${taken.kind} and ${def.kind}`);
    byResource.set(name, def);
  }
}
checkKindList(KINDS, OBJECT_KINDS, NAMESPACED_KINDS);

/**
 * Throws unless `defs` and `objectKinds` name the same kinds, each once, with the scope
 * `namespacedKinds` gives, and each kind's index and sum names are unique. Run at load on
 * KINDS (exported for its test).
 */
export function checkKindList(
  defs: readonly AnyKindDefinition[],
  objectKinds: readonly ObjectKind[],
  namespacedKinds: ReadonlySet<ObjectKind>,
): void {
  const defined = new Set(defs.map((d) => d.kind));
  if (defined.size !== defs.length) throw new Error("kind registry: a kind is defined twice");
  for (const k of objectKinds) if (!defined.has(k)) throw new Error(`kind registry: ${k} has no definition`);
  for (const def of defs) {
    if (!objectKinds.includes(def.kind)) throw new Error(`kind registry: ${def.kind} is not in OBJECT_KINDS`);
    if (def.namespaced !== namespacedKinds.has(def.kind) || (def.nameScope === "namespace") !== def.namespaced)
      throw new Error(`kind registry: ${def.kind}'s scope disagrees with NAMESPACED_KINDS`);
    const names = [...(def.indexes ?? []), ...(def.sums ?? [])].map((i) => i.name);
    if (new Set(names).size !== names.length) throw new Error(`kind registry: ${def.kind} names an index twice`);
  }
}

/** The definition of an engine kind. */
export function kindDefinition<K extends ObjectKind>(kind: K): KindDefinition<K> {
  return byKind.get(kind) as unknown as KindDefinition<K>;
}

/** By wire kind (`Deployment`, `TenantQuota`), case-insensitive. */
export function findKindByApiKind(apiKind: string): AnyKindDefinition | undefined {
  return byApiKind.get(apiKind.toLowerCase());
}

/**
 * By resource name as kubectl accepts it: plural, singular or short name, optionally with
 * its group (`deployments.apps`, `deploy`), case-insensitive.
 */
export function findKindByResource(name: string): AnyKindDefinition | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf(".");
  if (dot < 0) return byResource.get(lower);
  const def = byResource.get(lower.slice(0, dot));
  return def && def.group === lower.slice(dot + 1) ? def : undefined;
}

/** Kinds a category names (`all`: what `kubectl get all` lists). */
export function kindsInCategory(category: string): AnyKindDefinition[] {
  return KINDS.filter((d) => d.categories.includes(category));
}

/** Any engine object in its Kubernetes shape. */
export function toKubernetes(obj: EngineObject, ctx: ConversionContext): KubeObject {
  const def = byKind.get(obj.kind) as { toKubernetes(o: EngineObject, c: ConversionContext): KubeObject };
  return def.toKubernetes(obj, ctx);
}

export interface SelectorOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

/**
 * One predicate for a list or watch of `kind` ("*": every kind, where a field selector may
 * name only `metadata.*`). Both selectors are parsed here, once: a bad one throws
 * EngineError INVALID before anything is listed or watched.
 */
export function objectMatcher(kind: ObjectKind | "*", opts: SelectorOptions): (obj: EngineObject) => boolean {
  const labels = labelSelectorMatcher(opts.labelSelector || undefined);
  const getters = (
    kind === "*" ? metadataFieldGetters() : byKind.get(kind)?.fieldGetters
  ) as FieldGetters<EngineObject>;
  const fields = fieldSelectorMatcher(opts.fieldSelector || undefined, getters);
  const labelsOf = (o: EngineObject) => {
    const f = (byKind.get(o.kind) as { labelsOf?: (x: EngineObject) => Record<string, string> } | undefined)?.labelsOf;
    return f ? f(o) : o.labels;
  };
  return (o) => (kind === "*" || o.kind === kind) && labels(labelsOf(o)) && fields(o);
}
