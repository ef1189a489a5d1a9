/**
 * What every whole-object replace (PUT) of a kind with a validated `spec` stores, in one place:
 * the object as it was, with the request's labels, annotations and managed fields and the new
 * spec. Guarantees: `generation` counts spec changes only (Kubernetes' metadata.generation);
 * managed fields the request leaves out are kept; a replace that changes nothing writes nothing,
 * so its resourceVersion stays (what `kubectl apply` of an unchanged manifest expects).
 */
import type { EngineState } from "../core/state";
import { jsonEqual } from "../kinds/json-equal";
import { managedFieldsOf } from "../kinds/kubernetes";
import { EMPTY_MAP, type EngineObject, type ManagedFields, type StringMap } from "../kinds/types";

/** Labels or annotations as stored: an empty or absent map is the shared EMPTY_MAP. */
export const storedMap = (m: Record<string, string> | undefined): StringMap =>
  m && Object.keys(m).length > 0 ? m : EMPTY_MAP;

export interface ReplaceRequest {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: ManagedFields;
}

type Replaceable = EngineObject & { spec: unknown; managedFields?: ManagedFields };

/** Stores `existing` replaced by the request's metadata and `spec`, or returns it unchanged. */
export function putReplacement<T extends Replaceable>(
  state: EngineState,
  existing: T,
  request: ReplaceRequest,
  spec: T["spec"],
): T {
  const next: T = {
    ...existing,
    labels: storedMap(request.labels),
    annotations: storedMap(request.annotations),
    spec,
    managedFields: managedFieldsOf(request.managedFields, existing.managedFields),
    generation: jsonEqual(existing.spec, spec) ? existing.generation : existing.generation + 1,
  };
  if (next.managedFields === undefined) delete next.managedFields;
  return jsonEqual(next, existing) ? existing : state.put(next);
}
