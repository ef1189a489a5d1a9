import { badRequest, invalid } from "./errors";
import { deepClone, getOwn, isObject, type JsonObject, type JsonValue, setKey } from "./json";
import type { SchemaLookup } from "./merge-keys";

/**
 * Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), as applied by
 * kube-apiserver (apimachinery pkg/util/strategicpatch, merge options MergeParallelList and
 * IgnoreUnmatchedNulls) to the patches kubectl builds for apply, edit, patch, set image, rollout
 * restart|pause|resume and cordon:
 * - objects merge key by key; `null` deletes a key;
 * - a list whose field has patchStrategy merge merges by its patchMergeKey (lists of objects) or as a
 *   set (lists of primitives); any other list is replaced whole;
 * - directives: `$patch: replace|delete` on an object or as a list element (`merge` is refused, as
 *   upstream), `$retainKeys`, `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`.
 * Order of a merged list: patch items in patch order interleaved with server-only items kept where
 * they were, as upstream. Returns a new object sharing nothing with `doc` or `patch`.
 * Deliberate difference: an object carrying `$patch: replace` for a field the live object lacks is set
 * (upstream drops it), since that is what the sender asked for.
 */
export function applyStrategicMergePatch(doc: JsonObject, patch: unknown, schema: SchemaLookup): JsonObject {
  if (!isObject(patch)) throw badRequest("strategic merge patch must be a JSON object");
  if (patch[DIRECTIVE] === "delete") throw invalid("strategic merge patch may not delete the whole object");
  return mergeObject(deepClone(doc), patch, [], schema);
}

const DIRECTIVE = "$patch";
const RETAIN_KEYS = "$retainKeys";
const DELETE_FROM = "$deleteFromPrimitiveList/";
const SET_ORDER = "$setElementOrder/";
const DELETED = Symbol("deleted");

type Path = readonly string[];
const where = (path: Path) => path.join(".");

function mergeObject(original: JsonObject, patch: JsonObject, path: Path, schema: SchemaLookup): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    if (directive === "replace") return cleanObject(patch);
    // Upstream empties rather than removes an existing object here (the documented "deletes the map"
    // holds once decoded into a Go struct); matching it keeps results identical to kube-apiserver's.
    if (directive === "delete") return {};
    throw badRequest(`invalid $patch directive ${JSON.stringify(directive)} in an object`, where(path));
  }
  if (Object.hasOwn(patch, RETAIN_KEYS)) retainKeys(original, patch, path);
  const ordered = new Set<string>();
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ORDER)) continue;
    const field = key.slice(SET_ORDER.length);
    ordered.add(field);
    setElementOrder(original, patch, field, order, [...path, field], schema);
  }
  const deletions: [string, JsonValue][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM)) deletions.push([key.slice(DELETE_FROM.length), value]);
    // Unknown $-keys are ignored as upstream asks of servers; no Kubernetes field name starts with `$`.
    if (key.startsWith("$") || ordered.has(key)) continue;
    if (value === null) {
      delete original[key];
      continue;
    }
    const current = getOwn(original, key);
    const fieldPath = [...path, key];
    if (isObject(current) && isObject(value)) {
      setKey(original, key, mergeObject(current, value, fieldPath, schema));
    } else if (Array.isArray(current) && Array.isArray(value)) {
      setKey(original, key, mergeList(current, value, fieldPath, schema));
    } else {
      const cleaned = clean(value);
      if (cleaned === DELETED) delete original[key];
      else setKey(original, key, cleaned);
    }
  }
  for (const [field, values] of deletions) deleteFromPrimitiveList(original, field, values, [...path, field]);
  return original;
}

/** `$retainKeys` clears the keys of a union the patch does not name; every key it sets must be named. */
function retainKeys(original: JsonObject, patch: JsonObject, path: Path): void {
  const keep = patch[RETAIN_KEYS];
  if (!Array.isArray(keep) || !keep.every((k) => typeof k === "string")) {
    throw badRequest("$retainKeys must be a list of field names", where(path));
  }
  const names = new Set(keep as string[]);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith("$") || names.has(key)) continue;
    throw badRequest(`field ${key} is set by the patch but missing from its $retainKeys list`, where(path));
  }
  for (const key of Object.keys(original)) if (!names.has(key)) delete original[key];
}

