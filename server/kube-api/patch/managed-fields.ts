import { FieldSet } from "./field-set";
import { compareObjects, trackedPart } from "./fields";
import { deepClone, getOwn, isObject, type JsonObject, type JsonValue } from "./json";
import { type SchemaLookup, schemaLookupFor } from "./merge-keys";

/**
 * metadata.managedFields as kube-apiserver maintains it (apimachinery pkg/util/managedfields): one
 * entry per manager identity (manager, operation, subresource, and apiVersion for Update), its owned
 * fields in FieldsV1, sorted by operation, time, manager, apiVersion, subresource.
 * `updateManagedFields` is the bookkeeping of every non-apply write (create, PUT, any patch type):
 * the writer takes ownership of what it added or changed, away from everybody else, and nobody keeps
 * what it removed.
 */
export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: JsonObject;
  subresource?: string;
}

export interface ManagerState {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

export type Managers = Map<string, ManagerState>;

export function managerId(state: Pick<ManagerState, "manager" | "operation" | "apiVersion" | "subresource">): string {
  // Appliers keep one identity across versions; updaters are told apart by version too (upstream).
  const apiVersion = state.operation === "Apply" ? "" : state.apiVersion;
  return JSON.stringify([state.manager, state.operation, apiVersion, state.subresource ?? ""]);
}

/** Decodes stored entries; undefined when they are malformed (callers then fall back, as upstream). */
export function decodeManagedFields(entries: unknown): Managers | undefined {
  const managers: Managers = new Map();
  if (entries === undefined || entries === null) return managers;
  if (!Array.isArray(entries)) return undefined;
  try {
    for (const entry of entries) {
      if (!isObject(entry) || typeof entry.manager !== "string") return undefined;
      if (entry.operation !== "Apply" && entry.operation !== "Update") return undefined;
      if (typeof entry.apiVersion !== "string" || (entry.fieldsType ?? "FieldsV1") !== "FieldsV1") return undefined;
      const state: ManagerState = {
        manager: entry.manager,
        operation: entry.operation,
        apiVersion: entry.apiVersion,
        ...(typeof entry.subresource === "string" && entry.subresource ? { subresource: entry.subresource } : {}),
        ...(typeof entry.time === "string" ? { time: entry.time } : {}),
        set: FieldSet.fromFieldsV1(entry.fieldsV1 ?? {}),
      };
      managers.set(managerId(state), state);
    }
  } catch {
    return undefined;
  }
  return managers;
}

export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...managers.values()]
    .filter((state) => state.set.size > 0)
    .sort(
      (p, q) =>
        cmp(p.operation, q.operation) ||
        seconds(p.time) - seconds(q.time) ||
        cmp(p.manager, q.manager) ||
        cmp(p.apiVersion, q.apiVersion) ||
        cmp(p.subresource ?? "", q.subresource ?? ""),
    )
    .map((state) => ({
      manager: state.manager,
      operation: state.operation,
      apiVersion: state.apiVersion,
      ...(state.time ? { time: state.time } : {}),
      fieldsType: "FieldsV1" as const,
      fieldsV1: state.set.toFieldsV1(),
      ...(state.subresource ? { subresource: state.subresource } : {}),
    }));
}

/** How a manager is named in conflict messages (printManager upstream). */
export function describeManager(state: ManagerState): string {
  const name = JSON.stringify(state.manager);
  const sub = state.subresource ? `${name} with subresource ${JSON.stringify(state.subresource)}` : name;
  return state.operation === "Update" ? `${sub} using ${state.apiVersion}` : sub;
}

export interface WriteOptions {
  /** The fieldManager of the request (kubectl sends e.g. kubectl-edit, kubectl-scale, kubectl-client-side-apply). */
  manager: string;
  /** RFC 3339 time stamped on the entries this write changes. */
  now: string;
  /** "status" or "scale" when the write goes through that subresource. */
  subresource?: string;
  /** Fields the write may not own (reset by the endpoint); defaults by subresource, see ignoredFor. */
  ignoredFields?: readonly (readonly string[])[];
}

/** Reset fields: status is not written through the main resource, and only status through /status. */
export function ignoredFor(subresource: string | undefined): readonly (readonly string[])[] {
  return subresource === "status" ? [["spec"], ["metadata"]] : [["status"]];
}

/**
 * What a Go zero value of the kind serializes to besides empty metadata/spec/status: non-pointer
 * structs as {} and non-omitempty lists and pointers as null (from the same types.go as
 * merge-keys.ts). A create is compared against it, so it owns those as nodes ("." entries) exactly
 * when Kubernetes does: labels yes, spec.template or the containers list no.
 */
const ZERO_FIELDS: Readonly<Record<string, Readonly<Record<string, null | Record<string, never>>>>> = {
  "v1/Pod": { "spec.containers": null },
  "v1/LimitRange": { "spec.limits": null },
  "v1/Node": { "status.daemonEndpoints.kubeletEndpoint": {}, "status.nodeInfo": {} },
  "v1/Event": { involvedObject: {}, source: {} },
  "apps/v1/Deployment": {
    "spec.selector": null,
    "spec.strategy": {},
    "spec.template.metadata": {},
    "spec.template.spec.containers": null,
  },
  "apps/v1/ReplicaSet": { "spec.selector": null, "spec.template.metadata": {}, "spec.template.spec.containers": null },
};

