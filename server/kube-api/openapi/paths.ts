/**
 * The operations of the served resources, in one neutral form that documents.ts renders as
 * swagger 2.0 and as OpenAPI 3.0. Laid out as kube-apiserver does: collection and item paths, the
 * cluster-wide list of a namespaced kind, subresources under the item; each operation with its
 * `x-kubernetes-action` and `x-kubernetes-group-version-kind`, and the write operations with
 * `dryRun`, `fieldManager` and `fieldValidation` among their own parameters (kubectl's strict
 * validation looks for `fieldValidation` on the PATCH operation of the kind).
 */
import type { GroupVersionKind } from "./schema-types";
import { groupVersionPath, type ServedResource, type ServedSubresource, type Verb } from "./served";

export interface Param {
  name: string;
  in: "path" | "query";
  description: string;
  type: "string" | "integer" | "boolean";
  required?: boolean;
}

export type Action = "get" | "list" | "post" | "put" | "patch" | "delete" | "deletecollection";

export interface Operation {
  method: "get" | "put" | "post" | "patch" | "delete";
  operationId: string;
  description: string;
  action: Action;
  gvk: GroupVersionKind;
  params: Param[];
  /** Definition name of the request body; `patch` bodies are any of the four patch types. */
  body?: string;
  patch?: boolean;
  /** Definition name of the answer, or "text" (logs). */
  response: string;
  status: "200" | "201";
}

export interface PathItem {
  params: Param[];
  operations: Operation[];
}

const q = (name: string, type: Param["type"], description: string): Param => ({ name, in: "query", type, description });
const P = {
  pretty: q("pretty", "string", "If 'true', then the output is pretty printed."),
  dryRun: q("dryRun", "string", "When present (value `All`), the change is validated and answered but not persisted."),
  fieldManager: q("fieldManager", "string", "A name for the actor making the change; recorded in managedFields."),
  fieldValidation: q(
    "fieldValidation",
    "string",
    "How to treat unknown or duplicate fields in the request: `Ignore` drops them, `Warn` (the default) drops them " +
      "and answers a warning for each, `Strict` refuses the request naming them.",
  ),
  force: q("force", "boolean", "Server-side apply only: take over the fields other managers own."),
  labelSelector: q("labelSelector", "string", "Only objects whose labels match this selector."),
  fieldSelector: q("fieldSelector", "string", "Only objects whose fields match this selector."),
  limit: q("limit", "integer", "At most this many objects; `metadata.continue` of the answer asks for the rest."),
  continue: q("continue", "string", "The `metadata.continue` token of the previous page."),
  resourceVersion: q("resourceVersion", "string", "The resource version the answer must be at least as new as."),
  resourceVersionMatch: q(
    "resourceVersionMatch",
    "string",
    "How resourceVersion applies to a list: `NotOlderThan` or `Exact`.",
  ),
  watch: q("watch", "boolean", "Stream the changes (ADDED, MODIFIED, DELETED, BOOKMARK) instead of listing."),
  allowWatchBookmarks: q("allowWatchBookmarks", "boolean", "A watch may send BOOKMARK events."),
  sendInitialEvents: q("sendInitialEvents", "boolean", "A watch starts with the current objects as ADDED events."),
  timeoutSeconds: q("timeoutSeconds", "integer", "Ends the list or watch after this many seconds."),
  gracePeriodSeconds: q("gracePeriodSeconds", "integer", "Seconds before the object is deleted; 0 deletes at once."),
  propagationPolicy: q("propagationPolicy", "string", "How dependents go: `Orphan`, `Background` or `Foreground`."),
  orphanDependents: q("orphanDependents", "boolean", "Deprecated: use propagationPolicy."),
};
const LIST_PARAMS = [
  P.allowWatchBookmarks,
  P.continue,
  P.fieldSelector,
  P.labelSelector,
  P.limit,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
  P.watch,
];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.orphanDependents, P.propagationPolicy];
const LOG_PARAMS = [
  q("container", "string", "The container whose log to answer; defaults to the only container."),
  q("follow", "boolean", "Stream the log as it grows."),
  q("limitBytes", "integer", "At most this many bytes."),
  q("previous", "boolean", "The log of the previous, terminated container."),
  q("sinceSeconds", "integer", "Only lines newer than this many seconds."),
  q("sinceTime", "string", "Only lines newer than this RFC 3339 time."),
  q("tailLines", "integer", "Only this many lines from the end."),
  q("timestamps", "boolean", "Prefix each line with its RFC 3339 time."),
];
const pathParam = (name: string, description: string): Param => ({
  name,
  in: "path",
  type: "string",
  description,
  required: true,
});
const NAMESPACE = pathParam("namespace", "The object's namespace.");