function mergeList(original: JsonValue[], patch: JsonValue[], path: Path, schema: SchemaLookup): JsonValue[] {
  const meta = schema(path);
  if (!meta || meta.strategy === "replace") return cleanList(patch);
  const kind = elementKind([...original, ...patch], path);
  if (kind === "empty") return [];
  if (kind === "primitive") {
    const merged = dedupe([...original, ...patch]);
    return orderLike(merged, patch, original, undefined);
  }
  const key = meta.mergeKey;
  if (!key) throw badRequest("cannot merge a list of objects without a merge key", where(path));
  let live = original;
  const items: JsonObject[] = [];
  let replace = false;
  for (const item of patch as JsonObject[]) {
    if (!Object.hasOwn(item, DIRECTIVE)) {
      items.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === "delete") {
      const value = keyOf(item, key, path);
      live = live.filter((entry) => !isObject(entry) || getOwn(entry, key) !== value);
    } else if (directive === "replace") {
      replace = true;
    } else if (directive === "merge") {
      throw badRequest("merging lists cannot yet be specified in the patch", where(path));
    } else {
      throw badRequest(`invalid $patch directive ${JSON.stringify(directive)} in a list`, where(path));
    }
  }
  if (replace) return cleanList(items);
  const merged = [...live] as JsonObject[];
  for (const item of items) {
    const value = keyOf(item, key, path);
    const at = merged.findIndex((entry) => getOwn(entry, key) === value);
    if (at < 0) {
      const cleaned = cleanObject(item);
      merged.push(cleaned);
    } else {
      merged[at] = mergeObject(merged[at] as JsonObject, item, path, schema);
    }
  }
  return orderLike(merged, items, live, key);
}

/**
 * Upstream's order rule: items named by `order` first sorted among themselves by it, then the others
 * (kept in their live order) slotted back in before the first ordered item they preceded in `live`.
 */
function orderLike(merged: JsonValue[], order: JsonValue[], live: JsonValue[], key: string | undefined): JsonValue[] {
  const id = (item: JsonValue) => (key === undefined ? item : isObject(item) ? getOwn(item, key) : undefined);
  const indexIn = (list: JsonValue[], item: JsonValue) => list.findIndex((other) => id(other) === id(item));
  const byIndex = (list: JsonValue[]) => (a: JsonValue, b: JsonValue) => indexIn(list, a) - indexIn(list, b);
  const named = merged.filter((item) => indexIn(order, item) >= 0).sort(byIndex(order));
  const others = merged.filter((item) => indexIn(order, item) < 0);
  const livePos = (item: JsonValue) => {
    const at = indexIn(live, item);
    return at < 0 ? Number.POSITIVE_INFINITY : at;
  };
  others.sort((a, b) => livePos(a) - livePos(b) || 0);
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < others.length || j < named.length) {
    const left = others[i];
    const right = named[j];
    if (left === undefined) out.push(named[j++] as JsonValue);
    else if (right === undefined) out.push(others[i++] as JsonValue);
    else {
      const li = indexIn(live, left);
      const ri = indexIn(live, right);
      if (li >= 0 && ri >= 0 && li < ri) out.push(others[i++] as JsonValue);
      else out.push(named[j++] as JsonValue);
    }
  }
  return out;
}

function setElementOrder(
  original: JsonObject,
  patch: JsonObject,
  field: string,
  order: JsonValue,
  path: Path,
  schema: SchemaLookup,
): void {
  if (!Array.isArray(order)) throw badRequest(`$setElementOrder/${field} must be a list`, where(path));
  const live = getOwn(original, field);
  const patched = getOwn(patch, field);
  if (live !== undefined && live !== null && !Array.isArray(live)) {
    throw badRequest(`$setElementOrder/${field} names a field that is not a list`, where(path));
  }
  if (patched !== undefined && patched !== null && !Array.isArray(patched)) {
    throw badRequest(`$setElementOrder/${field} names a field that is not a list`, where(path));
  }
  if (patched === null) return; // the list is being deleted; its order does not matter
  const key = schema(path)?.mergeKey;
  if (key !== undefined) for (const item of order) keyOf(item, key, path, "$setElementOrder");
  if (Array.isArray(patched)) checkOrder(patched, order, key, path);
  let merged: JsonValue[];
  if (Array.isArray(live) && Array.isArray(patched)) merged = mergeList(live, patched, path, schema);
  else if (Array.isArray(patched)) merged = cleanList(patched);
  else if (Array.isArray(live)) merged = live;
  else return;
  const serverOrder = Array.isArray(live)
    ? Array.isArray(patched) && key
      ? aliasedOrder(live, patched, key)
      : live
    : [];
  setKey(original, field, orderLike(merged, order, serverOrder, key));
}

