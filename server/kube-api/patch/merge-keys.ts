/**
 * The patch and apply metadata of every served kind: the single source of truth for strategic merge
 * patch (list merge keys, directives), server-side apply (associative lists, sets, atomic values) and
 * the x-kubernetes-* extensions of our OpenAPI documents.
 *
 * Transcribed from the Go struct tags and markers of kubernetes/api at commit 10b39a39 (core/v1,
 * apps/v1, autoscaling/v1 types.go), at 1ff85247 (networking/v1 types.go: no patchStrategy tag at
 * all, every list `+listType=atomic`) and kubernetes/apimachinery at eed236ce (meta/v1 types.go):
 * `patchStrategy` / `patchMergeKey` tags, `+listType`, `+listMapKey`, `+structType=atomic` and
 * `+mapType=atomic` markers. Only fields that differ from the defaults are listed, and nothing below an
 * atomic list (its contents are replaced whole, so their metadata never applies). The defaults:
 * - a list with no entry is atomic: strategic merge patch replaces it, apply owns it as one field
 *   (e.g. tolerations, envFrom, readinessGates, Node spec.taints, LimitRange spec.limits);
 * - an object or map with no entry merges key by key and apply owns each key.
 * Two metadata families are kept apart on purpose because upstream keeps them apart: status.hostIPs
 * merges by `ip` under strategic merge patch yet is atomic under apply, and `resources.claims` is the
 * reverse.
 */

export interface FieldMeta {
  /** Strategic merge patch tag: `merge` (list merges by key, or as a set of primitives without one). */
  readonly patchStrategy?: "merge" | "retainKeys" | "merge,retainKeys";
  readonly patchMergeKey?: string;
  /** Server-side apply markers; a list with no listType is atomic. */
  readonly listType?: "map" | "set" | "atomic";
  readonly listMapKeys?: readonly string[];
  /** +structType=atomic / +mapType=atomic: apply owns the whole value as one field. */
  readonly atomic?: true;
}

/** Dotted paths relative to where a fragment is mounted; list elements add no segment. */
type Fragment = Readonly<Record<string, FieldMeta>>;

const mapList = (key: string, ...extraKeys: string[]): FieldMeta => ({
  patchStrategy: "merge",
  patchMergeKey: key,
  listType: "map",
  listMapKeys: [key, ...extraKeys],
});
const ATOMIC: FieldMeta = { atomic: true };

function mount(prefix: string, fragment: Fragment): Fragment {
  return Object.fromEntries(Object.entries(fragment).map(([path, meta]) => [`${prefix}.${path}`, meta]));
}

const OBJECT_META: Fragment = {
  ownerReferences: mapList("uid"),
  finalizers: { patchStrategy: "merge", listType: "set" },
};

const LABEL_SELECTOR_PATHS = (prefix: string): Fragment => ({ [prefix]: ATOMIC });

const CONTAINER: Fragment = {
  ports: mapList("containerPort", "protocol"),
  env: mapList("name"),
  "env.valueFrom.fieldRef": ATOMIC,
  "env.valueFrom.resourceFieldRef": ATOMIC,
  "env.valueFrom.configMapKeyRef": ATOMIC,
  "env.valueFrom.secretKeyRef": ATOMIC,
  "env.valueFrom.fileKeyRef": ATOMIC,
  "resources.claims": { listType: "map", listMapKeys: ["name"] },
  volumeMounts: mapList("mountPath"),
  "volumeMounts.bindMountOptions": { listType: "set" },
  volumeDevices: mapList("devicePath"),
};

const VOLUME: Fragment = {
  "iscsi.secretRef": ATOMIC,
  "rbd.secretRef": ATOMIC,
  "flexVolume.secretRef": ATOMIC,
  "cinder.secretRef": ATOMIC,
  "cephfs.secretRef": ATOMIC,
  "scaleIO.secretRef": ATOMIC,
  "storageos.secretRef": ATOMIC,
  "csi.nodePublishSecretRef": ATOMIC,
  ...mount("ephemeral.volumeClaimTemplate.metadata", OBJECT_META),
  "ephemeral.volumeClaimTemplate.spec.selector": ATOMIC,
  "ephemeral.volumeClaimTemplate.spec.dataSource": ATOMIC,
};

