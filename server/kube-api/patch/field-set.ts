import { invalid } from "./errors";
import { isObject, type JsonObject, type JsonValue, setKey } from "./json";

/**
 * Sets of field paths, the unit of ownership in server-side apply, with the `FieldsV1` wire encoding
 * Kubernetes stores in metadata.managedFields (structured-merge-diff fieldpath):
 * `f:<field>` a field, `k:{"name":"web"}` an associative-list item, `v:"x"` a set item, `i:0` an index,
 * and `.` inside a child object when the node itself is a member as well as some of its children.
 * A path is a list of those element strings; sets are flat so that set algebra stays trivial.
 */
export type FieldPath = readonly string[];

const SEP = "\u0000";

export class FieldSet {
  private readonly members = new Set<string>();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  insert(path: FieldPath): void {
    if (path.length > 0) this.members.add(path.join(SEP));
  }

  has(path: FieldPath): boolean {
    return this.members.has(path.join(SEP));
  }

  get size(): number {
    return this.members.size;
  }

  paths(): FieldPath[] {
    return [...this.members].map((joined) => joined.split(SEP));
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.of([...this.paths(), ...other.paths()]);
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((path) => !other.has(path)));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((path) => other.has(path)));
  }

  /** Drops `prefix` and everything beneath it (ignored and stripped fields). */
  withoutPrefix(prefix: FieldPath): FieldSet {
    const head = prefix.join(SEP);
    return FieldSet.of(this.paths().filter((p) => !isUnder(p.join(SEP), head)));
  }

  /** True when some member lies strictly beneath `prefix`. */
  hasBeneath(prefix: FieldPath): boolean {
    const head = prefix.join(SEP) + SEP;
    for (const member of this.members) if (member.startsWith(head)) return true;
    return false;
  }

  /** Encodes as FieldsV1, children in structured-merge-diff's order. */
  toFieldsV1(): JsonObject {
    const root: Tree = { member: false, children: new Map() };
    for (const path of this.paths()) {
      let node = root;
      for (const element of path) {
        let child = node.children.get(element);
        if (!child) {
          child = { member: false, children: new Map() };
          node.children.set(element, child);
        }
        node = child;
      }
      node.member = true;
    }
    return emit(root);
  }

  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    const walk = (node: unknown, path: string[]) => {
      if (!isObject(node)) throw invalid("fieldsV1 must be a JSON object", "metadata.managedFields");
      for (const [key, child] of Object.entries(node)) {
        if (key === ".") set.insert(path);
        else {
          const element = canonicalElement(key);
          if (isObject(child) && Object.keys(child).length === 0) set.insert([...path, element]);
          else walk(child, [...path, element]);
        }
      }
    };
    walk(fields, []);
    return set;
  }
}

interface Tree {
  member: boolean;
  children: Map<string, Tree>;
}

function emit(node: Tree): JsonObject {
  const out: JsonObject = {};
  if (node.member && node.children.size > 0) out["."] = {};
  for (const element of [...node.children.keys()].sort(compareElements)) {
    const child = node.children.get(element) as Tree;
    setKey(out, element, child.children.size === 0 ? {} : emit(child));
  }
  return out;
}

function isUnder(joined: string, head: string): boolean {
  return joined === head || joined.startsWith(head + SEP);
}

export const fieldElement = (name: string) => `f:${name}`;
export const valueElement = (value: JsonValue) => `v:${goJson(value)}`;
export function keyElement(fields: readonly (readonly [string, JsonValue])[]): string {
  const sorted = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `k:{${sorted.map(([name, value]) => `${goJson(name)}:${goJson(value)}`).join(",")}}`;
}

/** Go's encoding/json escapes <, > and & (and U+2028/9); the stored keys must match byte for byte. */
function goJson(value: JsonValue): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function canonicalElement(element: string): string {
  const kind = element.slice(0, 2);
  const body = element.slice(2);
  try {
    if (kind === "f:") return element;
    if (kind === "i:" && /^\d+$/.test(body)) return element;
    if (kind === "v:") return valueElement(JSON.parse(body));
    if (kind === "k:") {
      const key = JSON.parse(body);
      if (isObject(key)) return keyElement(Object.entries(key));
    }
  } catch {
    // fall through to the error below
  }
  throw invalid(`invalid managedFields path element ${JSON.stringify(element)}`, "metadata.managedFields");
}

const RANK: Record<string, number> = { "f:": 0, "k:": 1, "v:": 2, "i:": 3 };

/** structured-merge-diff orders fields, then keys, then values, then indexes; each by content. */
function compareElements(a: string, b: string): number {
  const ra = RANK[a.slice(0, 2)] ?? 4;
  const rb = RANK[b.slice(0, 2)] ?? 4;
  if (ra !== rb) return ra - rb;
  if (ra === 0) return a < b ? -1 : a > b ? 1 : 0;
  if (ra === 3) return Number(a.slice(2)) - Number(b.slice(2));
  return compareValues(JSON.parse(a.slice(2)), JSON.parse(b.slice(2)));
}

function compareValues(a: JsonValue, b: JsonValue): number {
  const rank = (v: JsonValue) =>
    v === null ? 0 : typeof v === "number" ? 1 : typeof v === "string" ? 2 : typeof v === "boolean" ? 3 : 4;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const name = (ka[i] as string) < (kb[i] as string) ? -1 : (ka[i] as string) > (kb[i] as string) ? 1 : 0;
      if (name !== 0) return name;
      const value = compareValues(a[ka[i] as string] as JsonValue, b[kb[i] as string] as JsonValue);
      if (value !== 0) return value;
    }
    return ka.length - kb.length;
  }
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Renders a path the way Kubernetes prints it in conflicts: .spec.containers[name="web"].image */
export function pathToString(path: FieldPath): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      switch (element.slice(0, 2)) {
        case "f:":
          return `.${body}`;
        case "v:":
          return `[=${goString(JSON.parse(body))}]`;
        case "i:":
          return `[${body}]`;
        default: {
          const key = JSON.parse(body) as JsonObject;
          return `[${Object.entries(key)
            .map(([k, v]) => `${k}=${goString(v)}`)
            .join(",")}]`;
        }
      }
    })
    .join("");
}

// Go's %q and %v agree with JSON for the strings, numbers and booleans that key a list.
const goString = (value: JsonValue) => JSON.stringify(value);
