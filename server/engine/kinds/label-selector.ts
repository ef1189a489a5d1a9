/**
 * Label selectors, with Kubernetes' grammar and meaning (apimachinery's labels.Parse and
 * metav1.LabelSelectorAsSelector), in string form (`app=web,env in (a,b),!canary`) and
 * object form (`{ matchLabels, matchExpressions }`).
 *
 * Guarantees:
 * - A selector either compiles into a matcher or throws EngineError INVALID whose message
 *   quotes the selector (or names the field) and the bad part (key, value, operator).
 * - The empty selector ("" or `{}`) selects everything, as in Kubernetes; a missing object
 *   selector (undefined) selects nothing, as a nil one does.
 * - `a!=b` and `a notin (…)` also select objects that lack the label `a`; `a=b`, `a in (…)`
 *   and `a` need it present. Comma is AND; there is no OR.
 * - Matchers never throw and allocate nothing per call, so they can run over 150k pods.
 */
import { EngineError } from "../core/errors";

export type Labels = Readonly<Record<string, string>>;
export type LabelMatcher = (labels: Labels | undefined) => boolean;

export type SelectorOperator = "=" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

/** One parsed requirement; `values` is sorted and de-duplicated (empty for exists / !). */
export interface LabelRequirement {
  key: string;
  operator: SelectorOperator;
  values: readonly string[];
}

// --- validation of keys and values (apimachinery validation.IsQualifiedName / IsValidLabelValue)

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why `key` is not a valid label key (qualified name: optional DNS prefix, "/", name), or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split("/");
  let name = key;
  if (parts.length > 2) return "a qualified name may contain at most one '/'";
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    if (prefix.length === 0) return "prefix part must be non-empty";
    if (prefix.length > 253) return "prefix part must be no more than 253 characters";
    if (!DNS1123_SUBDOMAIN.test(prefix))
      return "prefix part must be a lowercase DNS-1123 subdomain (e.g. 'example.com')";
    name = rest;
  }
  if (name.length === 0) return "name part must be non-empty";
  if (name.length > 63) return "name part must be no more than 63 characters";
  if (!NAME_PART.test(name))
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

