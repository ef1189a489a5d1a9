/**
 * The console's YAML tab: an object as its Kubernetes manifest, and manifests applied. Both go
 * through the Kubernetes API's own handler, in process, as the signed-in member (their tenant and
 * role), so the console, kubectl and the client libraries read and write the same objects by the
 * same rules: conversion, validation with field paths, preconditions, kinds not served.
 *
 * apply, per document of a multi-document text, in order (as `kubectl apply` goes on past a
 * failed document): a kind the API does not serve is skipped and named; a document carrying
 * `metadata.resourceVersion` (an edit of what `get` gave) replaces the object only if nobody
 * changed it since (Conflict otherwise); any other document creates its object when it is
 * missing, else is merged into it as a strategic merge patch (what `kubectl apply` sends, without
 * its last-applied bookkeeping). `dryRun` validates every document and stores nothing (kinds the
 * API cannot dry-run say so and change nothing).
 */
import { z } from "zod";
import { parseAllDocuments, stringify } from "yaml";
import { findKindByApiKind } from "../../engine";
import { AppError } from "../../errors";
import { servedKind } from "../../kube-api/catalog";
import { consoleCaller, kubeRequestAs } from "../../kube-api/in-process";
import { ownsNamespace } from "../../kube-api/objects";
import { createTRPCRouter, tenantProcedure } from "../init";
import { dns1123Schema, textSchema } from "../schemas";

/** Kubernetes' limit on a request body. */
const MAX_MANIFEST_BYTES = 1.5 * 1024 * 1024;
const FIELD_MANAGER = "tenant-console";

type Write = { method: "POST" | "PUT" | "PATCH"; path: string; contentType: string; liveVersion?: string };

const targetInput = z
  .object({
    kind: textSchema().min(1).max(63),
    namespace: dns1123Schema.optional(),
    name: textSchema().min(1).max(253),
  })
  .strict();

const resultView = z.object({
  index: z.number(),
  kind: z.string(),
  name: z.string(),
  outcome: z.enum(["created", "configured", "unchanged", "skipped", "failed"]),
  message: z.string().optional(),
  reason: z.string().optional(),
  causes: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  resourceVersion: z.string().optional(),
});
type Result = z.infer<typeof resultView>;

interface KubeStatus {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { field?: string; message?: string }[] };
}

/** The registry's definition of a kind the Kubernetes API serves. */
function servedDefinition(apiVersion: string | undefined, kind: string) {
  const def = findKindByApiKind(kind);
  if (!def || !servedKind(def.kind) || (apiVersion !== undefined && def.apiVersion !== apiVersion)) return undefined;
  return def;
}

