/**
 * An edit in the console's YAML tab as `kubectl edit` sends it: only what the person changed,
 * as a JSON merge patch from the object they loaded to the text they saved, so writes made
 * meanwhile to fields they did not touch (a rollout's status, a controller's annotation) are no
 * conflict. Safer than kubectl, which overwrites silently: a field they changed that somebody
 * else changed too since it was loaded is refused as a Conflict, naming the field.
 */
import { deepEqual, isObject, type JsonObject, type JsonValue, setKey } from "../../kube-api/patch/json";

/** The identity that makes two documents the same object. */
function identityOf(doc: JsonObject): string | undefined {
  const metadata = isObject(doc.metadata) ? doc.metadata : undefined;
  if (typeof doc.apiVersion !== "string" || typeof doc.kind !== "string" || typeof metadata?.name !== "string")
    return undefined;
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "";
  return `${doc.apiVersion}/${doc.kind}/${namespace}/${metadata.name}`;
}

/** The loaded document that `edited` is an edit of (same apiVersion, kind, namespace and name), if any. */
export function originalOf(edited: JsonObject, originals: readonly JsonObject[]): JsonObject | undefined {
  const identity = identityOf(edited);
  return identity === undefined ? undefined : originals.find((o) => identityOf(o) === identity);
}

/**
 * The edit's patch: what changed, without `metadata.resourceVersion` (the loaded one is the base the
 * conflict check compares with, so the person's copy of it is not a write of theirs).
 */
export function editPatch(loaded: JsonObject, edited: JsonObject): JsonObject {
  const patch = mergePatchBetween(loaded, edited);
  const metadata = patch.metadata;
  if (isObject(metadata)) {
    delete metadata.resourceVersion;
    if (Object.keys(metadata).length === 0) delete patch.metadata;
  }
  return patch;
}

/**
 * RFC 7386 merge patch turning `from` into `to`: changed keys with their new value (objects
 * recursively), removed keys as null; lists are replaced whole, as merge patches replace them.
 */
export function mergePatchBetween(from: JsonObject, to: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) if (!Object.hasOwn(to, key)) setKey(patch, key, null);
  for (const [key, value] of Object.entries(to)) {
    const before = Object.hasOwn(from, key) ? from[key] : undefined;
    if (deepEqual(before, value)) continue;
    if (isObject(before) && isObject(value)) {
      const inner = mergePatchBetween(before, value);
      if (Object.keys(inner).length > 0) setKey(patch, key, inner);
    } else setKey(patch, key, value);
  }
  return patch;
}

const valueAt = (obj: JsonValue | undefined, path: readonly string[]): JsonValue | undefined =>
  path.reduce<JsonValue | undefined>(
    (node, key) => (isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined),
    obj,
  );

/**
 * The fields `patch` writes whose live value is no longer what was loaded: somebody else changed
 * them since. Paths as the API names fields (`spec.replicas`, `metadata.labels.app`).
 */
export function changedMeanwhile(patch: JsonObject, loaded: JsonObject, live: JsonObject): string[] {
  const out: string[] = [];
  const walk = (node: JsonObject, path: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const at = [...path, key];
      if (isObject(value) && isObject(valueAt(loaded, at))) walk(value, at);
      else if (!deepEqual(valueAt(loaded, at), valueAt(live, at))) out.push(at.join("."));
    }
  };
  walk(patch, []);
  return out;
}