/** Why `value` is not a valid label value, or undefined (the empty value is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return "must be no more than 63 characters";
  if (!LABEL_VALUE.test(value))
    return "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

function invalid(selector: string, what: string): never {
  throw new EngineError("INVALID", `invalid label selector "${selector}": ${what}`);
}

// --- the string form -------------------------------------------------------------------

type Token =
  | { t: "id"; v: string; pos: number }
  | { t: "op"; v: "=" | "==" | "!=" | "!" | "(" | ")" | "," | ">" | "<"; pos: number };

const SPECIAL = new Set(["!", "=", ",", "(", ")", "<", ">"]);
const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r";

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (two === "==" || two === "!=") {
      out.push({ t: "op", v: two, pos: i });
      i += 2;
    } else if (SPECIAL.has(c)) {
      out.push({ t: "op", v: c as "=" | "!" | "," | "(" | ")" | "<" | ">", pos: i });
      i++;
    } else {
      const start = i;
      while (i < s.length && !isSpace(s.charAt(i)) && !SPECIAL.has(s.charAt(i))) i++;
      out.push({ t: "id", v: s.slice(start, i), pos: start });
    }
  }
  return out;
}

/**
 * Parse a selector string (`app=web,tier!=db,env in (a,b),!canary,track`) into requirements.
 * Throws EngineError INVALID naming the bad part. "" (or only spaces) parses to [] (everything).
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const toks = tokenize(selector);
  const reqs: LabelRequirement[] = [];
  let i = 0;
  const peek = () => toks[i];
  const where = (t: Token | undefined) => (t ? `'${t.v}' at position ${t.pos + 1}` : "end of selector");

  const key = (): string => {
    const t = toks[i];
    if (t?.t !== "id") invalid(selector, `expected a label key, found ${where(t)}`);
    i++;
    const problem = labelKeyProblem(t.v);
    if (problem) invalid(selector, `key "${t.v}": ${problem}`);
    return t.v;
  };
  const value = (k: string): string => {
    const t = toks[i];
    // `a=` (empty value) is valid; the value then ends at ',' or the end.
    if (t === undefined || (t.t === "op" && t.v === ",")) return "";
    if (t.t !== "id") invalid(selector, `expected a value for key "${k}", found ${where(t)}`);
    i++;
    const problem = labelValueProblem(t.v);
    if (problem) invalid(selector, `value "${t.v}" for key "${k}": ${problem}`);
    return t.v;
  };
  const valueSet = (k: string, op: string): string[] => {
    const open = toks[i];
    if (open?.t !== "op" || open.v !== "(") invalid(selector, `expected '(' after '${op}', found ${where(open)}`);
    i++;
    // Values between commas; an empty slot is the empty value (`(a,)`), as in Kubernetes,
    // while `()` holds no value at all.
    const vals: string[] = [];
    let slot: string | undefined;
    let commas = 0;
    for (;;) {
      const t = toks[i];
      if (t?.t === "op" && t.v === ")") {
        if (slot !== undefined || commas > 0) vals.push(slot ?? "");
        i++;
        break;
      }
      if (t?.t === "op" && t.v === ",") {
        vals.push(slot ?? "");
        slot = undefined;
        commas++;
        i++;
        continue;
      }
      if (t?.t !== "id") invalid(selector, `expected a value, ',' or ')' in the set for key "${k}", found ${where(t)}`);
      if (slot !== undefined)
        invalid(selector, `expected ',' or ')' after "${slot}" in the set for key "${k}", found ${where(t)}`);
      const problem = labelValueProblem(t.v);
      if (problem) invalid(selector, `value "${t.v}" for key "${k}": ${problem}`);
      slot = t.v;
      i++;
    }
    if (vals.length === 0) invalid(selector, `for '${op}' the set of values for key "${k}" can't be empty`);
    return vals;
  };

  while (i < toks.length) {
    const first = peek();
    if (first?.t === "op" && first.v === "!") {
      i++;
      reqs.push({ key: key(), operator: "!", values: [] });
    } else {
      const k = key();
      const op = peek();
      if (op === undefined || (op.t === "op" && op.v === ",")) {
        reqs.push({ key: k, operator: "exists", values: [] });
      } else if (op.t === "op" && (op.v === "=" || op.v === "==" || op.v === "!=")) {
        i++;
        reqs.push({ key: k, operator: op.v === "!=" ? "!=" : "=", values: [value(k)] });
      } else if (op.t === "op" && (op.v === ">" || op.v === "<")) {
        i++;
        const v = value(k);
        if (!/^-?\d+$/.test(v))
          invalid(selector, `for '${op.v}' the value for key "${k}" must be an integer, found "${v}"`);
        reqs.push({ key: k, operator: op.v === ">" ? "gt" : "lt", values: [v] });
      } else if (op.t === "id" && (op.v === "in" || op.v === "notin")) {
        i++;
        reqs.push({ key: k, operator: op.v, values: valueSet(k, op.v) });
      } else {
        invalid(
          selector,
          `expected an operator (=, ==, !=, in, notin, >, <) or ',' after key "${k}", found ${where(op)}`,
        );
      }
    }
    const sep = peek();
    if (sep === undefined) break;
    if (!(sep.t === "op" && sep.v === ",")) invalid(selector, `expected ',' between requirements, found ${where(sep)}`);
    i++;
    if (peek() === undefined) invalid(selector, "a requirement is missing after the last ','");
  }
  return reqs.map(normalise);
}

function normalise(r: LabelRequirement): LabelRequirement {
  return { key: r.key, operator: r.operator, values: [...new Set(r.values)].sort() };
}

function requirementMatcher(r: LabelRequirement): LabelMatcher {
  const { key } = r;
  const has = (l: Labels | undefined) => l !== undefined && Object.hasOwn(l, key);
  switch (r.operator) {
    case "=": {
      const v = r.values[0] ?? "";
      return (l) => has(l) && l?.[key] === v;
    }
    case "!=": {
      const v = r.values[0] ?? "";
      return (l) => !has(l) || l?.[key] !== v;
    }
    case "in": {
      const set = new Set(r.values);
      return (l) => has(l) && set.has(l?.[key] ?? "");
    }
    case "notin": {
      const set = new Set(r.values);
      return (l) => !has(l) || !set.has(l?.[key] ?? "");
    }
    case "exists":
      return has;
    case "!":
      return (l) => !has(l);
    case "gt":
    case "lt": {
      const bound = Number(r.values[0]);
      const gt = r.operator === "gt";
      return (l) => {
        const raw = has(l) ? l?.[key] : undefined;
        if (raw === undefined || !/^-?\d+$/.test(raw)) return false;
        const n = Number(raw);
        return gt ? n > bound : n < bound;
      };
    }
  }
}

const EVERYTHING: LabelMatcher = () => true;

/** A matcher that holds when every requirement does ([] selects everything). */
export function compileLabelRequirements(reqs: readonly LabelRequirement[]): LabelMatcher {
  if (reqs.length === 0) return EVERYTHING;
  const ms = reqs.map(requirementMatcher);
  if (ms.length === 1) return ms[0] ?? EVERYTHING;
  return (l) => {
    for (const m of ms) if (!m(l)) return false;
    return true;
  };
}

