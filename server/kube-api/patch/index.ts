/**
 * Pure patch machinery for the Kubernetes API endpoint: plain JSON in, plain JSON out, no I/O.
 * Every function returns a new object and throws PatchError (with a Kubernetes status code) on bad
 * input, so the HTTP layer only maps `error.status` / `error.reason` / `error.message` to a Status.
 */
export { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from "./json-patch";
export { applyMergePatch } from "./merge-patch";
export { applyStrategicMergePatch } from "./strategic-merge";
export {
  type FieldMeta,
  hasMergeSchema,
  MERGE_KEYS,
  type MergeStrategy,
  mergeStrategyAt,
  type SchemaLookup,
  schemaLookupFor,
} from "./merge-keys";
export {
  type ApplyOptions,
  type ApplyResult,
  applyConflictStatus,
  type FieldConflict,
  parseApplyPatch,
  serverSideApply,
} from "./server-side-apply";
export { ignoredFor, type ManagedFieldsEntry, updateManagedFields, type WriteOptions } from "./managed-fields";
export { PatchError, type PatchErrorReason, type PatchErrorStatus } from "./errors";
export type { JsonObject, JsonPrimitive, JsonValue } from "./json";
