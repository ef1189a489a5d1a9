/** The subset of OpenAPI schema objects the served documents use (swagger 2.0 and OpenAPI 3.0 alike). */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface Schema {
  description?: string;
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  format?: string;
  enum?: string[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  $ref?: string;
  allOf?: Schema[];
  default?: unknown;
  "x-kubernetes-group-version-kind"?: GroupVersionKind[];
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-patch-strategy"?: string;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "atomic" | "granular";
  "x-kubernetes-preserve-unknown-fields"?: boolean;
}
