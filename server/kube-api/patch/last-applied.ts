import type { FieldSet } from "./field-set";
import { compareObjects, toFieldSet, trackedPart } from "./fields";
import { deepClone, getOwn, isObject, type JsonObject, type JsonValue, setKey } from "./json";
import type { SchemaLookup } from "./merge-keys";

/**
 * The bridge between client-side apply (the last-applied-configuration annotation) and server-side
 * apply, as kube-apiserver runs it for the field manager "kubectl" only: conflicts on fields the
 * annotation shows this user applied (and that still hold their applied value) are forgiven, so
 * `kubectl apply --server-side` can take over an object managed with plain `kubectl apply`; and after
 * a server-side apply the annotation, when present, is rewritten to the new configuration so a later
 * client-side apply computes the right patch.
 */
export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
export const KUBECTL_MANAGER = "kubectl";

function annotationOf(obj: JsonObject | undefined): string | undefined {
  const metadata = obj && getOwn(obj, "metadata");
  const annotations = isObject(metadata) ? getOwn(metadata, "annotations") : undefined;
  const value = isObject(annotations) ? getOwn(annotations, LAST_APPLIED) : undefined;
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Fields the annotation applied that still match the live object; undefined when there is none. */
export function fieldsFromLastApplied(
  live: JsonObject,
  ignored: readonly (readonly string[])[],
  schema: SchemaLookup,
): FieldSet | undefined {
  const text = annotationOf(live);
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== live.apiVersion) return undefined;
  try {
    const applied = trackedPart(last, ignored);
    const diff = compareObjects(applied, trackedPart(live, ignored), schema);
    return toFieldSet(applied, schema).difference(diff.modified).difference(diff.added).difference(diff.removed);
  } catch {
    return undefined; // an annotation that does not fit the schema forgives nothing
  }
}

/** Rewrites an existing annotation to `applied` (without the annotation), encoded as Go would. */
export function syncLastApplied(object: JsonObject, live: JsonObject | undefined, applied: JsonObject): void {
  if (!annotationOf(live)) return;
  const config = deepClone(applied);
  const configMeta = getOwn(config, "metadata");
  const configAnnotations = isObject(configMeta) ? getOwn(configMeta, "annotations") : undefined;
  if (isObject(configAnnotations)) {
    delete configAnnotations[LAST_APPLIED];
    if (Object.keys(configAnnotations).length === 0 && isObject(configMeta)) delete configMeta.annotations;
  }
  const metadata = isObject(object.metadata) ? object.metadata : {};
  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  setKey(annotations, LAST_APPLIED, `${goJson(config)}\n`);
  metadata.annotations = annotations;
  object.metadata = metadata;
}

/** encoding/json of a map: keys sorted, <, > and & escaped. */
function goJson(value: JsonValue): string {
  const sorted = (v: JsonValue): JsonValue => {
    if (Array.isArray(v)) return v.map(sorted);
    if (!isObject(v)) return v;
    const out: JsonObject = {};
    for (const key of Object.keys(v).sort()) setKey(out, key, sorted(v[key] as JsonValue));
    return out;
  };
  return JSON.stringify(sorted(value)).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
