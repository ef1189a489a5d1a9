/**
 * Server-side field validation against the served schemas: the fields of an object its kind's
 * schema does not declare, as the paths kube-apiserver names under `fieldValidation=Strict|Warn`
 * (`spec.replica`, `spec.template.spec.containers[0].imagePullPolice`). Maps (labels, data,
 * resources' limits) take any key; a schema without properties (FieldsV1, RawExtension) takes
 * anything. Type mismatches are not this check's business: the endpoint's decoding refuses them.
 */
import { allDefinitions, definitionNameOf, parseApiVersion, refName } from "./definitions";
import type { Schema } from "./schema-types";

/** The schema of a kind (`apps/v1`, `Deployment`), as served; undefined for a kind not described. */
export function schemaFor(apiVersion: string, kind: string): Schema | undefined {
  const name = definitionNameOf({ ...parseApiVersion(apiVersion), kind });
  return name ? allDefinitions()[name] : undefined;
}

function resolve(s: Schema, defs: Readonly<Record<string, Schema>>): Schema {
  let cur = s;
  for (let depth = 0; depth < 8; depth++) {
    const ref = cur.$ref ?? (cur.allOf?.length === 1 ? cur.allOf[0]?.$ref : undefined);
    const next = ref ? defs[refName(ref)] : undefined;
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The JSON paths (dotted, `[i]` for list items) of the fields of `object` that the schema of its
 * kind does not declare, in document order. A kind without a schema answers [] (nothing to
 * check against); so does a non-object.
 */
export function unknownFields(apiVersion: string, kind: string, object: unknown): string[] {
  const root = schemaFor(apiVersion, kind);
  if (!root) return [];
  const defs = allDefinitions();
  const found: string[] = [];
  const walk = (value: unknown, schema: Schema, path: string) => {
    const s = resolve(schema, defs);
    if (Array.isArray(value)) {
      const items = s.items;
      if (items)
        value.forEach((v, i) => {
          walk(v, items, `${path}[${i}]`);
        });
      return;
    }
    if (!isObject(value)) return;
    if (s.properties) {
      for (const [key, v] of Object.entries(value)) {
        const child = s.properties[key];
        const at = path ? `${path}.${key}` : key;
        if (child) walk(v, child, at);
        else if (typeof s.additionalProperties === "object") walk(v, s.additionalProperties, at);
        else if (s.additionalProperties !== true) found.push(at);
      }
      return;
    }
    if (typeof s.additionalProperties === "object")
      for (const [key, v] of Object.entries(value)) walk(v, s.additionalProperties, path ? `${path}.${key}` : key);
  };
  walk(object, root, "");
  return found;
}