/** The API path of one object (or, without a name, its collection). */
function pathOf(apiVersion: string, plural: string, namespace: string | undefined, name?: string): string {
  const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${plural}${name ? `/${encodeURIComponent(name)}` : ""}`;
}

/** A Status answer as the console's error (404 → NOT_FOUND, 403 → FORBIDDEN, …). */
function statusError(status: KubeStatus, httpStatus: number): AppError {
  const message = status.message ?? `the Kubernetes API answered ${httpStatus}`;
  if (httpStatus === 404) return new AppError("NOT_FOUND", message);
  if (httpStatus === 403) return new AppError("FORBIDDEN", message);
  if (httpStatus === 409) return new AppError("CONFLICT", message);
  return new AppError("BAD_REQUEST", message);
}

export const manifestsRouter = createTRPCRouter({
  /** One object as `kubectl get -o yaml` shows it (without managedFields), and the kubectl command for it. */
  get: tenantProcedure("viewer")
    .input(targetInput)
    .output(z.object({ yaml: z.string(), resourceVersion: z.string(), kubectl: z.string() }))
    .query(async ({ ctx, input }) => {
      const def = servedDefinition(undefined, input.kind);
      if (!def) throw new AppError("BAD_REQUEST", `the kind ${input.kind} is not served`);
      const namespace = def.namespaced ? input.namespace : undefined;
      if (def.namespaced && !namespace) throw new AppError("BAD_REQUEST", "a namespaced kind needs its namespace");
      // Another tenant's namespace reads as missing, as everywhere in the console (the API says Forbidden).
      if (namespace && !ownsNamespace(ctx.services.engine, ctx.tenant.id, namespace))
        throw new AppError("NOT_FOUND", `namespaces "${namespace}" not found`);
      const caller = consoleCaller(ctx.principal, ctx.tenant);
      const response = await kubeRequestAs(ctx.services, caller, {
        method: "GET",
        path: pathOf(def.apiVersion, def.plural, namespace, input.name),
      });
      const body = (await response.json()) as Record<string, unknown> & { metadata?: Record<string, unknown> };
      if (!response.ok) throw statusError(body as KubeStatus, response.status);
      const { managedFields: _hidden, ...metadata } = body.metadata ?? {};
      const resource = def.group ? `${def.singular}.${def.group}` : def.singular;
      return {
        yaml: stringify({ ...body, metadata }),
        resourceVersion: String(metadata.resourceVersion ?? ""),
        kubectl: `kubectl edit ${resource}/${input.name}${namespace ? ` -n ${namespace}` : ""}`,
      };
    }),

  /** Apply every document of `yaml` (see the file's comment); one result per document. */
  applyYaml: tenantProcedure("member")
    .input(
      z
        .object({
          yaml: z.string().max(MAX_MANIFEST_BYTES, "A manifest may be at most 1.5 MiB."),
          dryRun: z.boolean().default(false),
        })
        .strict(),
    )
    .output(z.object({ results: z.array(resultView), warnings: z.array(z.string()) }))
    .mutation(async ({ ctx, input }) => {
      const docs = parseAllDocuments(input.yaml);
      if (!Array.isArray(docs)) throw new AppError("BAD_REQUEST", "The text holds no YAML documents.");
      const syntax = docs.flatMap((d) => d.errors);
      if (syntax[0]) throw new AppError("BAD_REQUEST", `The YAML cannot be read: ${syntax[0].message}`);
      const caller = consoleCaller(ctx.principal, ctx.tenant);
      const defaultNamespace = ctx.services.engine
        .listNamespaces(ctx.tenant.id, { limit: 1000 })
        .items.find((n) => n.tenantDefault)?.name;
      const results: Result[] = [];
      const warnings: string[] = [];
      for (const [index, doc] of docs.entries()) {
        const value = doc.toJS() as unknown;
        if (value === null || value === undefined) continue; // an empty document (a trailing ---)
        const obj = value as { apiVersion?: unknown; kind?: unknown; metadata?: Record<string, unknown> };
        const kind = typeof obj.kind === "string" ? obj.kind : "";
        const name = typeof obj.metadata?.name === "string" ? obj.metadata.name : "";
        const fail = (message: string): Result => ({ index, kind, name, outcome: "failed", message });
        if (typeof value !== "object" || Array.isArray(value) || !kind || typeof obj.apiVersion !== "string") {
          results.push(fail("a manifest needs apiVersion and kind"));
          continue;
        }
        const def = servedDefinition(obj.apiVersion, kind);
        if (!def) {
          results.push({ index, kind, name, outcome: "skipped" });
          continue;
        }
        if (!name) {
          results.push(fail("metadata.name is required"));
          continue;
        }
        const namespace = def.namespaced
          ? typeof obj.metadata?.namespace === "string"
            ? obj.metadata.namespace
            : defaultNamespace
          : undefined;
        if (namespace && !ownsNamespace(ctx.services.engine, ctx.tenant.id, namespace)) {
          results.push(fail(`namespaces "${namespace}" not found`));
          continue;
        }
        const query = `?${input.dryRun ? "dryRun=All&" : ""}fieldManager=${FIELD_MANAGER}`;
        const objectPath = pathOf(def.apiVersion, def.plural, namespace, name);
        const body = def.namespaced ? { ...obj, metadata: { ...obj.metadata, namespace } } : obj;
        let write: Write;
        if (obj.metadata?.resourceVersion !== undefined)
          write = { method: "PUT", path: objectPath + query, contentType: "application/json" };
        else {
          const live = await kubeRequestAs(ctx.services, caller, { method: "GET", path: objectPath });
          const liveBody = (await live.json()) as { metadata?: { resourceVersion?: string } };
          write =
            live.status === 404
              ? {
                  method: "POST",
                  path: pathOf(def.apiVersion, def.plural, namespace) + query,
                  contentType: "application/json",
                }
              : {
                  method: "PATCH",
                  path: objectPath + query,
                  contentType: "application/strategic-merge-patch+json",
                  liveVersion: liveBody.metadata?.resourceVersion,
                };
        }
        const response = await kubeRequestAs(ctx.services, caller, { ...write, body: JSON.stringify(body) });
        for (const w of response.headers.get("warning")?.split(/,\s*(?=299 )/) ?? [])
          warnings.push(w.replace(/^299 - "?|"$/g, ""));
        const answer = (await response.json()) as KubeStatus & { metadata?: { resourceVersion?: string } };
        if (!response.ok) {
          results.push({
            index,
            kind,
            name,
            outcome: "failed",
            message: answer.message ?? `HTTP ${response.status}`,
            reason: answer.reason,
            causes: (answer.details?.causes ?? [])
              .filter((c) => c.field)
              .map((c) => ({ field: c.field as string, message: c.message ?? "" })),
          });
          continue;
        }
        const rv = answer.metadata?.resourceVersion;
        const before = write.liveVersion ?? obj.metadata?.resourceVersion;
        const outcome =
          write.method === "POST" ? "created" : rv !== undefined && rv === before ? "unchanged" : "configured";
        results.push({ index, kind, name, outcome, resourceVersion: rv });
      }
      return { results, warnings };
    }),
});
