/**
 * The Kubernetes API's OpenAPI documents (`/openapi/v2`, `/openapi/v3`, `/openapi/v3/<gv>`) and
 * the schema checks the endpoint runs under `fieldValidation`. Pure: no listener here; the
 * endpoint answers with these bodies.
 *
 * Serving notes for the endpoint:
 * - `/openapi/v3/<gv>?hash=H`: answer the document whatever H is, with `ETag: "<hash>"`; when H
 *   equals the hash, `Cache-Control: public, immutable` (as kube-apiserver), else no-cache.
 * - `/openapi/v2`: client-go asks it with `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`
 *   only, and parses the answer as protobuf; a JSON body fails there ("cannot parse invalid
 *   wire-format data"). Answer JSON only when the Accept header admits JSON (`application/json`,
 *   `*\/*`, none), else 406 (openApiV2Acceptable). kubectl 1.32 reads v3 for explain, apply,
 *   diff and validation, so v2 is for other clients.
 */
import { OpenApiDocuments, type ServedDocument, type V3Index } from "./documents";
import { defaultServedResources, type ServedResource } from "./served";

export { DEFINITIONS_SOURCE, allDefinitions, definitionNameOf } from "./definitions";
export { OpenApiDocuments, type ServedDocument, type V3Index } from "./documents";
export type { GroupVersionKind, Schema } from "./schema-types";
export {
  ALL_VERBS,
  defaultServedResources,
  EXTRA_RESOURCES,
  groupVersionPath,
  OPTIONAL_RESOURCES,
  type ServedResource,
  type ServedSubresource,
  type Verb,
} from "./served";
export { schemaFor, unknownFields } from "./unknown-fields";

let defaults: OpenApiDocuments | undefined;

/** The documents of `resources` (build once and keep it: each instance caches its documents). */
export function createOpenApi(resources: readonly ServedResource[] = defaultServedResources()): OpenApiDocuments {
  return new OpenApiDocuments(resources);
}

function defaultDocuments(): OpenApiDocuments {
  defaults ??= createOpenApi();
  return defaults;
}

/** `/openapi/v3` of the default resources; `prefix` goes before `/openapi/v3/…` in each URL. */
export function openApiV3Index(prefix = ""): V3Index {
  return defaultDocuments().v3Index(prefix);
}

/** `/openapi/v3/<gv>` of the default resources (`api/v1`, `apis/apps/v1`); undefined if not served. */
export function openApiV3GroupVersion(groupVersionPath: string): ServedDocument | undefined {
  return defaultDocuments().v3GroupVersion(groupVersionPath);
}

/** `/openapi/v2` of the default resources. */
export function openApiV2(): ServedDocument {
  return defaultDocuments().v2();
}

/** Whether a JSON answer suits this Accept header of `/openapi/v2` (false: answer 406 Not Acceptable). */
export function openApiV2Acceptable(accept: string | undefined): boolean {
  if (!accept?.trim()) return true;
  return accept.split(",").some((part) => {
    const type = part.split(";")[0]?.trim().toLowerCase();
    return type === "application/json" || type === "*/*" || type === "application/*";
  });
}