/**
 * The live order upstream actually compares against here. Its merge deletes entries in place and
 * appends new ones to the same Go array, so the live list it reads back has the deleted slots refilled
 * with the first added items. Reproduced so that a delete plus an add beside server-only entries orders
 * exactly like kube-apiserver (new items after the server-only ones, not before).
 */
function aliasedOrder(live: JsonValue[], patched: JsonValue[], key: string): JsonValue[] {
  const backing = [...live];
  let length = live.length;
  const id = (item: JsonValue | undefined) => (isObject(item) ? getOwn(item, key) : undefined);
  const find = (value: JsonValue | undefined) => backing.slice(0, length).findIndex((item) => id(item) === value);
  const deletions = patched.filter((item) => isObject(item) && item[DIRECTIVE] === "delete");
  if (deletions.length === 0 || patched.some((item) => isObject(item) && item[DIRECTIVE] === "replace")) return live;
  for (const item of deletions) {
    for (let at = find(id(item)); at >= 0; at = find(id(item))) {
      backing.copyWithin(at, at + 1, length);
      length--;
    }
  }
  for (const item of patched) {
    if (!isObject(item) || Object.hasOwn(item, DIRECTIVE) || find(id(item)) >= 0) continue;
    if (length === live.length) break; // the array is full: upstream reallocates and stops aliasing
    backing[length++] = item;
  }
  return backing;
}

/** Patch items (deletions aside) must appear in $setElementOrder, in the same relative order. */
function checkOrder(patched: JsonValue[], order: JsonValue[], key: string | undefined, path: Path): void {
  const items = patched.filter((item) => !(isObject(item) && Object.hasOwn(item, DIRECTIVE)));
  const id = (item: JsonValue) => (key === undefined ? item : isObject(item) ? getOwn(item, key) : undefined);
  let at = 0;
  for (const item of items) {
    while (at < order.length && id(order[at] as JsonValue) !== id(item)) at++;
    if (at >= order.length) {
      throw badRequest(`the order of the patch list does not match its $setElementOrder list`, where(path));
    }
    at++;
  }
}

function deleteFromPrimitiveList(original: JsonObject, field: string, values: JsonValue, path: Path): void {
  if (!Array.isArray(values)) throw badRequest(`$deleteFromPrimitiveList/${field} must be a list`, where(path));
  const live = getOwn(original, field);
  if (live === undefined || live === null) return;
  if (!Array.isArray(live) || live.some((item) => isObject(item) || Array.isArray(item))) {
    throw badRequest(`$deleteFromPrimitiveList/${field} applies only to a list of primitives`, where(path));
  }
  setKey(
    original,
    field,
    live.filter((item) => !values.includes(item)),
  );
}

function elementKind(items: JsonValue[], path: Path): "empty" | "object" | "primitive" {
  if (items.length === 0) return "empty";
  if (items.some(Array.isArray)) throw invalid("lists of lists are not supported", where(path));
  const objects = items.filter(isObject).length;
  if (objects === items.length) return "object";
  if (objects === 0) return "primitive";
  throw badRequest("list elements are of different types", where(path));
}

function keyOf(item: JsonValue, key: string, path: Path, what = "list element"): JsonValue {
  const value = isObject(item) ? getOwn(item, key) : undefined;
  if (value === undefined || isObject(value) || Array.isArray(value)) {
    throw badRequest(`${what} does not contain declared merge key: ${key}`, where(path));
  }
  return value;
}

function dedupe(items: JsonValue[]): JsonValue[] {
  return items.filter((item, i) => items.indexOf(item) === i);
}

/** Patch content that lands without a merge: directives and nulls stripped, copied. */
function clean(value: JsonValue): JsonValue | typeof DELETED {
  if (Array.isArray(value)) return cleanList(value);
  if (!isObject(value)) return value;
  if (Object.hasOwn(value, DIRECTIVE)) {
    if (value[DIRECTIVE] === "delete") return DELETED;
    if (value[DIRECTIVE] !== "replace")
      throw badRequest(`invalid $patch directive ${JSON.stringify(value[DIRECTIVE])}`);
  }
  return cleanObject(value);
}

function cleanObject(value: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith("$") || child === null) continue;
    const cleaned = clean(child);
    if (cleaned !== DELETED) setKey(out, key, cleaned);
  }
  return out;
}

/** A list element carrying a directive is an instruction, never content (upstream drops it too). */
function cleanList(items: JsonValue[]): JsonValue[] {
  const out: JsonValue[] = [];
  for (const item of items) {
    if (isObject(item) && Object.hasOwn(item, DIRECTIVE)) continue;
    const cleaned = clean(item);
    if (cleaned !== DELETED) out.push(cleaned);
  }
  return out;
}
