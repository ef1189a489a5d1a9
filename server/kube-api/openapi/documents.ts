/**
 * The served documents: `/openapi/v2` (swagger 2.0), the `/openapi/v3` index and one OpenAPI 3.0
 * document per group-version, each carrying the paths of its served resources and the schemas
 * those reach. Built lazily once per OpenApiDocuments and then answered from memory: the bodies
 * are serialized once, and a document's hash (the `?hash=` of its serverRelativeURL, usable as an
 * ETag) changes only when its content does, so clients may cache it for as long as they like.
 */
import { createHash } from "node:crypto";
import { allDefinitions, closure, definitionNameOf, refName } from "./definitions";
import { type Operation, type Param, type PathItem, pathsFor } from "./paths";
import type { Schema } from "./schema-types";
import { groupVersionPath, type ServedResource } from "./served";

export interface ServedDocument {
  document: Record<string, unknown>;
  /** The document serialized as JSON, to answer as is. */
  body: string;
  /** Hex SHA-256 of body: the v3 `?hash=` and a strong ETag. */
  hash: string;
}

export interface V3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

const INFO = { title: "Kubernetes", version: "v1.32.0" };
const PATCH_TYPES = [
  "application/apply-patch+yaml",
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
];
const MEDIA = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];
const PATCH_DEF = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

const served = (document: Record<string, unknown>): ServedDocument => {
  const body = JSON.stringify(document);
  return { document, body, hash: createHash("sha256").update(body).digest("hex").toUpperCase() };
};

/** Definition names an operation set refers to directly. */
function referenced(paths: Record<string, PathItem>): string[] {
  const names = new Set<string>();
  for (const item of Object.values(paths))
    for (const op of item.operations) {
      if (op.response !== "text") names.add(op.response);
      if (op.body && op.body !== "text") names.add(op.body);
      if (op.patch) names.add(PATCH_DEF);
    }
  return [...names];
}

const sortedEntries = <T>(o: Record<string, T>) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));

/** A definition with its `$ref`s pointing into components/schemas; a `$ref` with siblings becomes allOf. */
function toV3Schema(s: Schema): Schema {
  const out: Schema = { ...s };
  if (s.$ref) {
    const { $ref, ...rest } = s;
    const ref = `#/components/schemas/${refName($ref)}`;
    return Object.keys(rest).length === 0 ? { $ref: ref } : { ...rest, allOf: [{ $ref: ref }] };
  }
  if (s.properties)
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toV3Schema(v)]));
  if (s.items) out.items = toV3Schema(s.items);
  if (typeof s.additionalProperties === "object") out.additionalProperties = toV3Schema(s.additionalProperties);
  return out;
}

const v2Param = (p: Param) => ({
  name: p.name,
  in: p.in,
  description: p.description,
  type: p.type,
  uniqueItems: true,
  ...(p.required ? { required: true } : {}),
});
const v3Param = (p: Param) => ({
  name: p.name,
  in: p.in,
  description: p.description,
  ...(p.required ? { required: true } : {}),
  schema: { type: p.type, uniqueItems: true },
});

const extensions = (op: Operation) => ({
  "x-kubernetes-action": op.action,
  "x-kubernetes-group-version-kind": op.gvk,
});

function v2Operation(op: Operation) {
  const schema = op.response === "text" ? { type: "string" } : { $ref: `#/definitions/${op.response}` };
  const body = op.patch ? PATCH_DEF : op.body;
  return {
    description: op.description,
    operationId: op.operationId,
    consumes: op.patch ? PATCH_TYPES : ["*/*"],
    produces: op.response === "text" ? ["text/plain", "application/json"] : MEDIA,
    schemes: ["https"],
    parameters: [
      ...(body ? [{ name: "body", in: "body", required: !!op.patch, schema: { $ref: `#/definitions/${body}` } }] : []),
      ...op.params.map(v2Param),
    ],
    responses: { [op.status]: { description: "OK", schema }, "401": { description: "Unauthorized" } },
    ...extensions(op),
  };
}

