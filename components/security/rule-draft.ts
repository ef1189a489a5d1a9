/**
 * The security group form as a person types it (text in every box) and its checks. The checks
 * are the engine's own (securityGroupProblems, the validator the server runs before it stores a
 * group), so every message the browser shows at a field is the one the server would refuse the
 * group with, at the same field. The form adds only what text boxes need: a number box holding
 * something that is not a whole number, and a label selector typed as `key=value,…`.
 * No React here; the editor (rule-editor.tsx, group-form.tsx) renders it.
 */
import {
  DEFAULT_EGRESS_RULE,
  type RuleAction,
  type RuleProtocol,
  type SecurityGroupRule,
} from "@/server/engine/network/security/security-group";
import { securityGroupProblems } from "@/server/engine/network/security/security-group-validation";
import type { Direction } from "@/server/engine/network/security/types";

export type RemoteKind = "cidr" | "group";

export interface RuleDraft {
  /** A stable React key; never sent. */
  readonly key: string;
  readonly protocol: RuleProtocol;
  readonly portRangeMin: string;
  /** Empty with a minimum: the single port `portRangeMin`. */
  readonly portRangeMax: string;
  readonly remoteKind: RemoteKind;
  readonly remoteAddress: string;
  readonly remoteSecurityGroup: string;
  readonly action: RuleAction;
  readonly priority: string;
  readonly description: string;
}

export type RuleField =
  | "protocol"
  | "portRangeMin"
  | "portRangeMax"
  | "remoteAddress"
  | "remoteSecurityGroup"
  | "action"
  | "priority"
  | "description";

export type AttachMode = "selector" | "namespaceDefault" | "none";

export interface GroupDraft {
  readonly name: string;
  readonly ingressRules: readonly RuleDraft[];
  readonly egressRules: readonly RuleDraft[];
  readonly allowSameGroupTraffic: boolean;
  readonly attach: AttachMode;
  /** `app=web,tier=front` (matchLabels). */
  readonly selector: string;
  /** Comma-separated namespaces narrowing the selector; empty: every namespace. */
  readonly namespaces: string;
  /** Comma-separated namespaces this group is the default of. */
  readonly defaultForNamespaces: string;
}

/** What the server takes (security.create / security.update), without its resourceVersion. */
export interface GroupInput {
  name: string;
  ingressRules: SecurityGroupRule[];
  egressRules: SecurityGroupRule[];
  allowSameGroupTraffic: boolean;
  podSelector?: { matchLabels: Record<string, string> };
  namespaces?: string[];
  defaultForNamespaces?: string[];
}

/**
 * Where a problem shows: a rule's field (`ingress.0.remoteAddress`), a rule as a whole
 * (`ingress.0`, a duplicate), a direction (`ingress`, too many rules) or a group field.
 */
export type FieldKey = string;
/** A problem a text box has before the engine sees the value; the form says it in the reader's language. */
export type LocalProblem = { kind: "notWhole" } | { kind: "required" } | { kind: "selectorSyntax" };
export type Problem = { text: string } | LocalProblem;
export type Problems = Readonly<Record<FieldKey, Problem>>;

let keys = 0;
const nextKey = () => `rule-${++keys}`;

export function emptyRule(overrides: Partial<RuleDraft> = {}): RuleDraft {
  return {
    key: nextKey(),
    protocol: "tcp",
    portRangeMin: "",
    portRangeMax: "",
    remoteKind: "cidr",
    remoteAddress: "",
    remoteSecurityGroup: "",
    action: "allow",
    priority: "100",
    description: "",
    ...overrides,
  };
}

export function draftOfRule(rule: SecurityGroupRule): RuleDraft {
  return emptyRule({
    protocol: rule.protocol,
    portRangeMin: rule.portRangeMin === undefined ? "" : String(rule.portRangeMin),
    portRangeMax: rule.portRangeMax === undefined ? "" : String(rule.portRangeMax),
    remoteKind: rule.remoteSecurityGroup !== undefined ? "group" : "cidr",
    remoteAddress: rule.remoteAddress ?? "",
    remoteSecurityGroup: rule.remoteSecurityGroup ?? "",
    action: rule.action,
    priority: String(rule.priority),
    description: rule.description ?? "",
  });
}