/** Parse and compile a selector string; `undefined` selects everything. */
export function labelSelectorMatcher(selector: string | undefined): LabelMatcher {
  return selector === undefined ? EVERYTHING : compileLabelRequirements(parseLabelSelector(selector));
}

function formatRequirement(r: LabelRequirement): string {
  const v = r.values[0] ?? "";
  if (r.operator === "=" || r.operator === "!=") return `${r.key}${r.operator}${v}`;
  if (r.operator === "in" || r.operator === "notin") return `${r.key} ${r.operator} (${r.values.join(",")})`;
  if (r.operator === "exists") return r.key;
  if (r.operator === "!") return `!${r.key}`;
  return `${r.key}${r.operator === "gt" ? ">" : "<"}${v}`;
}

/** The canonical string form (kubectl's SELECTOR column), e.g. `app=web,env in (a,b),!canary`. */
export function formatLabelRequirements(reqs: readonly LabelRequirement[]): string {
  return reqs.map(formatRequirement).join(",");
}

// --- the object form (metav1.LabelSelector) -----------------------------------------------

export type LabelSelectorOperator = "In" | "NotIn" | "Exists" | "DoesNotExist";
export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

const OBJECT_OPS: Record<LabelSelectorOperator, SelectorOperator> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
};

/**
 * The requirements of a LabelSelector object, validated with the field path in each message
 * (`selector.matchExpressions[0].values: …`). `{}` gives [] (everything), as in Kubernetes.
 */
export function labelSelectorRequirements(sel: LabelSelector, path = "selector"): LabelRequirement[] {
  const bad = (field: string, what: string): never => {
    throw new EngineError("INVALID", `${path}.${field}: ${what}`);
  };
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    const kp = labelKeyProblem(k);
    if (kp) bad(`matchLabels`, `key "${k}": ${kp}`);
    const vp = labelValueProblem(v);
    if (vp) bad(`matchLabels.${k}`, `value "${v}": ${vp}`);
    reqs.push({ key: k, operator: "=", values: [v] });
  }
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const at = `matchExpressions[${i}]`;
    const kp = labelKeyProblem(e.key);
    if (kp) bad(`${at}.key`, `"${e.key}": ${kp}`);
    const op = Object.hasOwn(OBJECT_OPS, e.operator) ? OBJECT_OPS[e.operator] : undefined;
    if (op === undefined)
      bad(`${at}.operator`, `"${String(e.operator)}" is not one of In, NotIn, Exists, DoesNotExist`);
    const values = e.values ?? [];
    if ((e.operator === "In" || e.operator === "NotIn") && values.length === 0)
      bad(`${at}.values`, `must be specified when operator is ${e.operator}`);
    if ((e.operator === "Exists" || e.operator === "DoesNotExist") && values.length > 0)
      bad(`${at}.values`, `may not be specified when operator is ${e.operator}`);
    values.forEach((v, j) => {
      const vp = labelValueProblem(v);
      if (vp) bad(`${at}.values[${j}]`, `"${v}": ${vp}`);
    });
    reqs.push({ key: e.key, operator: op ?? "exists", values });
  });
  return reqs.map(normalise);
}

/** Compile a LabelSelector object; `undefined` selects nothing (as a nil selector does in Kubernetes). */
export function labelSelectorObjectMatcher(sel: LabelSelector | undefined, path?: string): LabelMatcher {
  if (sel === undefined) return () => false;
  return compileLabelRequirements(labelSelectorRequirements(sel, path));
}

/** The string form of a LabelSelector object (kubectl's SELECTOR column for deployments). */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  if (sel === undefined) return "<none>";
  const reqs = labelSelectorRequirements(sel);
  return reqs.length === 0 ? "<none>" : formatLabelRequirements(reqs);
}

/**
 * Why a deployment's selector may not be used with its template's labels, or undefined:
 * the selector must be non-empty and must select the template labels (apps/v1 validation),
 * else the deployment would not own the pods it creates.
 */
export function deploymentSelectorProblem(
  sel: LabelSelector | undefined,
  templateLabels: Labels,
  path = "spec.selector",
): string | undefined {
  if (sel === undefined) return `${path}: Required value`;
  let reqs: LabelRequirement[];
  try {
    reqs = labelSelectorRequirements(sel, path);
  } catch (e) {
    return (e as Error).message;
  }
  if (reqs.length === 0) return `${path}: Invalid value: empty selector is invalid for deployment`;
  if (!compileLabelRequirements(reqs)(templateLabels))
    return "spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`";
  return undefined;
}

/** Does `sel` select `labels`? (A nil selector selects nothing; `{}` selects everything.) */
export function selectorSelectsLabels(sel: LabelSelector | undefined, labels: Labels): boolean {
  return labelSelectorObjectMatcher(sel)(labels);
}
