/**
 * Every definition the documents may carry: the upstream ones generated from kubernetes-models
 * (kubernetes-definitions.json), the engine's and metrics' own (engine-schemas.ts,
 * network-schemas.ts, public-ip-schemas.ts, tenant-network-schemas.ts), upstream's kinds on
 * Status/DeleteOptions/WatchEvent, and the strategic-merge and list-type extensions taken from the
 * patch machinery's table (patch/merge-keys.ts, MERGE_KEYS): the server's strategic merge and
 * kubectl's client-side patches then key lists alike by construction. Built once; callers must
 * not mutate what they get.
 */
import { type FieldMeta, MERGE_KEYS } from "../patch";
import { ENGINE_DEFINITIONS } from "./engine-schemas";
import generated from "./kubernetes-definitions.json";
import { NETWORK_DEFINITIONS } from "./network-schemas";
import { PUBLIC_IP_DEFINITIONS } from "./public-ip-schemas";
import { TENANT_NETWORK_DEFINITIONS } from "./tenant-network-schemas";
import { EXTRA_GVKS } from "./extra-gvks";
import type { GroupVersionKind, Schema } from "./schema-types";

export const DEFINITIONS_SOURCE: string = generated.source;
const REF_PREFIX = "#/definitions/";

/** What applying MERGE_KEYS met: paths no schema field matches, and fields two kinds disagree on. */
export interface MergeKeyReport {
  unresolved: string[];
  conflicts: string[];
}

let built: { definitions: Record<string, Schema>; byGvk: Map<string, string>; report: MergeKeyReport } | undefined;

const gvkKey = (g: GroupVersionKind) => `${g.group}/${g.version}/${g.kind}`;

function build() {
  const definitions = structuredClone({
    ...(generated.definitions as Record<string, Schema>),
    ...ENGINE_DEFINITIONS,
    ...NETWORK_DEFINITIONS,
    ...PUBLIC_IP_DEFINITIONS,
    ...TENANT_NETWORK_DEFINITIONS,
  });
  for (const [name, gvks] of Object.entries(EXTRA_GVKS)) {
    const def = definitions[name];
    if (def) def["x-kubernetes-group-version-kind"] = gvks;
  }
  const byGvk = new Map<string, string>();
  for (const [name, def] of Object.entries(definitions))
    for (const g of def["x-kubernetes-group-version-kind"] ?? []) if (!byGvk.has(gvkKey(g))) byGvk.set(gvkKey(g), name);
  const report = applyMergeKeys(definitions, byGvk);
  return { definitions, byGvk, report };
}

function extensionsOf(meta: FieldMeta): Schema {
  return {
    ...(meta.patchMergeKey ? { "x-kubernetes-patch-merge-key": meta.patchMergeKey } : {}),
    ...(meta.patchStrategy ? { "x-kubernetes-patch-strategy": meta.patchStrategy } : {}),
    ...(meta.listType ? { "x-kubernetes-list-type": meta.listType } : {}),
    ...(meta.listMapKeys ? { "x-kubernetes-list-map-keys": [...meta.listMapKeys] } : {}),
    ...(meta.atomic ? { "x-kubernetes-map-type": "atomic" as const } : {}),
  };
}

/**
 * The property schema at a MERGE_KEYS path (field names from the kind's root; list elements add
 * no segment), inside the definition that declares it: shared definitions (PodSpec under Pod and
 * under a Deployment's template) get the extension once for every kind that reaches them.
 */
function locate(definitions: Record<string, Schema>, root: string, path: string[]): Schema | undefined {
  let cur: Schema | undefined = definitions[root];
  for (let i = 0; cur && i < path.length; i++) {
    while (cur?.$ref) cur = definitions[refName(cur.$ref)];
    const prop: Schema | undefined = cur?.properties?.[path[i] as string];
    if (!prop || i === path.length - 1) return prop;
    cur = prop.type === "array" ? prop.items : prop;
  }
  return undefined;
}

function applyMergeKeys(definitions: Record<string, Schema>, byGvk: Map<string, string>): MergeKeyReport {
  const report: MergeKeyReport = { unresolved: [], conflicts: [] };
  for (const [key, table] of Object.entries(MERGE_KEYS)) {
    const slash = key.lastIndexOf("/");
    const root = byGvk.get(gvkKey({ ...parseApiVersion(key.slice(0, slash)), kind: key.slice(slash + 1) }));
    for (const [path, meta] of Object.entries(table)) {
      const target = root ? locate(definitions, root, path.split(".")) : undefined;
      if (!target) {
        report.unresolved.push(`${key} ${path}`);
        continue;
      }
      for (const [ext, value] of Object.entries(extensionsOf(meta)) as [keyof Schema, unknown][]) {
        const had = target[ext];
        if (had !== undefined && JSON.stringify(had) !== JSON.stringify(value))
          report.conflicts.push(`${key} ${path} ${ext}: ${JSON.stringify(had)} vs ${JSON.stringify(value)}`);
        else (target as Record<string, unknown>)[ext] = value;
      }
    }
  }
  return report;
}

/** What applying the patch machinery's table met (for its cross-check test). */
export function mergeKeyReport(): MergeKeyReport {
  return state().report;
}

function state() {
  built ??= build();
  return built;
}

/** All definitions by name (`io.k8s.api.apps.v1.Deployment`). */
export function allDefinitions(): Readonly<Record<string, Schema>> {
  return state().definitions;
}

/** The definition name of a kind, by its x-kubernetes-group-version-kind. */
export function definitionNameOf(gvk: GroupVersionKind): string | undefined {
  return state().byGvk.get(gvkKey(gvk));
}

/** `apps/v1` → group apps, version v1; `v1` → the core group. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function refName(ref: string): string {
  return ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : ref;
}

/** The named definitions and every definition they reach, sorted by name. */
export function closure(names: Iterable<string>): string[] {
  const defs = state().definitions;
  const seen = new Set<string>();
  const visit = (s: Schema | undefined) => {
    if (!s) return;
    if (s.$ref) enter(refName(s.$ref));
    for (const p of Object.values(s.properties ?? {})) visit(p);
    if (s.items) visit(s.items);
    if (typeof s.additionalProperties === "object") visit(s.additionalProperties);
    for (const a of s.allOf ?? []) visit(a);
  };
  const enter = (name: string) => {
    if (seen.has(name) || !defs[name]) return;
    seen.add(name);
    visit(defs[name]);
  };
  for (const n of names) enter(n);
  return [...seen].sort();
}
