/**
 * `fieldValidation` (write-request.ts), as kube-apiserver applies it since 1.27: a field the
 * served schema of the kind does not declare (`spec.foo`), or a field given twice in the body, is
 * - Strict: refused, 400 BadRequest `<Kind> in version "<v>" cannot be handled as a <Kind>: strict
 *   decoding error: unknown field "spec.foo"` (every such field named);
 * - Warn (the default): dropped, with a `299 - "unknown field \"spec.foo\""` Warning per field;
 * - Ignore: dropped silently.
 * A field the schema declares but this server does not model is not this check's business: the
 * conversion keeps it as given (pod template) or refuses it by path (convert/deployment.ts).
 * Duplicates are found in JSON bodies (the last value counts, as upstream) and YAML apply bodies.
 */
import { isMap, isSeq, parseDocument } from "yaml";
import { unknownFields } from "../openapi";
import type { KubeRequest } from "../context";
import { KubeError } from "../status";
import type { WriteRequest } from "./write-request";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `object` (the decoded body or patched result of a write of `apiVersion`/`kind`) as the write takes
 * it: unknown fields removed (a copy), or a BadRequest under Strict. `text`: the raw body, for duplicates.
 */
export function validateFields<T>(
  req: KubeRequest,
  w: WriteRequest,
  apiVersion: string,
  kind: string,
  object: T,
  text?: string,
): T {
  if (w.validation === "Ignore" || !isObj(object)) return dropUnknown(apiVersion, kind, object);
  const unknown = unknownFields(apiVersion, kind, object);
  const duplicates = text === undefined ? [] : duplicateFields(text);
  const problems = [
    ...unknown.map((p) => `unknown field ${JSON.stringify(p)}`),
    ...duplicates.map((p) => `duplicate field ${JSON.stringify(p)}`),
  ];
  if (problems.length === 0) return object;
  if (w.validation === "Strict") {
    const version = apiVersion.split("/").pop() ?? apiVersion;
    throw new KubeError(
      "BadRequest",
      `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: strict decoding error: ${problems.join(", ")}`,
    );
  }
  req.warnings.push(...problems);
  return removePaths(object, unknown);
}

function dropUnknown<T>(apiVersion: string, kind: string, object: T): T {
  if (!isObj(object)) return object;
  const unknown = unknownFields(apiVersion, kind, object);
  return unknown.length === 0 ? object : removePaths(object, unknown);
}

/** `spec.template.spec.containers[0].foo` → ["spec", "template", "spec", "containers", 0, "foo"]. */
function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    out.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return out;
}

/** A copy of `object` without the fields at `paths` (the copy is deep along each path only). */
function removePaths<T>(object: T, paths: readonly string[]): T {
  const root = structuredClone(object) as unknown;
  for (const path of paths) {
    const keys = segments(path);
    let node: unknown = root;
    for (const key of keys.slice(0, -1)) node = (node as Record<string | number, unknown> | undefined)?.[key];
    const last = keys[keys.length - 1];
    if (isObj(node) && typeof last === "string") delete node[last];
  }
  return root as T;
}

/** The paths of keys given twice in one object of a JSON or YAML document, in document order. */
export function duplicateFields(text: string): string[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{")) return jsonDuplicates(text);
  const found: string[] = [];
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    return found;
  }
  const walk = (node: unknown, path: string) => {
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
        const at = path ? `${path}.${key}` : key;
        if (seen.has(key)) found.push(at);
        seen.add(key);
        walk(pair.value, at);
      }
    } else if (isSeq(node))
      node.items.forEach((item, i) => {
        walk(item, `${path}[${i}]`);
      });
  };
  walk(doc.contents, "");
  return found;
}

/** A single pass over JSON text (already known to parse), tracking each object's keys. */
function jsonDuplicates(text: string): string[] {
  const found: string[] = [];
  type Frame =
    | { kind: "object"; keys: Set<string>; path: string; key?: string }
    | { kind: "array"; path: string; i: number };
  const stack: Frame[] = [];
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return "";
    if (top.kind === "array") return `${top.path}[${top.i}]`;
    return top.path ? `${top.path}.${top.key ?? ""}` : (top.key ?? "");
  };
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      let s = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\") {
          s += text.slice(j, j + 2);
          j += 2;
        } else s += text[j++];
      }
      const top = stack[stack.length - 1];
      if (expectKey && top?.kind === "object") {
        const key = s.includes("\\") ? (JSON.parse(`"${s}"`) as string) : s;
        if (top.keys.has(key)) found.push(top.path ? `${top.path}.${key}` : key);
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      i = j;
    } else if (c === "{") {
      stack.push({ kind: "object", keys: new Set(), path: childPath() });
      expectKey = true;
    } else if (c === "[") {
      stack.push({ kind: "array", path: childPath(), i: 0 });
    } else if (c === "}" || c === "]") {
      stack.pop();
    } else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.kind === "object") expectKey = true;
      else if (top) top.i++;
    }
  }
  return found;
}