export function zeroObject(apiVersion: JsonValue | undefined, kind: JsonValue | undefined): JsonObject {
  const zero: JsonObject = { metadata: {}, spec: {}, status: {} };
  for (const [path, value] of Object.entries(ZERO_FIELDS[`${String(apiVersion)}/${String(kind)}`] ?? {})) {
    const keys = path.split(".");
    let node = zero;
    for (const key of keys.slice(0, -1)) {
      const next = getOwn(node, key);
      if (isObject(next)) node = next;
      else {
        const created: JsonObject = {};
        node[key] = created;
        node = created;
      }
    }
    node[keys[keys.length - 1] as string] = value === null ? null : {};
  }
  return zero;
}

export function schemaOf(obj: JsonObject, schema?: SchemaLookup): SchemaLookup {
  return schema ?? schemaLookupFor(String(obj.apiVersion ?? ""), String(obj.kind ?? ""));
}

/**
 * Records a non-apply write (create when `before` is undefined, PUT, or any patch) in
 * metadata.managedFields of `after`. Managed fields sent in `after` are taken as given (clients may
 * edit them; `[{}]` clears them), except through a subresource; an object written before without any
 * managed fields stays untracked, as upstream.
 */
export function updateManagedFields(
  before: JsonObject | undefined,
  after: JsonObject,
  options: WriteOptions,
  schema?: SchemaLookup,
): { object: JsonObject; managedFields: ManagedFieldsEntry[] } {
  const lookup = schemaOf(after, schema);
  const object = deepClone(after);
  if (!isObject(object.metadata)) object.metadata = {};
  const metadata = object.metadata as JsonObject;
  const requested = options.subresource ? undefined : getOwn(metadata, "managedFields");
  const live = decodeManagedFields(before && isObject(before.metadata) ? before.metadata.managedFields : undefined);
  let managers: Managers;
  if (isReset(requested)) managers = new Map();
  else {
    const given = decodeManagedFields(requested);
    managers = given && given.size > 0 ? given : (live ?? new Map());
  }
  if (before !== undefined && managers.size === 0 && !isReset(requested)) {
    delete metadata.managedFields;
    return { object, managedFields: [] };
  }
  const ignored = options.ignoredFields ?? ignoredFor(options.subresource);
  const baseline = before ?? zeroObject(after.apiVersion, after.kind);
  takeOwnership(managers, baseline, object, ignored, lookup, {
    manager: options.manager,
    operation: "Update",
    apiVersion: String(after.apiVersion ?? ""),
    ...(options.subresource ? { subresource: options.subresource } : {}),
    time: toKubeTime(options.now),
    set: new FieldSet(),
  });
  capUpdateManagers(managers);
  const managedFields = encodeManagedFields(managers);
  if (managedFields.length > 0) metadata.managedFields = managedFields as unknown as JsonValue;
  else delete metadata.managedFields;
  return { object, managedFields };
}

/** What a write added or changed, and what it removed, in the fields anybody can own. */
export function fieldChanges(
  before: JsonObject,
  after: JsonObject,
  ignored: readonly (readonly string[])[],
  schema: SchemaLookup,
): { changed: FieldSet; removed: FieldSet } {
  const diff = compareObjects(trackedPart(before, ignored), trackedPart(after, ignored), schema);
  const changed = diff.added.union(diff.modified).difference(FieldSet.of([["f:metadata"]]));
  return { changed, removed: diff.removed };
}

/** Everybody but `except` loses the changed fields (they moved) and the removed ones (they are gone). */
export function releaseFields(managers: Managers, changed: FieldSet, removed: FieldSet, except?: string): void {
  for (const [id, state] of managers) {
    if (id !== except) state.set = state.set.difference(changed).difference(removed);
  }
}

/** Moves to `writer` whatever the write added or changed; drops what it removed from everybody. */
export function takeOwnership(
  managers: Managers,
  before: JsonObject,
  after: JsonObject,
  ignored: readonly (readonly string[])[],
  schema: SchemaLookup,
  writer: ManagerState,
): void {
  const { changed, removed } = fieldChanges(before, after, ignored, schema);
  releaseFields(managers, changed, removed);
  if (changed.size === 0) return;
  const id = managerId(writer);
  const previous = managers.get(id);
  managers.set(id, { ...writer, set: (previous?.set ?? new FieldSet()).union(changed) });
}

/** Upstream keeps at most 10 Update entries, folding the oldest into "ancient-changes". */
const MAX_UPDATE_MANAGERS = 10;

function capUpdateManagers(managers: Managers): void {
  const updates = [...managers.entries()]
    .filter(([, state]) => state.operation === "Update" && state.set.size > 0)
    .sort(([, a], [, b]) => (a.time ?? "").localeCompare(b.time ?? ""));
  if (updates.length <= MAX_UPDATE_MANAGERS) return;
  for (const [id, state] of updates.slice(0, updates.length - MAX_UPDATE_MANAGERS + 1)) {
    managers.delete(id);
    const ancient = { manager: "ancient-changes", operation: "Update" as const, apiVersion: state.apiVersion };
    const key = managerId(ancient);
    const previous = managers.get(key);
    managers.set(key, { ...ancient, time: state.time, set: (previous?.set ?? new FieldSet()).union(state.set) });
  }
}

/** Kubernetes stores times to the second (metav1.Time). */
export function toKubeTime(now: string): string {
  const ms = Date.parse(now);
  return Number.isNaN(ms) ? now : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function isReset(value: unknown): boolean {
  return Array.isArray(value) && value.length === 1 && isObject(value[0]) && Object.keys(value[0]).length === 0;
}
