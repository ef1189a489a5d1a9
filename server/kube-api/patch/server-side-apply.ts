import { parse as parseYaml } from "yaml";
import { badRequest } from "./errors";
import { type FieldPath, FieldSet, pathToString } from "./field-set";
import { mergeApplied, prune } from "./apply-merge";
import { toFieldSet, trackedPart } from "./fields";
import { fieldsFromLastApplied, KUBECTL_MANAGER, syncLastApplied } from "./last-applied";
import { deepClone, deepEqual, getOwn, isObject, type JsonObject, type JsonValue } from "./json";
import {
  decodeManagedFields,
  describeManager,
  encodeManagedFields,
  fieldChanges,
  ignoredFor,
  type ManagedFieldsEntry,
  type ManagerState,
  type Managers,
  managerId,
  releaseFields,
  schemaOf,
  takeOwnership,
  toKubeTime,
  zeroObject,
} from "./managed-fields";
import type { SchemaLookup } from "./merge-keys";

/**
 * Server-side apply (`application/apply-patch+yaml`), after structured-merge-diff's Updater.Apply:
 * the configuration is merged into the live object (associative lists by their keys, sets by value,
 * atomic values replaced); the applier then owns exactly the fields of its configuration; fields it
 * owned last time and omits now are removed unless someone else owns them; changing a field another
 * manager owns is a conflict unless forced, which moves the ownership. A live object without managed
 * fields is first attributed to "before-first-apply", as upstream, so older writers still conflict.
 * For the manager "kubectl" the last-applied-configuration annotation is honoured (last-applied.ts).
 * Not done: conversion between API versions of one kind (each served kind has a single version).
 */
export interface ApplyOptions {
  manager: string;
  force?: boolean;
  /** RFC 3339 time for the applier's entry. */
  now: string;
  subresource?: string;
  ignoredFields?: readonly (readonly string[])[];
}

export interface FieldConflict {
  /** The other manager as Kubernetes prints it: "kubectl-scale" using apps/v1 */
  manager: string;
  /** The field as Kubernetes prints it: .spec.replicas */
  field: string;
}

export interface ApplyResult {
  /** The object to store (metadata.managedFields set); the live object unchanged when there are conflicts. */
  object: JsonObject;
  managedFields: ManagedFieldsEntry[];
  /** Non-empty: answer 409 with applyConflictStatus(conflicts) and store nothing. */
  conflicts: FieldConflict[];
}

