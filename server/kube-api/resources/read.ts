/**
 * get, list (JSON or Table, paged, selected) and watch of the served kinds and views. Objects
 * are converted with the served definition (a view's shape for a view), and a view's field
 * selector is renamed to the stored kind's labels before anything is matched.
 */
import type { AnyKindDefinition, ConversionContext, EngineObject, KubeObject } from "../../engine";
import { isEngineError, toTable } from "../../engine";
import type { ServedResource } from "../catalog";
import type { KubeRequest } from "../context";
import { includeObject, representation, tableContentType, queryFlag, wholeBody } from "../negotiate";
import {
  checkNamespaceAccess,
  checkSelectors,
  getVisible,
  listVisible,
  ownsNamespace,
  partialMetadata,
  type ReadScope,
  SHARED_KINDS,
  sortKey,
  visible,
} from "../objects";
import { keepListSnapshot, listSnapshot } from "../list-snapshots";
import { tableCache } from "../table-cache";
import { rowsReadObjectAlone, tableJson } from "../table-json";
import { hasReadStatus, withReadStatus } from "./read-status";
import { decodeContinue, pageOf, parseLimit } from "../paging";
import { badRequest, forbiddenError } from "../status";
import { DEFAULT_TIMEOUT_SECONDS, parseWatchRv, watchStream } from "../watch";

export function readScope(req: KubeRequest): ReadScope {
  return { caller: req.caller, ...(req.target.namespace !== undefined ? { namespace: req.target.namespace } : {}) };
}

const listKind = (def: AnyKindDefinition) => `${def.apiKind}List`;

/** An object in the served definition's shape (for a view: its version, not the stored kind's). */
const toKube = (def: AnyKindDefinition, o: EngineObject, ctx: ConversionContext): KubeObject =>
  (def.toKubernetes as (obj: EngineObject, c: ConversionContext) => KubeObject)(o, ctx);

/**
 * What a Table row carries as `object` (`includeObject`): nothing, the whole object, or by default
 * its metadata, converted alone where the kind can (a pod's whole conversion is most of a Table's cost).
 */
function rowObject(
  def: AnyKindDefinition,
  mode: ReturnType<typeof includeObject>,
  ctx: ConversionContext,
): (o: EngineObject) => unknown {
  if (mode === "None") return () => undefined;
  if (mode === "Object") return (o) => toKube(def, o, ctx);
  const metadataOf = def.metadataToKubernetes as
    | ((obj: EngineObject, c: ConversionContext) => KubeObject["metadata"])
    | undefined;
  if (metadataOf) return (o) => partialMetadata({ metadata: metadataOf(o, ctx) });
  return (o) => partialMetadata(toKube(def, o, ctx));
}

/** GET of one object (JSON or a one-row Table). */
export function getObject(req: KubeRequest, { def }: ServedResource, name: string): Response {
  const scope = readScope(req);
  checkNamespaceAccess(req.engine, scope, def, "get");
  if (
    def.kind === "Namespace" &&
    req.caller.scope === "tenant" &&
    !ownsNamespace(req.engine, req.caller.tenantId, name)
  )
    throw forbiddenError(
      `namespaces "${name}" is forbidden: User "${req.caller.username}" cannot get resource "namespaces" in API group "" in the namespace "${name}"`,
      { name, resource: "namespaces" },
    );
  const obj = getVisible(req.engine, def, scope, name);
  return render(req, def, [obj], undefined);
}

/** GET of a collection, or a watch of it with ?watch=true. */
export function listObjects(req: KubeRequest, served: ServedResource): Response {
  const { def } = served;
  const q = req.url.searchParams;
  const watching = queryFlag(q, "watch");
  const scope = readScope(req);
  checkNamespaceAccess(req.engine, scope, def, watching ? "watch" : "list", q.get("fieldSelector"));
  const fieldSelector = q.get("fieldSelector") ?? undefined;
  const selectors = {
    labelSelector: q.get("labelSelector") ?? undefined,
    fieldSelector: served.fieldLabels ? renameFieldLabels(fieldSelector, served.fieldLabels) : fieldSelector,
  };
  if (watching) return watchObjects(req, def, scope, selectors);
  const limit = parseLimit(q.get("limit"));
  const now = Date.now();
  const raw = q.get("continue");
  const token = raw ? decodeContinue(raw, now) : undefined;
  // What identifies this list and who asks: a snapshot serves only the same list to the same caller.
  const list = JSON.stringify([callerKey(req), def.kind, scope.namespace ?? null, selectors]);
  const all =
    (token?.s ? listSnapshot(token.s, list, now) : undefined) ?? listVisible(req.engine, def, scope, selectors);
  const page = pageOf(all, sortKey, {
    limit,
    continueToken: token,
    currentRv: String(req.engine.currentRevision()),
    now,
    keepSnapshot: () => keepListSnapshot(list, all, now),
  });
  // The whole list in one answer (no page before or after it) is what the Table cache keeps.
  const whole = token === undefined && !page.continue;
  const wholeList = whole ? JSON.stringify([scopeKey(req), scope.namespace ?? null, selectors]) : undefined;
  return render(req, def, page.items, { resourceVersion: page.resourceVersion, continue: page.continue, wholeList });
}

