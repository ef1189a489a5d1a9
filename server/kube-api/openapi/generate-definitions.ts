/**
 * Generates kubernetes-definitions.json, the upstream Kubernetes schemas this API serves, from the
 * `kubernetes-models` package (its type declarations carry every upstream field with its
 * description, required-ness, enums and the group-version-kind of top-level kinds).
 *
 * Run after upgrading kubernetes-models: `npx tsx server/kube-api/openapi/generate-definitions.ts`.
 * generate-definitions.test.ts fails when the committed file differs from a fresh run, so the
 * served schemas cannot drift from the package silently. Only the definitions reachable from
 * ROOTS are kept (sorted, so the output is deterministic).
 *
 * Not carried by the package: integer formats (numbers come out as `integer`, which every
 * served numeric field is) and the strategic-merge extensions (definitions.ts adds them from
 * the patch machinery's table).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import ts from "typescript";
import type { Schema } from "./schema-types";

/** Package-relative declaration paths of the kinds served; everything they reference comes along. */
export const ROOTS: readonly string[] = [
  ...["Namespace", "Pod", "Node", "Event", "ConfigMap", "Secret", "ResourceQuota", "LimitRange", "Service"].flatMap(
    (k) => [`v1/${k}`, `v1/${k}List`],
  ),
  "apps/v1/Deployment",
  "apps/v1/DeploymentList",
  "apps/v1/ReplicaSet",
  "apps/v1/ReplicaSetList",
  "autoscaling/v1/Scale",
  "events.k8s.io/v1/Event",
  "events.k8s.io/v1/EventList",
  "discovery.k8s.io/v1/EndpointSlice",
  "discovery.k8s.io/v1/EndpointSliceList",
  "networking.k8s.io/v1/NetworkPolicy",
  "networking.k8s.io/v1/NetworkPolicyList",
  "policy/v1/Eviction",
  "authorization.k8s.io/v1/SelfSubjectAccessReview",
  "authentication.k8s.io/v1/SelfSubjectReview",
  "@apimachinery/apis/meta/v1/Status",
  "@apimachinery/apis/meta/v1/DeleteOptions",
  "@apimachinery/apis/meta/v1/WatchEvent",
  "@apimachinery/apis/meta/v1/Patch",
  "@apimachinery/apis/meta/v1/APIResourceList",
];

export interface GeneratedDefinitions {
  source: string;
  definitions: Record<string, Schema>;
}

const require = createRequire(import.meta.url);
const MODELS = "kubernetes-models";
const APIMACHINERY = "@kubernetes-models/apimachinery";

/** The folder of an installed package (its exports hide package.json and the declarations from resolve). */
function packageRoot(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const root = path.join(dir, name);
    if (existsSync(path.join(root, "package.json"))) return root;
  }
  throw new Error(`generate-definitions: ${name} is not installed (npm install)`);
}

function packageVersion(root: string): string {
  return (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
}

/** `io.k8s.api.apps.v1.Deployment` for kubernetes-models/apps/v1/Deployment.d.ts and so on. */
function definitionName(file: string, roots: { models: string; machinery: string }): string {
  const inMachinery = file.startsWith(roots.machinery + path.sep);
  const rel = path.relative(inMachinery ? roots.machinery : roots.models, file).replace(/\.d\.ts$/, "");
  const parts = rel.split(path.sep);
  if (inMachinery) return `io.k8s.apimachinery.pkg.${parts.join(".")}`;
  const name = parts.pop() as string;
  const version = parts.pop() as string;
  const group = parts.length === 0 ? "core" : (parts[0] as string).replace(/\.k8s\.io$/, "");
  return `io.k8s.api.${group}.${version}.${name}`;
}

const camel = (dotted: string) =>
  dotted
    .split(".")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");

function docOf(node: ts.Node): string | undefined {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  const text = docs?.map((d) => (typeof d.comment === "string" ? d.comment : "")).join("\n");
  return text ? text : undefined;
}

/** The descriptions of the TypeMeta fields, which the package documents only on types without a fixed kind. */
interface Context {
  roots: { models: string; machinery: string };
  queue: string[];
  seen: Set<string>;
  typeMetaDocs: { apiVersion?: string; kind?: string };
}

function resolveImport(spec: string, fromFile: string, ctx: Context): string {
  if (spec.startsWith(".")) return path.resolve(path.dirname(fromFile), spec.replace(/\.js$/, ".d.ts"));
  if (spec.startsWith(`${APIMACHINERY}/`))
    return path.join(ctx.roots.machinery, `${spec.slice(APIMACHINERY.length + 1)}.d.ts`);
  if (spec.startsWith(`${MODELS}/`)) return path.join(ctx.roots.models, `${spec.slice(MODELS.length + 1)}.d.ts`);
  throw new Error(`generate-definitions: unexpected import ${spec} in ${fromFile}`);
}

function typeSchema(node: ts.TypeNode, imports: Map<string, string>, ctx: Context): Schema {
  if (node.kind === ts.SyntaxKind.StringKeyword) return { type: "string" };
  if (node.kind === ts.SyntaxKind.NumberKeyword) return { type: "integer" };
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return { type: "boolean" };
  if (ts.isArrayTypeNode(node)) return { type: "array", items: typeSchema(node.elementType, imports, ctx) };
  if (ts.isUnionTypeNode(node) && node.types.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal)))
    return {
      type: "string",
      enum: node.types.map((t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text),
    };
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (index?.type && node.members.length === 1)
      return { type: "object", additionalProperties: typeSchema(index.type, imports, ctx) };
    if (node.members.length === 0) return { type: "object" };
  }
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
    const id = node.typeName.text;
    if (id === "Array" && node.typeArguments?.length === 1)
      return { type: "array", items: typeSchema(node.typeArguments[0] as ts.TypeNode, imports, ctx) };
    const file = imports.get(id);
    if (file) {
      const name = definitionName(file, ctx.roots);
      if (`I${camel(name)}` !== id) throw new Error(`generate-definitions: ${id} resolved to ${name}`);
      if (!ctx.seen.has(file)) {
        ctx.seen.add(file);
        ctx.queue.push(file);
      }
      return { $ref: `#/definitions/${name}` };
    }
  }
  throw new Error(`generate-definitions: unsupported type ${node.getText()}`);
}

