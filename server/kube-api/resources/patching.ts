/**
 * A PATCH body applied to an object's Kubernetes form, by its content type: JSON patch, merge
 * patch and strategic merge patch (with the list merge keys of the patch module's schema lookup),
 * and server-side apply (`serverSideApplied`: the live object, or none, and the applied
 * configuration merged by the patch module's field managers; a conflict is 409 Conflict with a
 * FieldManagerConflict cause per field, as kube-apiserver answers it).
 */
import type { KubeObject } from "../../engine";
import * as patchModule from "../patch";
import type { KubeRequest } from "../context";
import { validateFields } from "../convert/field-validation";
import type { WriteRequest } from "../convert/write-request";
import { badRequest, KubeError } from "../status";
import { bodyText } from "./body";

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("the patch is not valid JSON");
  }
}

function asKubeError(error: unknown): unknown {
  if (error instanceof patchModule.PatchError)
    return new KubeError(
      error.reason,
      error.message,
      error.path ? { causes: [{ field: error.path, message: error.message }] } : undefined,
    );
  return error;
}

export function applyPatch(req: KubeRequest, current: KubeObject): KubeObject {
  const type = (req.request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const text = bodyText(req);
  const doc = current as unknown as patchModule.JsonObject;
  try {
    switch (type) {
      case "application/json-patch+json":
        return patchModule.applyJsonPatch(doc, parse(text)) as unknown as KubeObject;
      case "application/merge-patch+json":
        return patchModule.applyMergePatch(doc, parse(text)) as unknown as KubeObject;
      case "application/strategic-merge-patch+json":
        return patchModule.applyStrategicMergePatch(
          doc,
          parse(text),
          patchModule.schemaLookupFor(current.apiVersion, current.kind),
        ) as unknown as KubeObject;
      case "application/apply-patch+yaml":
        throw new KubeError(
          "UnsupportedMediaType",
          `server-side apply is not supported for ${req.target.resource} here`,
        );
      default:
        throw new KubeError("UnsupportedMediaType", `the patch content type "${type}" is not supported`);
    }
  } catch (error) {
    throw asKubeError(error);
  }
}

export interface ApplyTarget {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** The resource as messages name it (`deployments.apps`). */
  resource: string;
}

/** The applied configuration of the request, checked against the URL (kind, name, namespace). */
export function appliedConfiguration(req: KubeRequest, w: WriteRequest, t: ApplyTarget): KubeObject {
  let applied: patchModule.JsonObject;
  const text = bodyText(req);
  try {
    applied = patchModule.parseApplyPatch(text);
  } catch (error) {
    throw asKubeError(error);
  }
  const meta = (applied.metadata ?? {}) as Record<string, unknown>;
  if (applied.apiVersion !== t.apiVersion || applied.kind !== t.kind)
    throw badRequest(
      `the apply configuration is a ${String(applied.kind ?? "")} of ${String(applied.apiVersion ?? "")}, not a ${t.kind} of ${t.apiVersion}`,
    );
  if (meta.name !== undefined && meta.name !== t.name)
    throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${t.name})`);
  if (t.namespace !== undefined && meta.namespace !== undefined && meta.namespace !== t.namespace)
    throw badRequest(
      `the namespace of the object (${String(meta.namespace)}) does not match the namespace on the request (${t.namespace})`,
    );
  const checked = validateFields(req, w, t.apiVersion, t.kind, applied, text);
  return { ...checked, metadata: { ...meta, name: t.name } } as unknown as KubeObject;
}

/**
 * The object server-side apply makes of `live` (undefined: the apply creates it) and the request's
 * configuration, with its managed fields; throws 409 Conflict (nothing stored) on a conflict that is
 * not forced.
 */
export function serverSideApplied(
  req: KubeRequest,
  w: WriteRequest,
  live: KubeObject | undefined,
  t: ApplyTarget,
): KubeObject {
  const applied = appliedConfiguration(req, w, t);
  let result: patchModule.ApplyResult;
  try {
    result = patchModule.serverSideApply(
      live as unknown as patchModule.JsonObject | undefined,
      applied as unknown as patchModule.JsonObject,
      { manager: w.manager, force: w.force, now: w.now },
    );
  } catch (error) {
    throw asKubeError(error);
  }
  if (result.conflicts.length > 0) {
    const { message, causes } = patchModule.applyConflictStatus(result.conflicts);
    const [resource, group = ""] = t.resource.split(/\.(.*)/s);
    throw new KubeError("Conflict", message, {
      name: t.name,
      group,
      kind: resource,
      causes: causes.map((c) => ({ reason: c.type, message: c.message, field: c.field })),
    });
  }
  const object = result.object as unknown as KubeObject;
  // A created object's namespace is the request's, whatever the configuration left out.
  return t.namespace === undefined ? object : { ...object, metadata: { ...object.metadata, namespace: t.namespace } };
}