interface ListHead {
  resourceVersion: string;
  continue?: string;
  /** For a list that is not a page of a longer one: what identifies it besides its kind and objects. */
  wholeList?: string;
}

function render(req: KubeRequest, def: AnyKindDefinition, objs: EngineObject[], list: ListHead | undefined): Response {
  const rep = representation(req.request.headers.get("accept"));
  const ctx = req.conversion();
  const shown = withReadStatus(req.engine, objs);
  if (rep.kind === "table") return renderTable(req, def, shown, ctx, rep.version, list);
  const value = list
    ? {
        kind: listKind(def),
        apiVersion: def.apiVersion,
        metadata: { resourceVersion: list.resourceVersion, ...(list.continue ? { continue: list.continue } : {}) },
        items: shown.map((o) => toKube(def, o, ctx)),
      }
    : toKube(def, shown[0] as EngineObject, ctx);
  return wholeBody(req.request, JSON.stringify(value), "application/json");
}

/**
 * A Table, from the Table cache when this very list was rendered within the same second. Only
 * whole lists of kinds whose rows read the object alone, with the default row object, are kept:
 * `shown` are the stored objects themselves for those kinds (withReadStatus adds status to
 * other kinds only, as new objects, which would never hit). A hit keeps the resourceVersion it was
 * rendered at, a revision at which this list was exactly these objects (table-cache.ts).
 */
function renderTable(
  req: KubeRequest,
  def: AnyKindDefinition,
  shown: EngineObject[],
  ctx: ConversionContext,
  version: "v1" | "v1beta1",
  list: ListHead | undefined,
): Response {
  const mode = includeObject(req.url.searchParams.get("includeObject"));
  const { second, cells } = clockSecond(ctx);
  const contentType = tableContentType(version);
  const id =
    list?.wholeList !== undefined && second !== undefined && mode === "Metadata" && rowsReadObjectAlone(def)
      ? { owner: req.engine, def, key: `${def.apiVersion}/${def.apiKind} ${version} ${list.wholeList}`, second }
      : undefined;
  const hit = id && tableCache.find(id, shown);
  if (hit) return wholeBody(req.request, hit.body, contentType, hit.gzipped);
  const body = tableJson(def, shown, cells, {
    apiVersion: version === "v1beta1" ? "meta.k8s.io/v1beta1" : "meta.k8s.io/v1",
    metadata: {
      ...(list ? { resourceVersion: list.resourceVersion } : {}),
      ...(list?.continue ? { continue: list.continue } : {}),
    },
    rowObject: rowObject(def, mode, ctx),
    defaultRowObject: mode === "Metadata",
  });
  if (!id) return wholeBody(req.request, body, contentType);
  const entry = tableCache.keep(id, shown, body);
  return wholeBody(req.request, entry.body, contentType, entry.gzipped);
}

/**
 * The context a Table's cells read the clock from: its current second, read as that second's
 * last millisecond. An age then counts whole seconds from the creation's second to the clock's
 * second, as kube-apiserver's do (metav1.Time keeps whole seconds, and the creationTimestamp a
 * row shows is that second), and every Table rendered within one second shows the same ages.
 */
function clockSecond(ctx: ConversionContext): { second: number | undefined; cells: ConversionContext } {
  if (ctx.now === undefined) return { second: undefined, cells: ctx };
  const second = Math.floor(ctx.now() / 1000);
  const secondEnd = second * 1000 + 999;
  return { second, cells: { ...ctx, now: () => secondEnd } };
}