/** Type aliases of the apimachinery package that upstream gives a format or a type name. */
const ALIAS_FORMATS: Record<string, Schema> = {
  "io.k8s.apimachinery.pkg.apis.meta.v1.Time": { type: "string", format: "date-time" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": { type: "string", format: "date-time" },
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": { type: "string", format: "int-or-string" },
  "io.k8s.apimachinery.pkg.api.resource.Quantity": { type: "string" },
};

function definitionOf(file: string, ctx: Context): Schema {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const imports = new Map<string, string>();
  for (const st of source.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const spec = st.moduleSpecifier.text;
    if (spec === "@kubernetes-models/base") continue;
    const bindings = st.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings))
      for (const el of bindings.elements) imports.set(el.name.text, resolveImport(spec, file, ctx));
  }
  const name = definitionName(file, ctx.roots);
  const iface = source.statements.find(ts.isInterfaceDeclaration);
  if (!iface) {
    const alias = source.statements.find(ts.isTypeAliasDeclaration);
    const fixed = ALIAS_FORMATS[name];
    if (!alias || !fixed) throw new Error(`generate-definitions: no schema for ${name}`);
    return { ...compactDoc(docOf(alias)), ...fixed };
  }
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  let gvk: { group: string; version: string; kind: string } | undefined;
  const literal = (m: ts.PropertySignature) =>
    m.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal) ? m.type.literal.text : undefined;
  for (const m of iface.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const prop = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
    const fixed = prop === "apiVersion" || prop === "kind" ? literal(m) : undefined;
    if (fixed !== undefined) {
      gvk ??= { group: "", version: "", kind: "" };
      if (prop === "kind") gvk.kind = fixed;
      else {
        const slash = fixed.indexOf("/");
        gvk.group = slash < 0 ? "" : fixed.slice(0, slash);
        gvk.version = fixed.slice(slash + 1);
      }
      properties[prop] = { type: "string" };
    } else {
      const doc = docOf(m);
      if (doc && (prop === "apiVersion" || prop === "kind")) ctx.typeMetaDocs[prop] ??= doc;
      properties[prop] = { ...compactDoc(doc), ...typeSchema(m.type, imports, ctx) };
    }
    if (!m.questionToken && fixed === undefined) required.push(prop);
  }
  return {
    ...compactDoc(docOf(iface)),
    type: "object",
    ...(required.length > 0 ? { required: required.sort() } : {}),
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
    ...(gvk ? { "x-kubernetes-group-version-kind": [gvk] } : {}),
  };
}

const compactDoc = (description: string | undefined) => (description ? { description } : {});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}

/** The definitions reachable from ROOTS, keys sorted; pure apart from reading the package. */
export function generateDefinitions(): GeneratedDefinitions {
  const roots = { models: packageRoot(MODELS), machinery: packageRoot(APIMACHINERY) };
  const ctx: Context = { roots, queue: [], seen: new Set(), typeMetaDocs: {} };
  for (const r of ROOTS) {
    const file = r.startsWith("@apimachinery/")
      ? path.join(roots.machinery, `${r.slice("@apimachinery/".length)}.d.ts`)
      : path.join(roots.models, `${r}.d.ts`);
    ctx.seen.add(file);
    ctx.queue.push(file);
  }
  const definitions: Record<string, Schema> = {};
  for (let file = ctx.queue.shift(); file; file = ctx.queue.shift())
    definitions[definitionName(file, roots)] = definitionOf(file, ctx);
  // A kind's apiVersion and kind are fixed literals in the package; upstream documents them as strings.
  for (const def of Object.values(definitions)) {
    if (!def["x-kubernetes-group-version-kind"] || !def.properties) continue;
    for (const p of ["apiVersion", "kind"] as const) {
      const doc = ctx.typeMetaDocs[p];
      const prop = def.properties[p];
      if (prop && doc) prop.description = doc;
    }
  }
  const source = `${MODELS}@${packageVersion(roots.models)}, ${APIMACHINERY}@${packageVersion(roots.machinery)}`;
  return sortKeys({ source, definitions }) as GeneratedDefinitions;
}

export const DEFINITIONS_FILE = path.join(
  path.dirname(new URL(import.meta.url).pathname),
  "kubernetes-definitions.json",
);

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const defs = generateDefinitions();
  writeFileSync(DEFINITIONS_FILE, `${JSON.stringify(defs, null, 2)}\n`);
  // Laid out as the project's formatter wants it, so `biome ci` passes on the committed file.
  execFileSync(process.execPath, [
    path.join(packageRoot("@biomejs/biome"), "bin", "biome"),
    "format",
    "--write",
    DEFINITIONS_FILE,
  ]);
  console.log(`wrote ${Object.keys(defs.definitions).length} definitions to ${DEFINITIONS_FILE}`);
}
