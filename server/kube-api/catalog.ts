/**
 * What this Kubernetes API serves: which engine kinds (from the kind registry), under which
 * group/version, with which verbs and subresources; plus the virtual resources (metrics,
 * access reviews) that have no stored kind. Discovery is generated from this list, and the
 * handler refuses any verb not listed here, so what `kubectl api-resources` shows is exactly
 * what answers.
 *
 * A kind is served only when listed here: a kind added to the registry is not exposed until
 * someone decides its verbs and who may read it (Secrets: not viewers, as Kubernetes' `view`
 * role; public IP pools: operators only; objects.ts). A stored kind may also be served under a
 * second group/version in its own shape (SERVED_VIEWS: events.k8s.io/v1 Event over the stored
 * Event); such a view reads the same objects with the same tenant scoping, only converted and
 * field-selected differently.
 */
import { type AnyKindDefinition, kindDefinition, type ObjectKind } from "../engine";
import { EVENT_V1_FIELD_LABELS, eventsV1View } from "../engine/kinds/event";

export const READ_VERBS = ["get", "list", "watch"] as const;

export interface SubresourceEntry {
  name: string;
  kind: string;
  group: string;
  version: string;
  verbs: readonly string[];
}

export interface ServedKind {
  kind: ObjectKind;
  verbs: readonly string[];
  subresources: readonly SubresourceEntry[];
}