/** Parses an apply body (kubectl sends JSON; YAML 1.1 as sigs.k8s.io/yaml reads it otherwise). */
export function parseApplyPatch(body: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    try {
      value = parseYaml(body, { version: "1.1", uniqueKeys: true, maxAliasCount: 100 });
    } catch (error) {
      throw badRequest(`error decoding YAML: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  if (!isObject(value)) throw badRequest("apply patch must be a single YAML or JSON object");
  return value;
}

export function serverSideApply(
  live: JsonObject | undefined,
  applied: JsonObject,
  options: ApplyOptions,
  schema?: SchemaLookup,
): ApplyResult {
  if (!options.manager) throw badRequest("fieldManager is required for apply requests");
  const appliedMeta = getOwn(applied, "metadata");
  if (isObject(appliedMeta) && getOwn(appliedMeta, "managedFields") !== undefined) {
    throw badRequest("metadata.managedFields must be nil");
  }
  const lookup = schemaOf(applied, schema);
  const ignored = options.ignoredFields ?? ignoredFor(options.subresource);
  const base = live ?? {};
  const liveMeta = live && isObject(live.metadata) ? live.metadata : undefined;
  const managers: Managers = decodeManagedFields(liveMeta?.managedFields) ?? new Map();
  if (live && managers.size === 0) {
    // Attribute what exists to the writers before the first apply, so changing it conflicts.
    takeOwnership(managers, zeroObject(live.apiVersion, live.kind), live, ignored, lookup, {
      manager: "before-first-apply",
      operation: "Update",
      apiVersion: String(live.apiVersion ?? ""),
      time: toKubeTime(options.now),
      set: new FieldSet(),
    });
  }
  const config = deepClone(applied);
  for (const path of ignored) removePath(config, path);
  const applier = {
    manager: options.manager,
    operation: "Apply" as const,
    apiVersion: String(applied.apiVersion ?? ""),
    ...(options.subresource ? { subresource: options.subresource } : {}),
  };
  const id = managerId(applier);
  const previous = managers.get(id);
  let merged = mergeApplied(base, config, lookup, []) as JsonObject;
  managers.set(id, {
    ...applier,
    time: toKubeTime(options.now),
    set: toFieldSet(trackedPart(config, ignored), lookup),
  });
  if (previous) merged = prune(merged, previous.set, managers, lookup);

  const { changed, removed } = fieldChanges(
    live ?? zeroObject(applied.apiVersion, applied.kind),
    merged,
    ignored,
    lookup,
  );
  let conflicting = conflictsWith(managers, id, changed);
  if (conflicting.length > 0 && !options.force && options.manager === KUBECTL_MANAGER && live) {
    const allowed = fieldsFromLastApplied(live, ignored, lookup);
    if (allowed) conflicting = conflicting.filter(({ path }) => !allowed.has(path));
  }
  const conflicts = conflicting.map(({ state, path }) => ({
    manager: describeManager(state),
    field: pathToString(path),
  }));
  if (conflicts.length > 0 && !options.force) {
    const object = deepClone(live ?? {});
    return {
      object,
      managedFields: (metaOf(object).managedFields ?? []) as unknown as ManagedFieldsEntry[],
      conflicts,
    };
  }
  // Forced conflicts move to the applier; removed fields leave everyone; the applier keeps its config.
  releaseFields(managers, changed, removed, id);
  const unchanged = live !== undefined && deepEqual(stripManaged(live), stripManaged(merged));
  const own = managers.get(id);
  if (own && unchanged && previous?.time) own.time = previous.time;
  const managedFields = encodeManagedFields(managers);
  const object = deepClone(merged);
  if (options.manager === KUBECTL_MANAGER) syncLastApplied(object, live, applied);
  const metadata = metaOf(object);
  if (managedFields.length > 0) metadata.managedFields = managedFields as unknown as JsonValue;
  else delete metadata.managedFields;
  return { object, managedFields, conflicts: [] };
}

/** The body of the 409 Kubernetes answers (NewApplyConflict): message and FieldManagerConflict causes. */
export function applyConflictStatus(conflicts: readonly FieldConflict[]): {
  message: string;
  causes: { type: "FieldManagerConflict"; message: string; field: string }[];
} {
  const causes = conflicts.map((c) => ({
    type: "FieldManagerConflict" as const,
    message: `conflict with ${c.manager}`,
    field: c.field,
  }));
  const first = conflicts[0];
  if (conflicts.length === 1 && first) {
    return { message: `Apply failed with 1 conflict: conflict with ${first.manager}: ${first.field}`, causes };
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  const lines = [...byManager.keys()]
    .sort()
    .flatMap((manager) => [`conflicts with ${manager}:`, ...(byManager.get(manager) ?? []).map((f) => `- ${f}`)]);
  return { message: `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`, causes };
}

function conflictsWith(managers: Managers, applierId: string, changed: FieldSet) {
  const found: { state: ManagerState; path: FieldPath }[] = [];
  const others = [...managers.entries()].filter(([id]) => id !== applierId).map(([, state]) => state);
  others.sort((a, b) => (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0));
  for (const state of others) {
    for (const path of sortPaths(state.set.intersection(changed).paths())) found.push({ state, path });
  }
  return found;
}

function sortPaths(paths: FieldPath[]): FieldPath[] {
  return paths.sort((a, b) => (pathToString(a) < pathToString(b) ? -1 : 1));
}

function removePath(obj: JsonObject, path: readonly string[]): void {
  let node: JsonValue | undefined = obj;
  for (const key of path.slice(0, -1)) node = isObject(node) ? getOwn(node, key) : undefined;
  if (isObject(node)) delete node[path[path.length - 1] as string];
}

function metaOf(obj: JsonObject): JsonObject {
  if (!isObject(obj.metadata)) obj.metadata = {};
  return obj.metadata as JsonObject;
}

function stripManaged(obj: JsonObject): JsonObject {
  const copy = deepClone(obj);
  if (isObject(copy.metadata)) delete copy.metadata.managedFields;
  return copy;
}