const POD_SPEC: Fragment = {
  volumes: { ...mapList("name"), patchStrategy: "merge,retainKeys" },
  ...mount("volumes", VOLUME),
  initContainers: mapList("name"),
  ...mount("initContainers", CONTAINER),
  containers: mapList("name"),
  ...mount("containers", CONTAINER),
  ephemeralContainers: mapList("name"),
  ...mount("ephemeralContainers", CONTAINER),
  nodeSelector: ATOMIC,
  imagePullSecrets: mapList("name"),
  "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution": ATOMIC,
  hostAliases: mapList("ip"),
  topologySpreadConstraints: mapList("topologyKey", "whenUnsatisfiable"),
  ...LABEL_SELECTOR_PATHS("topologySpreadConstraints.labelSelector"),
  schedulingGates: mapList("name"),
  resourceClaims: { ...mapList("name"), patchStrategy: "merge,retainKeys" },
  "resources.claims": { listType: "map", listMapKeys: ["name"] },
  evictionResponders: mapList("name"),
};

const POD_STATUS: Fragment = {
  conditions: mapList("type"),
  hostIPs: { patchStrategy: "merge", patchMergeKey: "ip", listType: "atomic" },
  podIPs: mapList("ip"),
  resourceClaimStatuses: { ...mapList("name"), patchStrategy: "merge,retainKeys" },
  "resources.claims": { listType: "map", listMapKeys: ["name"] },
  nodeAllocatableResourceClaimStatuses: mapList("resourceClaimName"),
  "nodeAllocatableResourceClaimStatuses.containers": { listType: "set" },
  "nodeAllocatableResourceClaimStatuses.mapping": mapList("name"),
  "nodeAllocatableResourceClaimStatuses.overhead": mapList("name"),
  volumeHealth: { listType: "map", listMapKeys: ["name"] },
  "volumeHealth.healthConditions": mapList("status", "reason"),
};

const POD_TEMPLATE: Fragment = { ...mount("metadata", OBJECT_META), ...mount("spec", POD_SPEC) };

const object = (rest: Fragment): Fragment => ({ ...mount("metadata", OBJECT_META), ...rest });

/** Keyed by `apiVersion/kind`, e.g. "apps/v1/Deployment", "v1/Pod". */
export const MERGE_KEYS: Readonly<Record<string, Fragment>> = {
  "v1/Pod": object({ ...mount("spec", POD_SPEC), ...mount("status", POD_STATUS) }),
  "v1/Namespace": object({ "status.conditions": mapList("type") }),
  "v1/Node": object({
    "spec.podCIDRs": { patchStrategy: "merge", listType: "set" },
    "spec.podPreemptionPolicy.disableResizePreemption": { listType: "set" },
    "status.conditions": mapList("type"),
    "status.addresses": mapList("type"),
  }),
  "v1/Event": object({ involvedObject: ATOMIC, related: ATOMIC }),
  "v1/ConfigMap": object({}),
  "v1/Secret": object({}),
  "v1/ResourceQuota": object({ "spec.scopeSelector": ATOMIC }),
  "v1/LimitRange": object({}),
  "v1/Service": object({
    "spec.ports": mapList("port", "protocol"),
    "spec.selector": ATOMIC,
    "status.conditions": mapList("type"),
  }),
  "discovery.k8s.io/v1/EndpointSlice": object({}),
  // Upstream's lists here are all atomic (a strategic merge patch replaces ingress, egress, ports,
  // from, to, except and policyTypes whole); only the selector needs saying.
  "networking.k8s.io/v1/NetworkPolicy": object(LABEL_SELECTOR_PATHS("spec.podSelector")),
  // Our own kinds: rules have no identity of their own (two rules may differ only in priority), so
  // the rule lists stay atomic, as NetworkPolicy's; the namespace lists are sets.
  "cloud.tenant.io/v1/SecurityGroup": object({
    ...LABEL_SELECTOR_PATHS("spec.podSelector"),
    "spec.namespaces": { patchStrategy: "merge", listType: "set" },
    "spec.defaultForNamespaces": { patchStrategy: "merge", listType: "set" },
  }),
  "cloud.tenant.io/v1/PortBan": object({}),
  "cloud.tenant.io/v1/Vpc": object({}),
  "cloud.tenant.io/v1/Subnet": object({
    "spec.namespaces": { patchStrategy: "merge", listType: "set" },
    "spec.excludeIps": { patchStrategy: "merge", listType: "set" },
  }),
  // A target is one reference (kind and name together), replaced whole as upstream's object refs are.
  "cloud.tenant.io/v1/PublicIP": object({ "spec.target": ATOMIC }),
  // A pool's ranges are a set: a strategic merge patch adds one without restating the others.
  "cloud.tenant.io/v1/PublicIPPool": object({ "spec.cidrs": { patchStrategy: "merge", listType: "set" } }),
  "apps/v1/Deployment": object({
    "spec.selector": ATOMIC,
    ...mount("spec.template", POD_TEMPLATE),
    "spec.strategy": { patchStrategy: "retainKeys" },
    "status.conditions": mapList("type"),
  }),
  "apps/v1/ReplicaSet": object({
    "spec.selector": ATOMIC,
    ...mount("spec.template", POD_TEMPLATE),
    "status.conditions": mapList("type"),
  }),
  "autoscaling/v1/Scale": object({}),
};

