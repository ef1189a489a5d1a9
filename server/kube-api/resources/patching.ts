/**
 * A PATCH body applied to an object's Kubernetes form, by its content type: JSON patch,
 * merge patch and strategic merge patch (with the list merge keys of the patch module's schema
 * lookup). Server-side apply is refused (415) here: not wired yet.
 */
import type { KubeObject } from "../../engine";
import * as patchModule from "../patch";
import type { KubeRequest } from "../context";
import { badRequest, KubeError } from "../status";
import { bodyText } from "./body";

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("the patch is not valid JSON");
  }
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
        throw new KubeError("UnsupportedMediaType", "server-side apply is not supported by this server yet");
      default:
        throw new KubeError("UnsupportedMediaType", `the patch content type "${type}" is not supported`);
    }
  } catch (error) {
    if (error instanceof patchModule.PatchError)
      throw new KubeError(
        error.reason === "RequestEntityTooLarge" ? "RequestEntityTooLarge" : error.reason,
        error.message,
        error.path ? { causes: [{ field: error.path, message: error.message }] } : undefined,
      );
    throw error;
  }
}
