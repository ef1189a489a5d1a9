import { applyPatch, deepClone as cloneOps, JsonPatchError, type Operation } from "fast-json-patch";
import { badRequest, invalid, PatchError } from "./errors";
import { isObject, type JsonObject } from "./json";

/** kube-apiserver refuses longer JSON patches (maxJSONPatchOperations) with 413. */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

/**
 * RFC 6902 JSON patch (`application/json-patch+json`, sent by `kubectl rollout undo` and
 * `kubectl patch --type=json`), applied to a copy of `doc`.
 * Status codes follow kube-apiserver: a body that is not an array of objects is 400 (it fails to
 * decode); an operation that cannot be applied (unknown op, missing path, failed `test`) is 422.
 */
export function applyJsonPatch(doc: JsonObject, ops: unknown): JsonObject {
  if (!Array.isArray(ops)) throw badRequest("json patch must be a JSON array of operations");
  const badIndex = ops.findIndex((op) => !isObject(op));
  if (badIndex >= 0) throw badRequest(`json patch operation ${badIndex} is not a JSON object`);
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new PatchError(
      "RequestEntityTooLarge",
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  }
  let result: unknown;
  try {
    // Validation on (true) makes remove/replace of a missing path an error, as in Kubernetes; the
    // document is cloned by the library (mutate = false) and the ops by us, since values are shared.
    result = applyPatch(doc, cloneOps(ops) as Operation[], true, false).newDocument;
  } catch (error) {
    if (error instanceof JsonPatchError) throw invalid(messageFor(error), pathOf(error.operation));
    // The library refuses prototype-reaching paths with a bare TypeError; that is bad input, not a 500.
    if (error instanceof TypeError && /banned/.test(error.message)) {
      throw invalid("json patch paths may not address __proto__ or constructor/prototype");
    }
    throw error;
  }
  if (!isObject(result)) throw invalid("json patch must leave the object a JSON object", "");
  return result;
}

function pathOf(operation: unknown): string | undefined {
  return isObject(operation) && typeof operation.path === "string" ? operation.path : undefined;
}

function messageFor(error: InstanceType<typeof JsonPatchError>): string {
  const op = isObject(error.operation) ? error.operation : {};
  const where = typeof op.path === "string" ? ` at path "${op.path}"` : "";
  const which =
    error.index === undefined ? "" : ` (operation ${error.index}${typeof op.op === "string" ? `, ${op.op}` : ""})`;
  switch (error.name) {
    case "TEST_OPERATION_FAILED":
      return `test operation failed${where}: value does not match${which}`;
    case "OPERATION_PATH_UNRESOLVABLE":
      return `path does not exist${where}${which}`;
    case "OPERATION_FROM_UNRESOLVABLE":
      return `"from" path does not exist${typeof op.from === "string" ? `: "${op.from}"` : ""}${which}`;
    case "OPERATION_PATH_CANNOT_ADD":
      return `cannot add${where}: its parent does not exist${which}`;
    case "OPERATION_VALUE_OUT_OF_BOUNDS":
    case "OPERATION_PATH_ILLEGAL_ARRAY_INDEX":
      return `invalid array index${where}${which}`;
    default:
      return `invalid json patch operation${where}${which}: ${error.message.split("\n")[0]}`;
  }
}