function v3Operation(op: Operation) {
  const schema = op.response === "text" ? { type: "string" } : { $ref: `#/components/schemas/${op.response}` };
  const body = op.patch ? PATCH_DEF : op.body;
  const types = op.patch ? PATCH_TYPES : ["*/*"];
  const media = op.response === "text" ? ["text/plain"] : MEDIA;
  return {
    description: op.description,
    operationId: op.operationId,
    ...(op.params.length > 0 ? { parameters: op.params.map(v3Param) } : {}),
    ...(body
      ? {
          requestBody: {
            content: Object.fromEntries(types.map((t) => [t, { schema: { $ref: `#/components/schemas/${body}` } }])),
            ...(op.patch ? { required: true } : {}),
          },
        }
      : {}),
    responses: {
      [op.status]: { description: "OK", content: Object.fromEntries(media.map((m) => [m, { schema }])) },
      "401": { description: "Unauthorized" },
    },
    ...extensions(op),
  };
}

function renderPaths(paths: Record<string, PathItem>, version: 2 | 3) {
  return Object.fromEntries(
    sortedEntries(paths).map(([path, item]) => [
      path,
      {
        ...Object.fromEntries(
          item.operations.map((op) => [op.method, version === 2 ? v2Operation(op) : v3Operation(op)]),
        ),
        parameters: item.params.map((p) => (version === 2 ? v2Param(p) : v3Param(p))),
      },
    ]),
  );
}

/** The documents of one list of served resources; everything is built on first use and kept. */
export class OpenApiDocuments {
  private v2Doc: ServedDocument | undefined;
  private v3Docs: Map<string, ServedDocument> | undefined;
  private readonly gvPaths: string[];

  readonly resources: readonly ServedResource[];

  /** A resource listed twice (same group, version and plural) counts once: the first wins. */
  constructor(resources: readonly ServedResource[]) {
    const byKey = new Map<string, ServedResource>();
    for (const r of resources) {
      const key = `${r.group}/${r.version}/${r.plural}`;
      if (!byKey.has(key)) byKey.set(key, r);
    }
    this.resources = [...byKey.values()];
    this.gvPaths = [...new Set(this.resources.map((r) => groupVersionPath(r.group, r.version)))].sort();
  }

  /** `/openapi/v3`: each served group-version and the URL of its document, `?hash=` included. */
  v3Index(prefix = ""): V3Index {
    const docs = this.v3All();
    return {
      paths: Object.fromEntries(
        [...docs].map(([gv, d]) => [gv, { serverRelativeURL: `${prefix}/openapi/v3/${gv}?hash=${d.hash}` }]),
      ),
    };
  }

  /** `/openapi/v3/<gv>` for `api/v1`, `apis/apps/v1`, … (a leading slash is accepted); undefined if not served. */
  v3GroupVersion(gvPath: string): ServedDocument | undefined {
    return this.v3All().get(gvPath.replace(/^\/+/, "").replace(/\/+$/, ""));
  }

  /** `/openapi/v2`: every served path and the definitions they reach, in one swagger 2.0 document. */
  v2(): ServedDocument {
    if (!this.v2Doc) {
      const paths: Record<string, PathItem> = {};
      for (const gv of this.gvPaths) Object.assign(paths, pathsFor(this.resources, gv, definitionNameOf));
      const defs = allDefinitions();
      this.v2Doc = served({
        swagger: "2.0",
        info: INFO,
        paths: renderPaths(paths, 2),
        definitions: Object.fromEntries(closure(referenced(paths)).map((n) => [n, defs[n]])),
        securityDefinitions: { BearerToken: { type: "apiKey", name: "authorization", in: "header" } },
        security: [{ BearerToken: [] }],
      });
    }
    return this.v2Doc;
  }

  private v3All(): Map<string, ServedDocument> {
    if (!this.v3Docs) {
      const defs = allDefinitions();
      this.v3Docs = new Map();
      for (const gv of this.gvPaths) {
        const paths = pathsFor(this.resources, gv, definitionNameOf);
        if (Object.keys(paths).length === 0) continue;
        const schemas = closure(referenced(paths)).map((n) => [n, toV3Schema(defs[n] as Schema)]);
        this.v3Docs.set(
          gv,
          served({
            openapi: "3.0.0",
            info: INFO,
            paths: renderPaths(paths, 3),
            components: {
              schemas: Object.fromEntries(schemas),
              securitySchemes: { BearerToken: { type: "apiKey", name: "authorization", in: "header" } },
            },
            security: [{ BearerToken: [] }],
          }),
        );
      }
    }
    return this.v3Docs;
  }
}
