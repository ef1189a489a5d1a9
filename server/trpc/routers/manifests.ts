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
 * its last-applied bookkeeping). An edit (`original`: the text the editor loaded) sends only what
 * the person changed (manifest-edit.ts), so writes meanwhile to other fields are no conflict. `dryRun` validates every document and stores nothing (kinds the
 * API cannot dry-run say so and change nothing).
 */
import { z } from "zod";
import { parseAllDocuments, stringify } from "yaml";
import { AppError } from "../../errors";
import { consoleCaller, kubeRequestAs } from "../../kube-api/in-process";
import { ownsNamespace } from "../../kube-api/objects";
import { createTRPCRouter, tenantProcedure } from "../init";
import type { JsonObject } from "../../kube-api/patch/json";
import { changedMeanwhile, editPatch, originalOf } from "./manifest-edit";
import {
  asPrinted,
  decodeCursor,
  encodeCursor,
  type KubeObjectView,
  type KubeStatus,
  kubeObjectView,
  listPage,
  ownNamespace,
  pathOf,
  servedDefinition,
  servedOrRefused,
  statusError,
  tenantNamespaces,
} from "./manifests-kube";
import { dns1123Schema, textSchema } from "../schemas";

/** Kubernetes' limit on a request body. */
const MAX_MANIFEST_BYTES = 1.5 * 1024 * 1024;
const FIELD_MANAGER = "tenant-console";

type Write = {
  method: "POST" | "PUT" | "PATCH";
  path: string;
  contentType: string;
  liveVersion?: string;
  body?: string;
};

const targetInput = z
  .object({
    kind: textSchema().min(1).max(63),
    /** Namespaced kinds: default the tenant's default namespace. */
    namespace: dns1123Schema.optional(),
    name: textSchema().min(1).max(253),
  })
  .strict();

/** Selectors are parsed by the API (a bad one is BAD_REQUEST there); here only bounded. */
const selectorSchema = textSchema().max(1024).optional();

const listInput = z
  .object({
    kind: textSchema().min(1).max(63),
    namespace: dns1123Schema.optional(),
    allNamespaces: z.boolean().default(false),
    labelSelector: selectorSchema,
    fieldSelector: selectorSchema,
    limit: z.number().int().min(1).max(500).default(500),
    continue: textSchema().max(4096).optional(),
  })
  .strict()
  .refine((i) => !(i.namespace && i.allNamespaces), "Name a namespace or ask for all of them, not both.");

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

/** Parsed YAML documents, or BAD_REQUEST naming the first syntax error. */
function readDocuments(text: string) {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new AppError("BAD_REQUEST", "The text holds no YAML documents.");
  const syntax = docs.flatMap((d) => d.errors);
  if (syntax[0]) throw new AppError("BAD_REQUEST", `The YAML cannot be read: ${syntax[0].message}`);
  return docs;
}

const isJsonObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

type Outcome = Omit<Result, "index" | "kind" | "name">;

/**
 * An edit of a loaded object: nothing to send when nothing changed; a Conflict naming the fields
 * the person changed that somebody else changed too; otherwise the merge patch of their changes,
 * conditional on the live version it was checked against (a write in between is a Conflict too).
 */
async function editWrite(
  services: Parameters<typeof kubeRequestAs>[0],
  caller: ReturnType<typeof consoleCaller>,
  objectPath: string,
  query: string,
  loaded: JsonObject,
  edited: JsonObject,
): Promise<{ write: Write } | Outcome> {
  const patch = editPatch(loaded, edited);
  const loadedVersion = isJsonObject(loaded.metadata) ? loaded.metadata.resourceVersion : undefined;
  if (Object.keys(patch).length === 0)
    return { outcome: "unchanged", ...(typeof loadedVersion === "string" ? { resourceVersion: loadedVersion } : {}) };
  const response = await kubeRequestAs(services, caller, { method: "GET", path: objectPath });
  const live = (await response.json()) as JsonObject & KubeStatus;
  if (!response.ok)
    return { outcome: "failed", message: live.message ?? `HTTP ${response.status}`, reason: live.reason };
  const clashes = changedMeanwhile(patch, loaded, live);
  if (clashes.length > 0)
    return {
      outcome: "failed",
      reason: "Conflict",
      message: `changed by someone else since it was loaded: ${clashes.join(", ")}; reload to see the new values`,
    };
  const liveVersion = isJsonObject(live.metadata) ? String(live.metadata.resourceVersion ?? "") : "";
  const metadata = isJsonObject(patch.metadata) ? patch.metadata : {};
  return {
    write: {
      method: "PATCH",
      path: objectPath + query,
      contentType: "application/merge-patch+json",
      liveVersion,
      body: JSON.stringify({ ...patch, metadata: { ...metadata, resourceVersion: liveVersion } }),
    },
  };
}