/** A new group: no inbound rules, and AWS's default outbound rule written out, so it can be seen and removed. */
export function newGroupDraft(): GroupDraft {
  return {
    name: "",
    ingressRules: [],
    egressRules: [draftOfRule(DEFAULT_EGRESS_RULE)],
    allowSameGroupTraffic: false,
    attach: "none",
    selector: "",
    namespaces: "",
    defaultForNamespaces: "",
  };
}

export interface GroupLike {
  name: string;
  ingressRules: readonly SecurityGroupRule[];
  egressRules: readonly SecurityGroupRule[];
  allowSameGroupTraffic: boolean;
  podSelector?: { matchLabels?: Record<string, string> };
  namespaces?: readonly string[];
  defaultForNamespaces?: readonly string[];
}

export function draftOfGroup(g: GroupLike): GroupDraft {
  const selector = g.podSelector?.matchLabels;
  return {
    name: g.name,
    ingressRules: g.ingressRules.map(draftOfRule),
    egressRules: g.egressRules.map(draftOfRule),
    allowSameGroupTraffic: g.allowSameGroupTraffic,
    attach: g.podSelector ? "selector" : (g.defaultForNamespaces?.length ?? 0) > 0 ? "namespaceDefault" : "none",
    selector: Object.entries(selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(","),
    namespaces: (g.namespaces ?? []).join(","),
    defaultForNamespaces: (g.defaultForNamespaces ?? []).join(","),
  };
}

const WHOLE = /^\s*\d+\s*$/;

/** A number box: empty → undefined; a whole number → it; anything else → NaN (a local problem). */
function numberOf(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  return WHOLE.test(text) ? Number(text) : Number.NaN;
}

const listOf = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** `app=web, tier=front` → matchLabels; undefined when a part is not `key=value`. */
export function parseMatchLabels(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of listOf(text)) {
    const eq = part.indexOf("=");
    if (eq <= 0) return undefined;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

function ruleOfDraft(d: RuleDraft): SecurityGroupRule {
  const min = numberOf(d.portRangeMin);
  const max = numberOf(d.portRangeMax) ?? min;
  const priority = numberOf(d.priority);
  const description = d.description.trim();
  return {
    protocol: d.protocol,
    ...(min !== undefined ? { portRangeMin: min } : {}),
    ...(max !== undefined ? { portRangeMax: max } : {}),
    ...(d.remoteKind === "cidr"
      ? d.remoteAddress.trim() === ""
        ? {}
        : { remoteAddress: d.remoteAddress.trim() }
      : d.remoteSecurityGroup.trim() === ""
        ? {}
        : { remoteSecurityGroup: d.remoteSecurityGroup.trim() }),
    action: d.action,
    // An empty box is an absent priority, which the engine refuses as out of range.
    priority: priority ?? Number.NaN,
    ...(description ? { description } : {}),
  };
}

/** The input the server takes for this draft (number boxes that hold text become NaN: check `groupProblems` first). */
export function inputOfDraft(d: GroupDraft): GroupInput {
  const matchLabels = parseMatchLabels(d.selector) ?? {};
  const namespaces = listOf(d.namespaces);
  const defaults = listOf(d.defaultForNamespaces);
  return {
    name: d.name.trim(),
    ingressRules: d.ingressRules.map(ruleOfDraft),
    egressRules: d.egressRules.map(ruleOfDraft),
    allowSameGroupTraffic: d.allowSameGroupTraffic,
    ...(d.attach === "selector" ? { podSelector: { matchLabels } } : {}),
    ...(d.attach === "selector" && namespaces.length > 0 ? { namespaces } : {}),
    ...(d.attach === "namespaceDefault" ? { defaultForNamespaces: defaults } : {}),
  };
}

const RULES_PATH = /^spec\.(ingress|egress)Rules(?:\[(\d+)\](?:\.(\w+))?)?$/;
const NAMESPACES_PATH = /^spec\.(namespaces|defaultForNamespaces)(?:\[\d+\])?$/;

/** The form's field for a path as the engine names it (`spec.ingressRules[2].priority` → `ingress.2.priority`). */
export function fieldKeyOfPath(path: string): FieldKey | null {
  if (path === "metadata.name" || path === "name") return "name";
  if (path === "spec.podSelector") return "selector";
  const ns = NAMESPACES_PATH.exec(path);
  if (ns) return ns[1] ?? null;
  const m = RULES_PATH.exec(path);
  if (!m) return null;
  return [m[1], m[2], m[3]].filter((s) => s !== undefined).join(".");
}

/** A problem's text without the path the engine starts it with: the field already says where. */
export function withoutPath(message: string, path: string): string {
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}

/**
 * The part of an engine refusal about `path`, without the path: the refusal names the object
 * and lists every problem (`… is invalid: [spec.a: …, spec.b: …]`); at a field, only its own
 * problem is said. The whole message when it has no part for `path`.
 */
export function problemAt(message: string, path: string): string {
  const at = message.indexOf(`${path}: `);
  if (at < 0) return message;
  const rest = message.slice(at + path.length + 2);
  const next = rest.search(/, (?=(?:spec|metadata)\.)|; /);
  return (next < 0 ? rest : rest.slice(0, next)).replace(/\]$/, "");
}

/** `ingress.0.portRangeMin` for a rule's field. */
export const ruleFieldKey = (direction: Direction, index: number, field?: RuleField): FieldKey =>
  [direction, String(index), field].filter((s) => s !== undefined).join(".");

/**
 * Every problem of the draft by field: the local ones (a number box holding text, a selector
 * that is not `key=value`), then the engine's for everything else. `knownGroups`: the
 * tenant's group names, so a rule naming a group that does not exist is refused as the server
 * refuses it; the first problem at a field wins.
 */
export function groupProblems(d: GroupDraft, knownGroups?: ReadonlySet<string>): Problems {
  const out: Record<FieldKey, Problem> = {};
  const put = (key: FieldKey, p: Problem) => {
    out[key] ??= p;
  };
  for (const direction of ["ingress", "egress"] as const) {
    const rules = direction === "ingress" ? d.ingressRules : d.egressRules;
    rules.forEach((r, i) => {
      for (const field of ["portRangeMin", "portRangeMax", "priority"] as const)
        if (Number.isNaN(numberOf(r[field]) ?? 0)) put(ruleFieldKey(direction, i, field), { kind: "notWhole" });
      if (r.priority.trim() === "") put(ruleFieldKey(direction, i, "priority"), { kind: "required" });
    });
  }
  if (d.attach === "selector" && parseMatchLabels(d.selector) === undefined)
    put("selector", { kind: "selectorSyntax" });
  const input = inputOfDraft(d);
  const known = knownGroups ? new Set([...knownGroups, input.name]) : undefined;
  for (const p of securityGroupProblems(input, known ? { knownGroups: known } : {})) {
    const key = fieldKeyOfPath(p.field);
    // A NaN the engine sees is a box whose own problem is already shown.
    if (key !== null && !/Invalid value: null/.test(p.message)) put(key, { text: withoutPath(p.message, p.field) });
  }
  return out;
}

/** The problems of one rule, by its fields. */
export function ruleProblems(
  problems: Problems,
  direction: Direction,
  index: number,
): Partial<Record<RuleField | "rule", Problem>> {
  const prefix = ruleFieldKey(direction, index);
  const out: Partial<Record<RuleField | "rule", Problem>> = {};
  for (const [key, p] of Object.entries(problems)) {
    if (key === prefix) out.rule = p;
    else if (key.startsWith(`${prefix}.`)) out[key.slice(prefix.length + 1) as RuleField] = p;
  }
  return out;
}
