/**
 * Discovery: /version, /api, /apis and each group/version's APIResourceList, generated from
 * the catalog (catalog.ts: stored kinds, their views in other groups, virtual resources); and aggregated discovery
 * (apidiscovery.k8s.io/v2) when the client's Accept asks for it, answered with that media type.
 */
import { type GroupVersion, SERVED_RESOURCES, servedGroupVersions, VIRTUAL_RESOURCES } from "./catalog";

export const AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/** What `kubectl version` prints as the server version. */
export const SERVER_VERSION = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-tenant-cloud",
  gitCommit: "",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "",
  compiler: "tenant-cloud",
  platform: `${process.platform}/${process.arch === "x64" ? "amd64" : process.arch}`,
};

export interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

/** The APIResourceList entries of one group/version: each kind (or view of one), then its subresources. */
export function apiResources(gv: GroupVersion): ApiResource[] {
  const out: ApiResource[] = [];
  for (const { def, served: s } of SERVED_RESOURCES) {
    if (def.group !== gv.group || def.version !== gv.version) continue;
    out.push({
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.apiKind,
      verbs: [...s.verbs],
      ...(def.shortNames.length ? { shortNames: [...def.shortNames] } : {}),
      ...(def.categories.length ? { categories: [...def.categories] } : {}),
    });
    for (const sub of s.subresources)
      out.push({
        name: `${def.plural}/${sub.name}`,
        singularName: "",
        namespaced: def.namespaced,
        ...(sub.group !== gv.group || sub.version !== gv.version ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: [...sub.verbs],
      });
  }
  for (const r of VIRTUAL_RESOURCES)
    if (r.group === gv.group && r.version === gv.version)
      out.push({
        name: r.name,
        singularName: r.singularName,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: [...r.verbs],
      });
  return out;
}

export function apiResourceList(gv: GroupVersion) {
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: gv.group ? `${gv.group}/${gv.version}` : gv.version,
    resources: apiResources(gv),
  };
}

/** GET /api (legacy). */
export function apiVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groups(): Map<string, string[]> {
  const byGroup = new Map<string, string[]>();
  for (const gv of servedGroupVersions()) {
    if (!gv.group) continue;
    const versions = byGroup.get(gv.group) ?? [];
    versions.push(gv.version);
    byGroup.set(gv.group, versions);
  }
  return byGroup;
}

/** GET /apis (legacy). */
export function apiGroupList() {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [...groups()].map(([name, versions]) => apiGroup(name, versions)),
  };
}

function apiGroup(name: string, versions: string[]) {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { kind: "APIGroup", apiVersion: "v1", name, versions: list, preferredVersion: list[0] };
}

/** GET /apis/<group>: its APIGroup, or undefined when not served. */
export function apiGroupOf(name: string) {
  const versions = groups().get(name);
  return versions ? apiGroup(name, versions) : undefined;
}

/** Whether `group/version` is served (its APIResourceList answers). */
export function isServedGroupVersion(group: string, version: string): boolean {
  return servedGroupVersions().some((gv) => gv.group === group && gv.version === version);
}

/** Aggregated discovery (apidiscovery.k8s.io/v2): `/api` lists the core group, `/apis` every other. */
export function aggregatedDiscovery(core: boolean) {
  const items: unknown[] = [];
  const byGroup = new Map<string, GroupVersion[]>();
  for (const gv of servedGroupVersions()) {
    if (core !== (gv.group === "")) continue;
    byGroup.set(gv.group, [...(byGroup.get(gv.group) ?? []), gv]);
  }
  for (const [group, gvs] of byGroup) {
    items.push({
      metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
      versions: gvs.map((gv) => ({ version: gv.version, resources: discoveryResources(gv), freshness: "Current" })),
    });
  }
  return { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items };
}

function discoveryResources(gv: GroupVersion) {
  const top = apiResources(gv).filter((r) => !r.name.includes("/"));
  return top.map((r) => {
    const subs = apiResources(gv).filter((s) => s.name.startsWith(`${r.name}/`));
    return {
      resource: r.name,
      responseKind: { group: gv.group, version: gv.version, kind: r.kind },
      scope: r.namespaced ? "Namespaced" : "Cluster",
      singularResource: r.singularName || r.name,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
      ...(subs.length
        ? {
            subresources: subs.map((s) => ({
              subresource: s.name.slice(r.name.length + 1),
              responseKind: { group: s.group ?? gv.group, version: s.version ?? gv.version, kind: s.kind },
              verbs: s.verbs,
            })),
          }
        : {}),
    };
  });
}

/** The media ranges of an Accept header, each as its type and parameters. */
export function mediaRanges(accept: string | null): { type: string; params: Record<string, string> }[] {
  if (!accept) return [];
  return accept.split(",").map((part) => {
    const [type = "", ...rest] = part.split(";").map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf("=");
      if (eq > 0) params[p.slice(0, eq).toLowerCase()] = p.slice(eq + 1);
    }
    return { type: type.toLowerCase(), params };
  });
}

/** Whether the Accept header asks for aggregated discovery v2 (kubectl lists it first). */
export function wantsAggregated(accept: string | null): boolean {
  return mediaRanges(accept).some(
    (r) =>
      r.type === "application/json" &&
      r.params.g === "apidiscovery.k8s.io" &&
      r.params.v === "v2" &&
      r.params.as === "APIGroupDiscoveryList",
  );
}