const camel = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** `CoreV1`, `AppsV1`, `AuthorizationV1`, `CloudTenantIoV1`: the group-version part of operation ids. */
function gvWord(group: string, version: string): string {
  const g = group === "" ? "core" : group.replace(/\.k8s\.io$/, "");
  return g.split(/[.-]/).map(camel).join("") + camel(version);
}

/** Resolves a kind to its definition name; undefined leaves the operation out. */
export type DefinitionOf = (gvk: GroupVersionKind) => string | undefined;

/** The paths of every resource of one group-version (`api/v1`, `apis/apps/v1`). */
export function pathsFor(
  resources: readonly ServedResource[],
  gvPath: string,
  definitionOf: DefinitionOf,
): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  const add = (path: string, params: Param[], op: Operation | undefined) => {
    if (!op) return;
    const item = paths[path] ?? { params: [...params, P.pretty], operations: [] };
    paths[path] = item;
    item.operations.push(op);
  };
  for (const r of resources) {
    if (groupVersionPath(r.group, r.version) !== gvPath) continue;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const def = definitionOf(gvk);
    if (!def) continue;
    const listDef = definitionOf({ ...gvk, kind: `${r.kind}List` });
    const gw = gvWord(r.group, r.version);
    const scope = r.namespaced ? "Namespaced" : "";
    const base = `/${gvPath}${r.namespaced ? "/namespaces/{namespace}" : ""}/${r.plural}`;
    const baseParams = r.namespaced ? [NAMESPACE] : [];
    const itemParams = [pathParam("name", `The ${r.kind}'s name.`), ...baseParams];
    const has = (v: Verb) => r.verbs.includes(v);
    const op = (method: Operation["method"], action: Action, word: string, rest: Partial<Operation>): Operation => ({
      method,
      action,
      operationId: `${word}${gw}${scope}${r.kind}`,
      description: `${word} ${r.kind}`,
      gvk,
      params: [],
      response: def,
      status: "200",
      ...rest,
    });
    if (has("list") && listDef) {
      add(base, baseParams, op("get", "list", "list", { params: LIST_PARAMS, response: listDef }));
      if (r.namespaced)
        add(`/${gvPath}/${r.plural}`, [], {
          ...op("get", "list", "list", { params: LIST_PARAMS, response: listDef }),
          operationId: `list${gw}${r.kind}ForAllNamespaces`,
        });
    }
    if (has("create"))
      add(base, baseParams, op("post", "post", "create", { params: WRITE_PARAMS, body: def, status: "201" }));
    if (has("deletecollection"))
      add(
        base,
        baseParams,
        op("delete", "deletecollection", "deletecollection", {
          params: [...DELETE_PARAMS, ...LIST_PARAMS],
          body: "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
          response: "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
        }),
      );
    const item = `${base}/{name}`;
    if (has("get")) add(item, itemParams, op("get", "get", "read", {}));
    if (has("update")) add(item, itemParams, op("put", "put", "replace", { params: WRITE_PARAMS, body: def }));
    if (has("patch"))
      add(item, itemParams, op("patch", "patch", "patch", { params: [...WRITE_PARAMS, P.force], patch: true }));
    if (has("delete"))
      add(
        item,
        itemParams,
        op("delete", "delete", "delete", {
          params: DELETE_PARAMS,
          body: "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
          response: "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
        }),
      );
    for (const sub of r.subresources ?? []) addSubresource(sub);

    function addSubresource(sub: ServedSubresource) {
      const subGvk = sub.kind ? { group: sub.group ?? "", version: sub.version ?? "v1", kind: sub.kind } : gvk;
      const subDef = sub.text ? "text" : definitionOf(subGvk);
      if (!subDef) return;
      const path = `${item}/${sub.name}`;
      const suffix = camel(sub.name);
      const subOp = (method: Operation["method"], action: Action, word: string, rest: Partial<Operation>) => ({
        ...op(method, action, word, { gvk: subGvk, response: subDef as string, ...rest }),
        operationId: `${word}${gw}${scope}${r.kind}${suffix}`,
        description: `${word} ${sub.name} of the ${r.kind}`,
      });
      const on = (v: Verb) => sub.verbs.includes(v);
      if (on("get")) add(path, itemParams, subOp("get", "get", "read", { params: sub.text ? LOG_PARAMS : [] }));
      if (on("update")) add(path, itemParams, subOp("put", "put", "replace", { params: WRITE_PARAMS, body: subDef }));
      if (on("patch"))
        add(path, itemParams, subOp("patch", "patch", "patch", { params: [...WRITE_PARAMS, P.force], patch: true }));
      if (on("create"))
        add(path, itemParams, subOp("post", "post", "create", { params: WRITE_PARAMS, body: subDef, status: "201" }));
    }
  }
  return paths;
}