export const manifestsRouter = createTRPCRouter({
  /**
   * One object as `kubectl get -o yaml|json` shows it (without managedFields, as kubectl hides them): the
   * object itself, its YAML, and the kubectl command for it. A namespaced kind without a namespace is read
   * from the tenant's default namespace.
   */
  get: tenantProcedure("viewer")
    .input(targetInput)
    .output(z.object({ yaml: z.string(), object: kubeObjectView, resourceVersion: z.string(), kubectl: z.string() }))
    .query(async ({ ctx, input }) => {
      const def = servedOrRefused(input.kind);
      const namespace = def.namespaced ? ownNamespace(ctx, input.namespace) : undefined;
      const response = await kubeRequestAs(ctx.services, consoleCaller(ctx.principal, ctx.tenant), {
        method: "GET",
        path: pathOf(def.apiVersion, def.plural, namespace, input.name),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (!response.ok) throw statusError(body as KubeStatus, response.status);
      const object = asPrinted(body, def);
      const resource = def.group ? `${def.singular}.${def.group}` : def.singular;
      return {
        yaml: stringify(object),
        object,
        resourceVersion: String(object.metadata.resourceVersion ?? ""),
        kubectl: `kubectl edit ${resource}/${input.name}${namespace ? ` -n ${namespace}` : ""}`,
      };
    }),

  /**
   * A page of a kind's objects as the Kubernetes API lists them (`<Kind>List`): in one namespace (default
   * the tenant's default one), or with `allNamespaces` in every namespace of the tenant, one after the
   * other (the API itself refuses a tenant a list across namespaces, as they would be every tenant's).
   * `continue` resumes where the previous page's `metadata.continue` left off.
   */
  list: tenantProcedure("viewer")
    .input(listInput)
    .output(
      z.object({
        apiVersion: z.string(),
        kind: z.string(),
        metadata: z.object({ resourceVersion: z.string(), continue: z.string().optional() }),
        items: z.array(kubeObjectView),
      }),
    )
    .query(async ({ ctx, input }) => {
      const def = servedOrRefused(input.kind);
      const caller = consoleCaller(ctx.principal, ctx.tenant);
      const selectors = { labelSelector: input.labelSelector, fieldSelector: input.fieldSelector };
      const pageIn = (namespace: string | undefined, limit: number, token: string | undefined) =>
        listPage(ctx.services, caller, def, { namespace, limit, continue: token, ...selectors });
      const head = { apiVersion: def.apiVersion, kind: `${def.apiKind}List` };
      if (!def.namespaced || !input.allNamespaces) {
        const namespace = def.namespaced ? ownNamespace(ctx, input.namespace) : undefined;
        return { ...head, ...(await pageIn(namespace, input.limit, input.continue)) };
      }
      // Every namespace of the tenant in name order; the cursor names the namespace and the API's token in it.
      const cursor = decodeCursor(input.continue);
      const namespaces = tenantNamespaces(ctx.services.engine, ctx.tenant.id).names.filter((n) => n >= cursor.ns);
      const items: KubeObjectView[] = [];
      let resourceVersion: string | undefined;
      let token = namespaces[0] === cursor.ns ? cursor.c : undefined;
      for (const [i, ns] of namespaces.entries()) {
        const page = await pageIn(ns, input.limit - items.length, token);
        resourceVersion ??= page.metadata.resourceVersion;
        items.push(...page.items);
        token = undefined;
        const next = page.metadata.continue
          ? { ns, c: page.metadata.continue }
          : items.length >= input.limit && namespaces[i + 1]
            ? { ns: namespaces[i + 1] as string }
            : undefined;
        if (next) return { ...head, metadata: { resourceVersion, continue: encodeCursor(next) }, items };
      }
      return { ...head, metadata: { resourceVersion: resourceVersion ?? "" }, items };
    }),

  /** Apply every document of `yaml` (see the file's comment); one result per document. */
  applyYaml: tenantProcedure("member")
    .input(
      z
        .object({
          yaml: z.string().max(MAX_MANIFEST_BYTES, "A manifest may be at most 1.5 MiB."),
          /** Editing: the text the editor loaded (manifests.get's yaml), which `yaml` is an edit of. */
          original: z.string().max(MAX_MANIFEST_BYTES, "A manifest may be at most 1.5 MiB.").optional(),
          dryRun: z.boolean().default(false),
        })
        .strict(),
    )
    .output(z.object({ results: z.array(resultView), warnings: z.array(z.string()) }))
    .mutation(async ({ ctx, input }) => {
      const docs = readDocuments(input.yaml);
      const originals =
        input.original === undefined
          ? []
          : readDocuments(input.original)
              .map((d) => d.toJS() as unknown)
              .filter(isJsonObject);
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
        const loaded = originalOf(value as JsonObject, originals);
        if (loaded) {
          const edit = await editWrite(ctx.services, caller, objectPath, query, loaded, value as JsonObject);
          if ("outcome" in edit) {
            results.push({ index, kind, name, ...edit });
            continue;
          }
          ({ write } = edit);
        } else if (obj.metadata?.resourceVersion !== undefined)
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
        const response = await kubeRequestAs(ctx.services, caller, {
          ...write,
          body: write.body ?? JSON.stringify(body),
        });
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
