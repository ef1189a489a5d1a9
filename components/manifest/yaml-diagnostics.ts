/**
 * Where a manifest's problems are, as lines of its YAML text: syntax errors from the parser,
 * and a server refusal's field path (`spec.template.spec.containers[0].image`) found in the
 * document, so the editor marks the line the person must change.
 *
 * Guarantees: lines are 1-based; a path that is not in the text falls back to its nearest
 * present parent (a missing field is reported where it belongs), then to line 1.
 */
import { isMap, isSeq, LineCounter, type Node, parseAllDocuments } from "yaml";

export interface Diagnostic {
  /** 1-based line. */
  line: number;
  /** Character offsets in the text, for the editor's underline. */
  from: number;
  to: number;
  message: string;
}

/** Syntax errors of every document in the text. */
export function syntaxDiagnostics(text: string): Diagnostic[] {
  const lines = new LineCounter();
  const out: Diagnostic[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    if (!("errors" in doc)) continue;
    for (const e of doc.errors) {
      const [from, to] = e.pos;
      // The editor shows the line itself; the parser's own "at line L, column C:" would repeat it.
      const message = (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "");
      out.push({ line: lines.linePos(from).line, from, to: Math.max(to, from + 1), message });
    }
  }
  return out;
}

/** `a.b[0].c` → ["a", "b", 0, "c"]; also accepts `a.b.0.c` and quoted keys `metadata.labels['x.y']`. */
export function splitFieldPath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  const re = /\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]|([^.[\]]+)/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) parts.push(Number(m[1]));
    else if (m[2] !== undefined) parts.push(m[2]);
    else if (m[3] !== undefined) parts.push(m[3]);
    else if (m[4] !== undefined) parts.push(/^\d+$/.test(m[4]) ? Number(m[4]) : m[4]);
  }
  return parts;
}

/** The diagnostic for a field path in document `docIndex` of the text (multi-document manifests). */
export function fieldDiagnostic(text: string, fieldPath: string, message: string, docIndex = 0): Diagnostic {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines });
  const doc = docs[docIndex];
  let node: Node | null | undefined = doc && "contents" in doc ? doc.contents : undefined;
  let at: [number, number] | undefined = node?.range ? [node.range[0], node.range[1]] : undefined;
  for (const part of splitFieldPath(fieldPath)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
      if (!pair) break;
      const key = pair.key as Node | null;
      if (key?.range) at = [key.range[0], key.range[1]];
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof part === "number") {
      const item = node.items[part] as Node | undefined;
      if (!item) break;
      if (item.range) at = [item.range[0], item.range[1]];
      node = item;
    } else break;
  }
  const [from, to] = at ?? [0, 1];
  return { line: lines.linePos(from).line, from, to: Math.max(to, from + 1), message };
}
