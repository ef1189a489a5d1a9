import { invalid } from "./errors";
import { type FieldPath, FieldSet, pathToString } from "./field-set";
import { itemElement, listKind } from "./fields";
import { deepClone, getOwn, isObject, type JsonObject, type JsonValue, setKey } from "./json";
import type { Managers } from "./managed-fields";
import type { SchemaLookup } from "./merge-keys";

/**
 * The object side of server-side apply: merging a configuration into the live object the way
 * structured-merge-diff does, and pruning what the applier stopped applying.
 */

/** structured-merge-diff's merge: the config wins on scalars and atomics, maps and keyed lists merge. */
export function mergeApplied(
  live: JsonValue | undefined,
  config: JsonValue,
  schema: SchemaLookup,
  path: string[],
): JsonValue {
  if (live === undefined || live === null) return withoutNulls(config);
  if (isObject(live) && isObject(config) && !(path.length > 0 && schema(path)?.atomic)) {
    const out = { ...live };
    for (const [key, value] of Object.entries(config)) {
      if (value === null) delete out[key];
      else setKey(out, key, mergeApplied(getOwn(live, key), value, schema, [...path, key]));
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(config)) {
    const kind = listKind(schema, path);
    if (kind !== "atomic") return mergeLists(live, config, kind, schema, path);
  }
  return withoutNulls(config);
}

/**
 * Order of a merged list, as upstream's merge walker: config items in config order, live-only items
 * kept in place between the shared items around them.
 */
function mergeLists(live: JsonValue[], config: JsonValue[], kind: "map" | "set", schema: SchemaLookup, path: string[]) {
  const key = (item: JsonValue) => itemElement(item, kind, schema, path);
  const liveKeys = live.map(key);
  const liveByKey = new Map<string, JsonValue>();
  live.forEach((item, i) => {
    const k = liveKeys[i] as string;
    if (!liveByKey.has(k)) liveByKey.set(k, item);
  });
  const configByKey = new Map<string, JsonValue>();
  for (const item of config) {
    const k = key(item);
    if (configByKey.has(k)) throw invalid(`duplicate entries for key ${pathToString([k])}`, path.join("."));
    configByKey.set(k, item);
  }
  const configKeys = [...configByKey.keys()];
  const shared = configKeys.filter((k) => liveByKey.has(k));
  let nextShared = shared.shift();
  const merged = new Set<string>();
  const out: JsonValue[] = [];
  const mergeItem = (k: string) => {
    merged.add(k);
    out.push(mergeApplied(liveByKey.get(k), configByKey.get(k) as JsonValue, schema, path));
  };
  let l = 0;
  let r = 0;
  while (l < live.length || r < configKeys.length) {
    const lk = liveKeys[l];
    const rk = configKeys[r];
    if (lk !== undefined && rk !== undefined) {
      if (lk === rk) {
        mergeItem(rk);
        l++;
        r++;
        nextShared = shared.shift();
        continue;
      }
      if (configByKey.has(lk) && nextShared !== undefined && nextShared !== lk) {
        l++; // a shared item whose turn comes later, in config order
        continue;
      }
    }
    if (lk !== undefined) {
      if (!configByKey.has(lk)) {
        out.push(deepClone(live[l] as JsonValue));
        l++;
        continue;
      }
      if (merged.has(lk)) l++;
    }
    if (rk !== undefined) {
      mergeItem(rk);
      r++;
      if (nextShared === rk) nextShared = shared.shift();
    }
  }
  return out;
}

/** Removes what the applier owned last time and nobody owns now (nor anything beneath). */
export function prune(merged: JsonObject, last: FieldSet, managers: Managers, schema: SchemaLookup): JsonObject {
  let owned = new FieldSet();
  for (const state of managers.values()) owned = owned.union(state.set);
  const stale = last
    .difference(owned)
    .paths()
    .filter((path) => !owned.hasBeneath(path));
  const out = deepClone(merged);
  for (const path of stale.sort((a, b) => b.length - a.length)) removeOwnedPath(out, path, schema);
  return out;
}

function removeOwnedPath(root: JsonObject, path: FieldPath, schema: SchemaLookup): void {
  const trail: { container: JsonObject | JsonValue[]; at: string | number }[] = [];
  let node: JsonValue = root;
  const schemaPath: string[] = [];
  for (const element of path) {
    if (element.startsWith("f:") && isObject(node)) {
      const name = element.slice(2);
      if (!Object.hasOwn(node, name)) return;
      trail.push({ container: node, at: name });
      node = node[name] as JsonValue;
      schemaPath.push(name);
    } else if (Array.isArray(node)) {
      const kind = listKind(schema, schemaPath);
      if (kind === "atomic") return;
      const index = node.findIndex((item) => itemElement(item, kind, schema, schemaPath) === element);
      if (index < 0) return;
      trail.push({ container: node, at: index });
      node = node[index] as JsonValue;
    } else {
      return;
    }
  }
  // Remove the field, then any object or list that only this removal emptied.
  for (let i = trail.length - 1; i >= 0; i--) {
    const { container, at } = trail[i] as (typeof trail)[number];
    if (Array.isArray(container)) container.splice(at as number, 1);
    else delete container[at as string];
    const size = Array.isArray(container) ? container.length : Object.keys(container).length;
    // Emptied parents go too, but never a top-level section such as spec.
    if (size > 0 || i <= 1) break;
  }
}

function withoutNulls(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) if (child !== null) setKey(out, key, withoutNulls(child));
  return out;
}