function watchObjects(
  req: KubeRequest,
  def: AnyKindDefinition,
  scope: ReadScope,
  selectors: { labelSelector?: string; fieldSelector?: string },
): Response {
  const q = req.url.searchParams;
  const rv = parseWatchRv(q.get("resourceVersion"));
  if (rv === "bad") throw badRequest(`resourceVersion: Invalid value: "${q.get("resourceVersion")}"`);
  const sendInitialEvents = queryFlag(q, "sendInitialEvents");
  if (sendInitialEvents && rv !== undefined)
    throw badRequest('sendInitialEvents is supported only without a resourceVersion (or with "0")');
  const timeoutRaw = q.get("timeoutSeconds");
  if (timeoutRaw !== null && !/^\d{1,7}$/.test(timeoutRaw))
    throw badRequest(`timeoutSeconds: Invalid value: "${timeoutRaw}": must be a non-negative integer`);
  const timeoutSeconds = Math.min(Number(timeoutRaw ?? DEFAULT_TIMEOUT_SECONDS) || DEFAULT_TIMEOUT_SECONDS, 86_400);
  // Parse the selectors now (BadRequest before the stream starts), via the initial list's matcher.
  checkSelectors(def, selectors);
  const initialObjects = rv === undefined ? listVisible(req.engine, def, scope, selectors) : [];
  const rep = representation(req.request.headers.get("accept"));
  const mode = includeObject(q.get("includeObject"));
  const renderOne = (stored: EngineObject, ctx: ReturnType<KubeRequest["conversion"]>) => {
    // A deleted object's status cannot be asked for any more: its last stored form is what it was.
    const o = hasReadStatus(stored.kind) ? (findWithStatus(req, stored) ?? stored) : stored;
    if (rep.kind !== "table") return toKube(def, o, ctx);
    const table = toTable(def as never, [o] as never[], clockSecond(ctx).cells, rowObject(def, mode, ctx), {});
    if (rep.version === "v1beta1") (table as { apiVersion: string }).apiVersion = "meta.k8s.io/v1beta1";
    return table;
  };
  const body = watchStream({
    engine: req.engine,
    kind: def.kind,
    // A shared kind's objects are no tenant's: a tenant watches them all, as it lists them.
    ...(req.caller.scope === "tenant" && !SHARED_KINDS.has(def.kind) ? { tenantId: req.caller.tenantId } : {}),
    ...(scope.namespace !== undefined ? { namespace: scope.namespace } : {}),
    ...selectors,
    ...(rv !== undefined ? { resourceVersion: rv } : {}),
    sendInitialEvents,
    allowBookmarks: queryFlag(q, "allowWatchBookmarks") || sendInitialEvents,
    timeoutSeconds,
    initial: () => initialObjects,
    visible: (o) => visible(scope, o),
    render: renderOne,
    bookmark: (resourceVersion, initialEnd) => ({
      kind: def.apiKind,
      apiVersion: def.apiVersion,
      metadata: {
        resourceVersion,
        ...(initialEnd ? { annotations: { "k8s.io/initial-events-end": "true" } } : {}),
      },
    }),
    conversion: () => req.conversion(),
    signal: req.request.signal,
  });
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": rep.kind === "table" ? tableContentType(rep.version) : "application/json",
      "cache-control": "no-cache, private",
    },
  });
}

/**
 * A view's field selector in the stored kind's labels (`regarding.name=x` → `involvedObject.name=x`),
 * terms and values kept as written; a label the view does not list is BadRequest, in
 * kube-apiserver's words. Terms split on unescaped commas, as the selector parser does.
 */
export function renameFieldLabels(
  selector: string | undefined,
  labels: Readonly<Record<string, string>>,
): string | undefined {
  if (!selector?.trim()) return selector;
  return splitTerms(selector)
    .map((term) => {
      const at = term.search(/!=|=/);
      if (at < 0) return term; // not a term: the selector parser refuses it in its own words
      const label = term.slice(0, at).trim();
      const renamed = Object.hasOwn(labels, label) ? labels[label] : undefined;
      if (renamed === undefined) throw badRequest(`field label not supported: ${label}`);
      return renamed + term.slice(at);
    })
    .join(",");
}

function splitTerms(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === ",") {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/**
 * Whose view of the objects a kept Table is: the tenant's (or the operators'). What a caller may
 * list is checked before (checkNamespaceAccess), and rendering reads nothing of the caller.
 */
const scopeKey = (req: KubeRequest): string =>
  req.caller.scope === "tenant" ? `tenant:${req.caller.tenantId}` : "operator";

/** The caller a list snapshot belongs to: its principal (token) and, for a tenant, its tenant. */
function callerKey(req: KubeRequest): string {
  const c = req.caller;
  const principal = c.principal.kind === "token" ? `token:${c.principal.tokenId}` : `session:${c.principal.sessionId}`;
  return `${principal}/${c.tenantId ?? "operator"}`;
}

/** A stored object with its read-time status, or undefined when it is gone (its watch event is a deletion). */
function findWithStatus(req: KubeRequest, o: EngineObject): EngineObject | undefined {
  try {
    return withReadStatus(req.engine, [o])[0];
  } catch (error) {
    if (isEngineError(error) && error.code === "NOT_FOUND") return undefined;
    throw error;
  }
}
