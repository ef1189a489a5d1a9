/**
 * What this Kubernetes API serves: which engine kinds (from the kind registry), under which
 * group/version, with which verbs and subresources; plus the virtual resources (metrics,
 * access reviews) that have no stored kind. Discovery is generated from this list, and the
 * handler refuses any verb not listed here, so what `kubectl api-resources` shows is exactly
 * what answers.
 *
 * A kind is served only when listed here: a kind added to the registry is not exposed until
 * someone decides its verbs and who may read it (Secrets: not viewers, as Kubernetes' `view`
 * role, objects.ts).
 */
import { type AnyKindDefinition, findKindByResource, kindDefinition, type ObjectKind } from "../engine";

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
  { kind: "Namespace", verbs: [...READ_VERBS, "create", "delete"], subresources: [] },
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
];

export interface ServedResource {
  def: AnyKindDefinition;
  served: ServedKind;
}

const servedByKind = new Map<ObjectKind, ServedKind>(SERVED_KINDS.map((s) => [s.kind, s]));

/** The served kind behind `group/version/resource` (plural), or undefined. */
export function servedResource(group: string, version: string, resource: string): ServedResource | undefined {
  const def = findKindByResource(resource);
  if (!def || def.plural !== resource || def.group !== group || def.version !== version) return undefined;
  const served = servedByKind.get(def.kind);
  return served ? { def, served } : undefined;
}

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
  for (const s of SERVED_KINDS) {
    const def = kindDefinition(s.kind);
    add(def.group, def.version);
  }
  for (const r of VIRTUAL_RESOURCES) add(r.group, r.version);
  add("autoscaling", "v1");
  add("policy", "v1");
  return out.sort((a, b) => (a.group === "" ? -1 : b.group === "" ? 1 : 0));
}
