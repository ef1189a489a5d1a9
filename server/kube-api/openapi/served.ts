/**
 * Which resources the OpenAPI documents describe. The endpoint passes exactly what it serves;
 * the default is the engine's kind registry plus the fixed extra resources (subresources, reviews,
 * metrics). The documents hold paths only for these, and the schemas those paths reach.
 */
import { KINDS } from "../../engine/kinds/registry";

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export interface ServedSubresource {
  /** `status`, `scale`, `eviction`, `log`, … */
  name: string;
  /** The kind the subresource reads and writes (Scale in autoscaling/v1 for `scale`); absent: the parent's. */
  group?: string;
  version?: string;
  kind?: string;
  /** `log` answers text/plain. */
  text?: boolean;
  verbs: readonly Verb[];
}

export interface ServedResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  verbs: readonly Verb[];
  subresources?: readonly ServedSubresource[];
}

export const ALL_VERBS: readonly Verb[] = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];
const READ: readonly Verb[] = ["get", "list", "watch"];
const STATUS: ServedSubresource = { name: "status", verbs: ["get", "patch", "update"] };
const SCALE: ServedSubresource = {
  name: "scale",
  group: "autoscaling",
  version: "v1",
  kind: "Scale",
  verbs: ["get", "patch", "update"],
};

/** The subresources kubectl uses, by plural of the parent. */
const SUBRESOURCES: Record<string, readonly ServedSubresource[]> = {
  deployments: [STATUS, SCALE],
  replicasets: [STATUS, SCALE],
  pods: [
    STATUS,
    { name: "eviction", group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] },
    { name: "log", text: true, verbs: ["get"] },
  ],
  nodes: [STATUS],
  namespaces: [STATUS],
  resourcequotas: [STATUS],
};

/** Served beside the registry's kinds, always. */
export const EXTRA_RESOURCES: readonly ServedResource[] = [
  {
    group: "authorization.k8s.io",
    version: "v1",
    kind: "SelfSubjectAccessReview",
    plural: "selfsubjectaccessreviews",
    namespaced: false,
    verbs: ["create"],
  },
  {
    group: "authentication.k8s.io",
    version: "v1",
    kind: "SelfSubjectReview",
    plural: "selfsubjectreviews",
    namespaced: false,
    verbs: ["create"],
  },
  {
    group: "metrics.k8s.io",
    version: "v1beta1",
    kind: "NodeMetrics",
    plural: "nodes",
    namespaced: false,
    verbs: ["get", "list"],
  },
  {
    group: "metrics.k8s.io",
    version: "v1beta1",
    kind: "PodMetrics",
    plural: "pods",
    namespaced: true,
    verbs: ["get", "list"],
  },
];

/** Kinds whose schemas the documents carry but the registry does not hold (yet): add the ones served. */
export const OPTIONAL_RESOURCES = {
  configMaps: { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true, verbs: ALL_VERBS },
  secrets: { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true, verbs: ALL_VERBS },
  limitRanges: {
    group: "",
    version: "v1",
    kind: "LimitRange",
    plural: "limitranges",
    namespaced: true,
    verbs: ALL_VERBS,
  },
  eventsV1: { group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", namespaced: true, verbs: READ },
} satisfies Record<string, ServedResource>;

/** The registry's kinds (every verb, the subresources kubectl uses) plus EXTRA_RESOURCES. */
export function defaultServedResources(): ServedResource[] {
  const fromRegistry = KINDS.map(
    (def): ServedResource => ({
      group: def.group,
      version: def.version,
      kind: def.apiKind,
      plural: def.plural,
      namespaced: def.namespaced,
      verbs: ALL_VERBS,
      ...(SUBRESOURCES[def.plural] && def.group !== "cloud.tenant.io"
        ? { subresources: SUBRESOURCES[def.plural] }
        : {}),
    }),
  );
  return [...fromRegistry, ...EXTRA_RESOURCES];
}

/** `api/v1` for the core group, else `apis/<group>/<version>`: the v3 index key and the URL prefix. */
export function groupVersionPath(group: string, version: string): string {
  return group === "" ? `api/${version}` : `apis/${group}/${version}`;
}
