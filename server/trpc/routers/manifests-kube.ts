/**
 * The manifests router's calls of the Kubernetes API, in process as the signed-in member: paths,
 * Status answers as the console's errors, objects as kubectl prints them, a page of a list, and
 * the tenant's namespaces (the default one; another tenant's reads as missing, as everywhere in
 * the console, where the API itself would say Forbidden).
 */
import { z } from "zod";
import { findKindByApiKind } from "../../engine";
import { AppError } from "../../errors";
import { servedKind } from "../../kube-api/catalog";
import { type consoleCaller, kubeRequestAs } from "../../kube-api/in-process";
import { ownsNamespace } from "../../kube-api/objects";
import type { Services } from "../../services";

/** A Kubernetes object as the API serves it: apiVersion, kind, metadata, and whatever else its kind has. */
export const kubeObjectView = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string().optional(), resourceVersion: z.string().optional() }),
});
export type KubeObjectView = z.infer<typeof kubeObjectView>;

export interface KubeStatus {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { field?: string; message?: string }[] };
}

/** The registry's definition of a kind the Kubernetes API serves. */
export function servedDefinition(apiVersion: string | undefined, kind: string) {
  const def = findKindByApiKind(kind);
  if (!def || !servedKind(def.kind) || (apiVersion !== undefined && def.apiVersion !== apiVersion)) return undefined;
  return def;
}

/** The API path of one object (or, without a name, its collection). */
export function pathOf(apiVersion: string, plural: string, namespace: string | undefined, name?: string): string {
  const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${plural}${name ? `/${encodeURIComponent(name)}` : ""}`;
}

/** A Status answer as the console's error (404 → NOT_FOUND, 403 → FORBIDDEN, …). */
export function statusError(status: KubeStatus, httpStatus: number): AppError {
  const message = status.message ?? `the Kubernetes API answered ${httpStatus}`;
  if (httpStatus === 404) return new AppError("NOT_FOUND", message);
  if (httpStatus === 403) return new AppError("FORBIDDEN", message);
  if (httpStatus === 409) return new AppError("CONFLICT", message);
  return new AppError("BAD_REQUEST", message);
}

/** A served kind's definition, or BAD_REQUEST. */
export function servedOrRefused(kind: string) {
  const def = servedDefinition(undefined, kind);
  if (!def) throw new AppError("BAD_REQUEST", `the kind ${kind} is not served`);
  return def;
}

/** The tenant's namespaces, sorted by name, and its default one. */
export function tenantNamespaces(engine: Services["engine"], tenantId: string) {
  const names: string[] = [];
  let defaultName: string | undefined;
  for (const ns of engine.eachObject("Namespace")) {
    if (ns.tenantId !== tenantId) continue;
    names.push(ns.name);
    if (ns.tenantDefault) defaultName = ns.name;
  }
  return { names: names.sort(), defaultName };
}

/** The namespace to act in: the one named, if it is the tenant's (another tenant's reads as missing), else the default. */
export function ownNamespace(ctx: { services: Services; tenant: { id: string } }, named: string | undefined): string {
  if (named === undefined) {
    const fallback = tenantNamespaces(ctx.services.engine, ctx.tenant.id).defaultName;
    if (!fallback) throw new AppError("NOT_FOUND", "the tenant has no default namespace");
    return fallback;
  }
  if (!ownsNamespace(ctx.services.engine, ctx.tenant.id, named))
    throw new AppError("NOT_FOUND", `namespaces "${named}" not found`);
  return named;
}

/** What kubectl prints of an object the API served: with its apiVersion and kind, without managedFields. */
export function asPrinted(body: Record<string, unknown>, def: { apiVersion: string; apiKind: string }): KubeObjectView {
  const { managedFields: _hidden, ...metadata } = (body.metadata ?? {}) as Record<string, unknown>;
  return {
    ...body,
    apiVersion: String(body.apiVersion ?? def.apiVersion),
    kind: String(body.kind ?? def.apiKind),
    metadata,
  };
}

/** One page of the API's list of `def` (in `namespace`, if namespaced). */
export async function listPage(
  services: Services,
  caller: ReturnType<typeof consoleCaller>,
  def: NonNullable<ReturnType<typeof servedDefinition>>,
  q: { namespace?: string; limit: number; continue?: string; labelSelector?: string; fieldSelector?: string },
) {
  const query = new URLSearchParams({ limit: String(q.limit) });
  for (const key of ["continue", "labelSelector", "fieldSelector"] as const) {
    const value = q[key];
    if (value) query.set(key, value);
  }
  const response = await kubeRequestAs(services, caller, {
    method: "GET",
    path: `${pathOf(def.apiVersion, def.plural, q.namespace)}?${query}`,
  });
  const body = (await response.json()) as {
    metadata?: { resourceVersion?: string; continue?: string };
    items?: Record<string, unknown>[];
  };
  if (!response.ok) throw statusError(body as KubeStatus, response.status);
  return {
    metadata: {
      resourceVersion: body.metadata?.resourceVersion ?? "",
      ...(body.metadata?.continue ? { continue: body.metadata.continue } : {}),
    },
    items: (body.items ?? []).map((item) => asPrinted(item, def)),
  };
}

/** The all-namespaces cursor: the namespace to go on in, and the API's continue token there. */
type Cursor = { ns: string; c?: string };
export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
export function decodeCursor(text: string | undefined): Cursor {
  if (!text) return { ns: "" };
  try {
    const c = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Partial<Cursor>;
    if (typeof c.ns === "string" && (c.c === undefined || typeof c.c === "string")) return { ns: c.ns, c: c.c };
  } catch {
    // not ours: refused below
  }
  throw new AppError("BAD_REQUEST", "continue is not a token this list gave");
}