/** Stored kinds, in the order discovery lists them. */
export const SERVED_KINDS: readonly ServedKind[] = [
  { kind: "Namespace", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
  {
    kind: "Pod",
    verbs: [...READ_VERBS, "delete"],
    subresources: [
      { name: "log", kind: "Pod", group: "", version: "v1", verbs: ["get"] },
      { name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] },
    ],
  },
  { kind: "Node", verbs: [...READ_VERBS, "patch"], subresources: [] },
  { kind: "Event", verbs: READ_VERBS, subresources: [] },
  { kind: "ResourceQuota", verbs: READ_VERBS, subresources: [] },
  { kind: "ConfigMap", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
  { kind: "Secret", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
  { kind: "LimitRange", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
  { kind: "Service", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
  // Made by the engine's endpoints controller only: read-only here.
  { kind: "EndpointSlice", verbs: READ_VERBS, subresources: [] },
  { kind: "NetworkPolicy", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
  {
    kind: "Deployment",
    verbs: [...READ_VERBS, "create", "update", "patch", "delete"],
    subresources: [
      { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "update", "patch"] },
      { name: "status", kind: "Deployment", group: "apps", version: "v1", verbs: ["get"] },
    ],
  },
  { kind: "ReplicaSet", verbs: READ_VERBS, subresources: [] },
  { kind: "NodePool", verbs: READ_VERBS, subresources: [] },
  { kind: "Quota", verbs: READ_VERBS, subresources: [] },
  { kind: "SecurityGroup", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
  // The tenant's one network and its blocks (their status computed at read: resources/read-status.ts).
  { kind: "Vpc", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
  { kind: "Subnet", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
  // The operator's blocklist: every caller reads it, operators create and delete (permissions.ts); an
  // entry is replaced by deleting it and creating another, as the engine has no replace for it.
  { kind: "PortBan", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
  // A tenant's public address: its spec (bandwidth, target) written here, its status the engine's.
  { kind: "PublicIP", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
  // The operators' address ranges: operators read and write them, tenants neither (permissions.ts).
  { kind: "PublicIPPool", verbs: [...READ_VERBS, "create", "update", "patch", "delete"], subresources: [] },
];

/** Resources without a stored kind, each answered by its own module. */
export interface VirtualResource {
  group: string;
  version: string;
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly string[];
}

export const VIRTUAL_RESOURCES: readonly VirtualResource[] = [
  {
    group: "metrics.k8s.io",
    version: "v1beta1",
    name: "nodes",
    singularName: "",
    kind: "NodeMetrics",
    namespaced: false,
    verbs: ["get", "list"],
  },
  {
    group: "metrics.k8s.io",
    version: "v1beta1",
    name: "pods",
    singularName: "",
    kind: "PodMetrics",
    namespaced: true,
    verbs: ["get", "list"],
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    name: "selfsubjectaccessreviews",
    singularName: "",
    kind: "SelfSubjectAccessReview",
    namespaced: false,
    verbs: ["create"],
  },
  {
    group: "authentication.k8s.io",
    version: "v1",
    name: "selfsubjectreviews",
    singularName: "",
    kind: "SelfSubjectReview",
    namespaced: false,
    verbs: ["create"],
  },
  // Answered at once from the tenant's network (resources/connectivity-check.ts); nothing is stored,
  // so no category: `kubectl get <category>` would try to list it.
  {
    group: "cloud.tenant.io",
    version: "v1",
    name: "connectivitychecks",
    singularName: "connectivitycheck",
    kind: "ConnectivityCheck",
    namespaced: true,
    verbs: ["create"],
  },
];

/**
 * A stored kind served under another group/version: `definition` is the kind's definition with
 * that identity and conversion; `fieldLabels` renames that version's field-selector labels to
 * the stored kind's (a label not listed is refused, as upstream's field label conversion).
 */
export interface ServedView extends ServedKind {
  definition: AnyKindDefinition;
  fieldLabels: Readonly<Record<string, string>>;
}

export const SERVED_VIEWS: readonly ServedView[] = [
  { kind: "Event", verbs: READ_VERBS, subresources: [], definition: eventsV1View, fieldLabels: EVENT_V1_FIELD_LABELS },
];

export interface ServedResource {
  /** The definition requests are answered with: the registry's, or a view's (its identity and conversion). */
  def: AnyKindDefinition;
  served: ServedKind;
  /** Set for a view: its field labels → the stored kind's. */
  fieldLabels?: Readonly<Record<string, string>>;
}

const servedByKind = new Map<ObjectKind, ServedKind>(SERVED_KINDS.map((s) => [s.kind, s]));

/** Everything served from stored kinds, each with the definition it answers with: the kinds, then the views. */
export const SERVED_RESOURCES: readonly ServedResource[] = [
  ...SERVED_KINDS.map((served) => ({ def: kindDefinition(served.kind) as AnyKindDefinition, served })),
  ...SERVED_VIEWS.map((view) => ({ def: view.definition, served: view, fieldLabels: view.fieldLabels })),
];

const byPath = new Map(SERVED_RESOURCES.map((r) => [`${r.def.group}/${r.def.version}/${r.def.plural}`, r]));

/** The served kind or view behind `group/version/resource` (plural), or undefined. */
export function servedResource(group: string, version: string, resource: string): ServedResource | undefined {
  return byPath.get(`${group}/${version}/${resource}`);
}

/** A stored kind as served in its own group/version (not a view). */
export function servedKind(kind: ObjectKind): ServedResource | undefined {
  const served = servedByKind.get(kind);
  return served ? { def: kindDefinition(kind) as AnyKindDefinition, served } : undefined;
}

export function virtualResource(group: string, version: string, name: string): VirtualResource | undefined {
  return VIRTUAL_RESOURCES.find((r) => r.group === group && r.version === version && r.name === name);
}

export interface GroupVersion {
  group: string;
  version: string;
}

/** Every group/version served, core ("") first, then as listed. */
export function servedGroupVersions(): GroupVersion[] {
  const out: GroupVersion[] = [];
  const add = (group: string, version: string) => {
    if (!out.some((g) => g.group === group && g.version === version)) out.push({ group, version });
  };
  for (const { def } of SERVED_RESOURCES) add(def.group, def.version);
  for (const r of VIRTUAL_RESOURCES) add(r.group, r.version);
  add("autoscaling", "v1");
  add("policy", "v1");
  return out.sort((a, b) => (a.group === "" ? -1 : b.group === "" ? 1 : 0));
}