/** What a patch or apply needs to know about one field; `undefined` from a lookup means the defaults. */
export interface MergeStrategy {
  /** For lists: merge maps by `mergeKey`, merge primitives as a set, or replace the list whole. */
  readonly strategy: "merge" | "merge-primitive" | "replace";
  readonly mergeKey?: string;
  /** The object (or each list element) is a union whose cleared members kubectl names in $retainKeys. */
  readonly retainKeys: boolean;
  readonly listType: "map" | "set" | "atomic";
  readonly listMapKeys: readonly string[];
  readonly atomic: boolean;
  readonly meta: FieldMeta;
}

export type SchemaLookup = (path: readonly string[]) => MergeStrategy | undefined;

function toStrategy(meta: FieldMeta): MergeStrategy {
  const merges = meta.patchStrategy?.split(",").includes("merge") ?? false;
  return {
    strategy: merges ? (meta.patchMergeKey ? "merge" : "merge-primitive") : "replace",
    ...(meta.patchMergeKey ? { mergeKey: meta.patchMergeKey } : {}),
    retainKeys: meta.patchStrategy?.includes("retainKeys") ?? false,
    listType: meta.listType ?? "atomic",
    listMapKeys: meta.listMapKeys ?? [],
    atomic: meta.atomic === true,
    meta,
  };
}

const STRATEGIES = new Map(
  Object.entries(MERGE_KEYS).map(([gvk, table]) => [
    gvk,
    new Map(Object.entries(table).map(([path, meta]) => [path, toStrategy(meta)])),
  ]),
);

const GENERIC = new Map(Object.entries(mount("metadata", OBJECT_META)).map(([p, m]) => [p, toStrategy(m)]));

export function hasMergeSchema(apiVersion: string, kind: string): boolean {
  return STRATEGIES.has(`${apiVersion}/${kind}`);
}

/**
 * The metadata of the field at `path` (field names from the object root, list elements adding no
 * segment: ["spec", "template", "spec", "containers", "env"]), or undefined for the defaults.
 */
export function mergeStrategyAt(apiVersion: string, kind: string, path: readonly string[]): MergeStrategy | undefined {
  const table = STRATEGIES.get(`${apiVersion}/${kind}`);
  return table ? find(table, path) : undefined;
}

// A map key holding a dot (a label such as app.kubernetes.io/name) is never a schema field, and must
// not be mistaken for one by the dotted join.
function find(table: ReadonlyMap<string, MergeStrategy>, path: readonly string[]): MergeStrategy | undefined {
  return path.some((segment) => segment.includes(".")) ? undefined : table.get(path.join("."));
}

/** A lookup bound to one kind; kinds we do not know get only the defaults (metadata lists included). */
export function schemaLookupFor(apiVersion: string, kind: string): SchemaLookup {
  const table = STRATEGIES.get(`${apiVersion}/${kind}`) ?? GENERIC;
  return (path) => find(table, path);
}
