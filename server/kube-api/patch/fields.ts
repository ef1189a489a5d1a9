import { invalid } from "./errors";
import { type FieldPath, FieldSet, fieldElement, keyElement, pathToString, valueElement } from "./field-set";
import { deepClone, deepEqual, getOwn, isObject, type JsonObject, type JsonValue } from "./json";
import type { SchemaLookup } from "./merge-keys";

/**
 * The field sets of server-side apply computed from plain JSON plus the merge-key table, following
 * structured-merge-diff's typed walkers: `toFieldSet` (what an applied configuration owns) and
 * `compareObjects` (what an update added, changed or removed). Lists are atomic unless the table
 * makes them `map` (items keyed by listMapKeys) or `set`; objects are granular unless marked atomic.
 */

type SchemaPath = readonly string[];

/** List-map key fields with a schema default, so an omitted one still keys the item (ports). */
const KEY_DEFAULTS: Readonly<Record<string, JsonValue>> = { protocol: "TCP" };

export type ListKind = "atomic" | "map" | "set";

export function listKind(schema: SchemaLookup, path: SchemaPath): ListKind {
  const meta = schema(path);
  if (meta?.listType === "map" && meta.listMapKeys.length > 0) return "map";
  return meta?.listType === "set" ? "set" : "atomic";
}

/** The path element naming one item of a `map` or `set` list. */
export function itemElement(item: JsonValue, kind: "map" | "set", schema: SchemaLookup, path: SchemaPath): string {
  if (kind === "set") {
    if (isObject(item) || Array.isArray(item)) throw invalid("a set may hold only primitive values", path.join("."));
    return valueElement(item);
  }
  if (!isObject(item)) throw invalid("an associative list may hold only objects", path.join("."));
  const keys = schema(path)?.listMapKeys ?? [];
  return keyElement(
    keys.map((key) => {
      const value = getOwn(item, key) ?? KEY_DEFAULTS[key];
      if (value === undefined || isObject(value) || Array.isArray(value)) {
        throw invalid(`associative list with keys has an element that omits key field "${key}"`, path.join("."));
      }
      return [key, value] as const;
    }),
  );
}

export function toFieldSet(value: JsonObject, schema: SchemaLookup): FieldSet {
  const set = new FieldSet();
  const walk = (node: JsonValue, path: FieldPath, schemaPath: SchemaPath) => {
    if (isObject(node)) {
      if (path.length > 0 && schema(schemaPath)?.atomic) return set.insert(path);
      for (const [key, child] of Object.entries(node)) {
        const childPath = [...path, fieldElement(key)];
        if (child === null || (isObject(child) && Object.keys(child).length === 0)) set.insert(childPath);
        else walk(child, childPath, [...schemaPath, key]);
      }
    } else if (Array.isArray(node)) {
      const kind = listKind(schema, schemaPath);
      if (kind === "atomic") return set.insert(path);
      const seen = new Set<string>();
      for (const item of node) {
        const element = itemElement(item, kind, schema, schemaPath);
        if (seen.has(element)) {
          throw invalid(`duplicate entries for key ${pathToString([element])}`, schemaPath.join("."));
        }
        seen.add(element);
        set.insert([...path, element]);
        if (kind === "map") walk(item, [...path, element], schemaPath);
      }
    } else {
      set.insert(path);
    }
  };
  walk(value, [], []);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compareObjects(lhs: JsonObject, rhs: JsonObject, schema: SchemaLookup): Comparison {
  const result: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  const leaf = (l: JsonValue | undefined, r: JsonValue | undefined, path: FieldPath) => {
    if (l === undefined) result.added.insert(path);
    else if (r === undefined) result.removed.insert(path);
    else if (!deepEqual(l, r)) result.modified.insert(path);
  };
  const walk = (l: JsonValue | undefined, r: JsonValue | undefined, path: FieldPath, schemaPath: SchemaPath) => {
    // null matches any shape: a present-but-null list or object, which is there, only empty.
    const either = l === undefined || l === null ? r : l;
    const sameShape = l === undefined || r === undefined || l === null || r === null || shape(l) === shape(r);
    if (!sameShape || (!isObject(either) && !Array.isArray(either))) return leaf(l, r, path);
    const atomic = isObject(either)
      ? path.length > 0 && schema(schemaPath)?.atomic === true
      : listKind(schema, schemaPath) === "atomic";
    if (atomic || (isEmpty(l) && isEmpty(r)) || either === null || either === undefined) return leaf(l, r, path);
    if (isObject(either)) {
      const lo = (l ?? {}) as JsonObject;
      const ro = (r ?? {}) as JsonObject;
      for (const key of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
        walk(getOwn(lo, key), getOwn(ro, key), [...path, fieldElement(key)], [...schemaPath, key]);
      }
    } else {
      const kind = listKind(schema, schemaPath) as "map" | "set";
      const index = (list: JsonValue[] | undefined) => {
        const items = new Map<string, JsonValue>();
        for (const item of list ?? []) {
          const element = itemElement(item, kind, schema, schemaPath);
          if (!items.has(element)) items.set(element, item);
        }
        return items;
      };
      const li = index(l as JsonValue[] | undefined);
      const ri = index(r as JsonValue[] | undefined);
      for (const element of new Set([...li.keys(), ...ri.keys()])) {
        walk(li.get(element), ri.get(element), [...path, element], schemaPath);
      }
    }
    // A whole object, list or item appearing or disappearing is itself a change, as upstream.
    if (path.length > 0 && l === undefined) result.added.insert(path);
    if (path.length > 0 && r === undefined) result.removed.insert(path);
  };
  walk(lhs, rhs, [], []);
  return result;
}

const shape = (v: JsonValue) => (isObject(v) ? "object" : Array.isArray(v) ? "list" : "scalar");
const isEmpty = (v: JsonValue | undefined) =>
  v === undefined || v === null || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0);

/** metadata fields nobody owns (stripmeta.go), besides apiVersion and kind. */
const STRIPPED_METADATA = [
  "name",
  "namespace",
  "creationTimestamp",
  "selfLink",
  "uid",
  "clusterName",
  "generation",
  "managedFields",
  "resourceVersion",
];

/**
 * The part of an object whose fields are tracked: without apiVersion, kind, the stripped metadata and
 * the ignored (reset) fields such as status on the main resource.
 */
export function trackedPart(obj: JsonObject, ignored: readonly SchemaPath[]): JsonObject {
  const copy = deepClone(obj);
  delete copy.apiVersion;
  delete copy.kind;
  const metadata = getOwn(copy, "metadata");
  if (isObject(metadata)) {
    for (const key of STRIPPED_METADATA) delete metadata[key];
    if (Object.keys(metadata).length === 0) delete copy.metadata;
  }
  for (const path of ignored) removeAt(copy, path);
  return copy;
}

export function removeAt(obj: JsonObject, path: SchemaPath): void {
  let node: JsonValue | undefined = obj;
  for (const key of path.slice(0, -1)) node = isObject(node) ? getOwn(node, key) : undefined;
  if (isObject(node)) delete node[path[path.length - 1] as string];
}
