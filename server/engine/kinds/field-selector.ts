/**
 * Field selectors (apimachinery fields.ParseSelector): `f=v`, `f==v`, `f!=v`, comma = AND,
 * `\` escapes `,`, `=` and `\` in values.
 *
 * Guarantees: a selector either parses or throws EngineError INVALID quoting it; a field
 * the kind does not declare is refused with Kubernetes' text `field label not supported: x`;
 * an absent field reads as "" (so `spec.nodeName=` selects unscheduled pods).
 */
import { EngineError } from "../core/errors";

export interface FieldTerm {
  field: string;
  operator: "=" | "!=";
  value: string;
}

/** How a kind reads a field for field selectors: field path → value (absent = ""). */
export type FieldGetters<T> = Readonly<Record<string, (obj: T) => string | undefined>>;
export type FieldMatcher<T> = (obj: T) => boolean;

function invalidField(selector: string, what: string): never {
  throw new EngineError("INVALID", `invalid field selector "${selector}": ${what}`);
}

/** Split on an unescaped separator; `\` escapes the next character (`\,` `\=` `\\`). */
function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === "\\" && i + 1 < s.length) {
      cur += c + s.charAt(i + 1);
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unescapeValue(selector: string, v: string): string {
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const c = v.charAt(i);
    if (c === "\\") {
      const n = v.charAt(i + 1);
      if (n !== "\\" && n !== "," && n !== "=")
        invalidField(selector, `invalid escape sequence in value "${v}" (only \\\\, \\, and \\= may be escaped)`);
      out += n;
      i++;
    } else if (c === "," || c === "=") {
      invalidField(selector, `value "${v}" has an unescaped '${c}'`);
    } else out += c;
  }
  return out;
}

/** Parse `metadata.name=web,status.phase!=Running` ("" parses to [], everything). */
export function parseFieldSelector(selector: string): FieldTerm[] {
  if (selector.trim() === "") return [];
  return splitUnescaped(selector, ",").map((raw) => {
    const term = raw.trim();
    for (const op of ["!=", "==", "="] as const) {
      const at = term.indexOf(op);
      if (at <= 0) continue;
      // A '!' or '=' before the operator found means another operator is meant.
      const field = term.slice(0, at).trim();
      if (/[!=]/.test(field)) continue;
      const value = unescapeValue(selector, term.slice(at + op.length).trim());
      return { field, operator: op === "!=" ? "!=" : "=", value };
    }
    return invalidField(selector, `can't understand "${term}" (expected field=value, field==value or field!=value)`);
  });
}

/** Compile terms against a kind's getters; a field the kind does not declare is refused. */
export function compileFieldSelector<T>(terms: readonly FieldTerm[], getters: FieldGetters<T>): FieldMatcher<T> {
  if (terms.length === 0) return () => true;
  const checks = terms.map((t) => {
    const get = Object.hasOwn(getters, t.field) ? getters[t.field] : undefined;
    if (get === undefined) throw new EngineError("INVALID", `field label not supported: ${t.field}`);
    const { value } = t;
    return t.operator === "=" ? (o: T) => (get(o) ?? "") === value : (o: T) => (get(o) ?? "") !== value;
  });
  return (o) => {
    for (const c of checks) if (!c(o)) return false;
    return true;
  };
}

/** Parse and compile a field selector string; `undefined` selects everything. */
export function fieldSelectorMatcher<T>(selector: string | undefined, getters: FieldGetters<T>): FieldMatcher<T> {
  return selector === undefined ? () => true : compileFieldSelector(parseFieldSelector(selector), getters);
}
