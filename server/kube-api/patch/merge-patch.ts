import { badRequest } from "./errors";
import { deepClone, getOwn, isObject, type JsonObject, setKey } from "./json";

/**
 * RFC 7386 JSON merge patch (`application/merge-patch+json`, sent by `kubectl label|annotate|scale`):
 * objects merge recursively, `null` deletes a key, anything else (arrays included) replaces.
 * Written here rather than taken from a package because the algorithm is the RFC's ten lines and the
 * candidates mutate their input. Returns a new object sharing nothing with `doc` or `patch`.
 * A Kubernetes object must stay an object, so a patch that is not a JSON object is a 400 (the RFC
 * would replace the whole document with it).
 */
export function applyMergePatch(doc: JsonObject, patch: unknown): JsonObject {
  if (!isObject(patch)) throw badRequest("merge patch must be a JSON object");
  return mergeInto(deepClone(doc), patch);
}

function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
    } else if (isObject(value)) {
      const current = getOwn(target, key);
      setKey(target, key, mergeInto(isObject(current) ? current : {}, value));
    } else {
      setKey(target, key, deepClone(value));
    }
  }
  return target;
}
