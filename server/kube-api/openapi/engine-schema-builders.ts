/**
 * Builders for the schemas of the engine's own cloud.tenant.io/v1 kinds (network-schemas.ts,
 * public-ip-schemas.ts), in the upstream style: a kind with TypeMeta and ObjectMeta, its List, and
 * typed field tables.
 *
 * Drift guard: `Fields<T>` wants one schema per field of T, none missing and none extra, so a field
 * added to, renamed in or removed from an engine type fails the type check where its schema is
 * written; `kubectl explain` then never describes a field the server does not keep.
 */
import type { Schema } from "./schema-types";

export const ENGINE_GROUP_PREFIX = "io.tenant.cloud.v1";
const E = ENGINE_GROUP_PREFIX;
const META = "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1";

/** One schema per field of T, none missing and none extra (the drift guard). */
export type Fields<T> = { readonly [K in keyof T]-?: Schema };

const TYPE_META: Record<string, Schema> = {
  apiVersion: {
    type: "string",
    description: "APIVersion defines the versioned schema of this representation of an object.",
  },
  kind: {
    type: "string",
    description: "Kind is a string value representing the REST resource this object represents.",
  },
};

/** A reference to another engine definition, by its short name. */
export const ref = (name: string, description: string): Schema => ({ $ref: `#/definitions/${E}.${name}`, description });

export function kind(name: string, description: string, props: Record<string, Schema>, required?: string[]): Schema {
  return {
    description,
    type: "object",
    ...(required ? { required } : {}),
    properties: {
      ...TYPE_META,
      metadata: { $ref: `${META}.ObjectMeta`, description: "Standard object's metadata." },
      ...props,
    },
    "x-kubernetes-group-version-kind": [{ group: "cloud.tenant.io", version: "v1", kind: name }],
  };
}

export function list(name: string, item: string): Schema {
  return {
    description: `${name} is a list of ${item}.`,
    type: "object",
    required: ["items"],
    properties: {
      ...TYPE_META,
      items: { type: "array", description: "List of objects.", items: { $ref: `#/definitions/${E}.${item}` } },
      metadata: { $ref: `${META}.ListMeta`, description: "Standard list metadata." },
    },
    "x-kubernetes-group-version-kind": [{ group: "cloud.tenant.io", version: "v1", kind: name }],
  };
}

export const str = (description: string, values?: readonly string[]): Schema => ({
  type: "string",
  description,
  ...(values ? { enum: [...values] } : {}),
});
export const int = (description: string): Schema => ({ type: "integer", format: "int32", description });
export const bool = (description: string): Schema => ({ type: "boolean", description });
export const strings = (description: string): Schema => ({ type: "array", description, items: { type: "string" } });
export const selector = (description: string): Schema => ({ $ref: `${META}.LabelSelector`, description });
/** An RFC 3339 time, as upstream's metav1.Time. */
export const time = (description: string): Schema => ({ $ref: `${META}.Time`, description });
