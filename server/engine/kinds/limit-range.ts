/**
 * Kind LimitRange (core/v1), namespaced, short name `limits`: per-container and per-pod bounds
 * on cpu and memory (`spec.limits[]` of type Container, Pod or PersistentVolumeClaim, each with
 * max, min, default, defaultRequest and maxLimitRequestRatio), and the defaults the namespace's
 * new containers get when they state no request or limit. Admission (what it refuses, what it
 * fills in) is admission/limit-range.ts; the commands are api/limit-range-commands.ts.
 *
 * Guarantees:
 * - Stored as Kubernetes stores it: a Container item gets the API server's defaults
 *   (SetDefaults_LimitRangeItem): a missing `default` is its `max`, a missing `defaultRequest`
 *   its `default`, else its `min`. So `get -o yaml` shows what admission will fill in.
 * - Refused as Kubernetes refuses it (ValidateLimitRange), after those defaults: a type given
 *   twice, default/defaultRequest on a Pod item, a PersistentVolumeClaim item without storage
 *   min or max, min > max, a default or defaultRequest outside min..max, defaultRequest >
 *   default, a ratio below 1 or above max/min; with Kubernetes' words
 *   (`spec.limits[0].default[cpu]: Invalid value: "1": default value 2 is greater than max value 1`).
 * - Resources: cpu and memory for Container and Pod items (the engine models no other
 *   container resource), storage for PersistentVolumeClaim items, which are kept and shown but
 *   have no effect (the engine has no volumes claims). Anything else is refused by name.
 * - Quantities are kept parsed (Amounts: cpu in millicores, memory and storage in bytes, a
 *   ratio in thousandths) and shown in Kubernetes' canonical form (`500m`, `2`, `1Gi`, `1G`).
 */
import { z } from "zod";
import { EngineError } from "../core/errors";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import { compact, type KubeObject, managedFieldsInput, objectMeta, rfc3339 } from "./kubernetes";
import { nameColumn } from "./printers";
import { formatCpu, formatMemory, parseCpu, parseMemory } from "./quantity";
import type { ManagedMeta, NamespacedMeta } from "./types";
import { dnsName, dnsSubdomain, metadataSchema } from "./validation";

export const LIMIT_TYPES = ["Container", "Pod", "PersistentVolumeClaim"] as const;
export type LimitType = (typeof LIMIT_TYPES)[number];

export const LIMIT_RESOURCES = ["cpu", "memory", "storage"] as const;
export type LimitResource = (typeof LIMIT_RESOURCES)[number];

/** Parsed quantities by Kubernetes resource name: cpu in millicores, memory and storage in bytes. */
export type Amounts = Readonly<Partial<Record<LimitResource, number>>>;

/** One entry of `spec.limits`. `maxLimitRequestRatio` holds thousandths (2 → 2000, 1.5 → 1500). */
export interface LimitRangeItem {
  type: LimitType;
  max?: Amounts;
  min?: Amounts;
  default?: Amounts;
  defaultRequest?: Amounts;
  maxLimitRequestRatio?: Amounts;
}

export interface LimitRange extends NamespacedMeta, ManagedMeta {
  kind: "LimitRange";
  limits: readonly LimitRangeItem[];
}

export const AMOUNT_FIELDS = ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] as const;
type AmountField = (typeof AMOUNT_FIELDS)[number];

const quantityInput = z.union([z.string().max(64), z.number().finite()]).transform(String);
const amountsInput = z.record(z.string().max(253), quantityInput).optional();

/**
 * The input of create and replace: Kubernetes' LimitRange with `spec` flattened (metadata fields
 * and `limits` side by side, as ConfigMap's `data`). Quantities are strings or numbers.
 */
export const limitRangeSchema = z.strictObject({
  namespace: dnsName.optional(),
  name: dnsSubdomain,
  ...metadataSchema.shape,
  limits: z
    .array(
      z.strictObject({
        type: z.string().max(64),
        max: amountsInput,
        min: amountsInput,
        default: amountsInput,
        defaultRequest: amountsInput,
        maxLimitRequestRatio: amountsInput,
      }),
    )
    .max(16)
    .default([]),
  /** Replace only the object at this resourceVersion (optimistic concurrency). */
  resourceVersion: z.number().int().min(0).optional(),
  managedFields: managedFieldsInput,
});
export type LimitRangeInput = z.input<typeof limitRangeSchema>;
type ParsedItem = z.output<typeof limitRangeSchema>["limits"][number];

/** The decimal-SI suffixes Kubernetes keeps for a quantity given in them (`1G` stays `1G`). */
const DECIMAL: readonly [string, number][] = [
  ["P", 1e15],
  ["T", 1e12],
  ["G", 1e9],
  ["M", 1e6],
  ["k", 1e3],
];

/**
 * Bytes in Kubernetes' canonical form: the exact binary or decimal suffix that gives the smaller
 * number (`1Gi`, `256Mi`, `10G`, `1500M`; a tie goes to binary), else plain bytes.
 */
export function formatBytes(bytes: number): string {
  const binary = formatMemory(bytes);
  if (bytes === 0) return binary;
  const mantissa = (t: string) => Number(/^\d+/.exec(t)?.[0] ?? t);
  const factor = DECIMAL.find(([, f]) => bytes >= f && bytes % f === 0);
  if (!factor) return binary;
  const decimal = `${bytes / factor[1]}${factor[0]}`;
  return mantissa(decimal) < mantissa(binary) ? decimal : binary;
}

/** One amount in Kubernetes' canonical form. A ratio is a plain decimal (thousandths: 1500 → `1500m`, as Kubernetes prints 1.5). */
export function formatAmount(resource: LimitResource, value: number, ratio = false): string {
  if (ratio || resource === "cpu") return formatCpu(value);
  return formatBytes(value);
}

function parseAmount(resource: LimitResource, text: string, ratio: boolean, field: string): number {
  if (ratio || resource === "cpu") return parseCpu(text, field);
  return parseMemory(text, field);
}

const supportedFor = (type: LimitType): readonly LimitResource[] =>
  type === "PersistentVolumeClaim" ? ["storage"] : ["cpu", "memory"];

const bad = (field: string, value: string, why: string) => `${field}: Invalid value: ${JSON.stringify(value)}: ${why}`;

/** The parsed input's items as stored, with the API server's Container defaults; throws INVALID (every problem) otherwise. */
export function normaliseLimitRange(name: string, items: readonly ParsedItem[]): LimitRangeItem[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const out: LimitRangeItem[] = [];
  items.forEach((raw, i) => {
    const at = `spec.limits[${i}]`;
    if (!(LIMIT_TYPES as readonly string[]).includes(raw.type)) {
      problems.push(
        `${at}.type: Unsupported value: ${JSON.stringify(raw.type)}: supported values: ${LIMIT_TYPES.map((t) => JSON.stringify(t)).join(", ")}`,
      );
      return;
    }
    const type = raw.type as LimitType;
    if (seen.has(type)) problems.push(`${at}.type: Duplicate value: ${JSON.stringify(type)}`);
    seen.add(type);
    const item: { -readonly [F in AmountField]?: Partial<Record<LimitResource, number>> } = {};
    for (const f of AMOUNT_FIELDS) {
      const given = raw[f];
      if (given === undefined || Object.keys(given).length === 0) continue;
      if (type === "Pod" && (f === "default" || f === "defaultRequest")) {
        problems.push(`${at}.${f}: Forbidden: may not be specified when \`type\` is 'Pod'`);
        continue;
      }
      const amounts: Partial<Record<LimitResource, number>> = {};
      for (const [k, text] of Object.entries(given)) {
        const field = `${at}.${f}[${k}]`;
        const supported = supportedFor(type);
        if (!(supported as readonly string[]).includes(k)) {
          problems.push(
            `${field}: Unsupported value: ${JSON.stringify(k)}: supported values: ${supported.map((r) => JSON.stringify(r)).join(", ")}`,
          );
          continue;
        }
        try {
          amounts[k as LimitResource] = parseAmount(k as LimitResource, text, f === "maxLimitRequestRatio", "");
        } catch (e) {
          problems.push(`${field}: ${(e as Error).message}`);
        }
      }
      item[f] = amounts;
    }
    if (type === "Container") {
      // The API server's defaults for a Container item, in its order.
      const def = { ...item.max, ...item.default };
      const defReq = { ...item.min, ...def, ...item.defaultRequest };
      if (Object.keys(def).length > 0) item.default = def;
      if (Object.keys(defReq).length > 0) item.defaultRequest = defReq;
    }
    if (type === "PersistentVolumeClaim" && item.min?.storage === undefined && item.max?.storage === undefined)
      problems.push(
        `${at}.limits: Required value: either minimum or maximum storage value is required, but neither was provided`,
      );
    problems.push(...consistencyProblems(at, item));
    out.push(strip({ type, ...item }));
  });
  if (problems.length > 0)
    throw new EngineError(
      "INVALID",
      `LimitRange "${name}" is invalid: ${problems.length === 1 ? problems[0] : `[${problems.join(", ")}]`}`,
    );
  return out;
}

/** Kubernetes' cross-field rules of one item, per resource. */
function consistencyProblems(at: string, item: Partial<Record<AmountField, Amounts>>): string[] {
  const problems: string[] = [];
  for (const r of LIMIT_RESOURCES) {
    const [min, max, def, req, ratio] = [
      item.min?.[r],
      item.max?.[r],
      item.default?.[r],
      item.defaultRequest?.[r],
      item.maxLimitRequestRatio?.[r],
    ];
    const q = (v: number) => formatAmount(r, v);
    if (min !== undefined && max !== undefined && min > max)
      problems.push(bad(`${at}.min[${r}]`, q(min), `min value ${q(min)} is greater than max value ${q(max)}`));
    if (req !== undefined && min !== undefined && min > req)
      problems.push(
        bad(
          `${at}.defaultRequest[${r}]`,
          q(req),
          `min value ${q(min)} is greater than default request value ${q(req)}`,
        ),
      );
    if (req !== undefined && max !== undefined && req > max)
      problems.push(
        bad(
          `${at}.defaultRequest[${r}]`,
          q(req),
          `default request value ${q(req)} is greater than max value ${q(max)}`,
        ),
      );
    if (req !== undefined && def !== undefined && req > def)
      problems.push(
        bad(
          `${at}.defaultRequest[${r}]`,
          q(req),
          `default request value ${q(req)} is greater than default limit value ${q(def)}`,
        ),
      );
    // Kubernetes names the bound, not the default, as the invalid value of these two.
    if (def !== undefined && min !== undefined && min > def)
      problems.push(bad(`${at}.default[${r}]`, q(min), `min value ${q(min)} is greater than default value ${q(def)}`));
    if (def !== undefined && max !== undefined && def > max)
      problems.push(bad(`${at}.default[${r}]`, q(max), `default value ${q(def)} is greater than max value ${q(max)}`));
    if (ratio !== undefined) {
      const text = formatCpu(ratio);
      if (ratio < 1000) problems.push(bad(`${at}.maxLimitRequestRatio[${r}]`, text, `ratio ${text} is less than 1`));
      else if (min !== undefined && max !== undefined && min > 0 && ratio / 1000 > max / min)
        problems.push(
          bad(
            `${at}.maxLimitRequestRatio[${r}]`,
            text,
            `ratio ${text} is greater than max/min = ${(max / min).toFixed(6)}`,
          ),
        );
    }
  }
  return problems;
}

function strip<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

function amountsToKubernetes(a: Amounts | undefined, ratio = false): Record<string, string> | undefined {
  if (!a) return undefined;
  const out: Record<string, string> = {};
  for (const r of LIMIT_RESOURCES) {
    const v = a[r];
    if (v !== undefined) out[r] = formatAmount(r, v, ratio);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** One item in Kubernetes' shape: quantities as canonical strings, empty maps left out. */
export function limitRangeItemToKubernetes(item: LimitRangeItem): Record<string, unknown> {
  return compact({
    type: item.type,
    max: amountsToKubernetes(item.max),
    min: amountsToKubernetes(item.min),
    default: amountsToKubernetes(item.default),
    defaultRequest: amountsToKubernetes(item.defaultRequest),
    maxLimitRequestRatio: amountsToKubernetes(item.maxLimitRequestRatio, true),
  });
}

export function limitRangeToKubernetes(lr: LimitRange): KubeObject {
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: objectMeta(lr),
    spec: { limits: lr.limits.map(limitRangeItemToKubernetes) },
  };
}

export const limitRangeKind: KindDefinition<"LimitRange"> = {
  kind: "LimitRange",
  apiKind: "LimitRange",
  group: "",
  version: "v1",
  apiVersion: "v1",
  plural: "limitranges",
  singular: "limitrange",
  shortNames: ["limits"],
  namespaced: true,
  nameScope: "namespace",
  categories: [],
  inputSchema: limitRangeSchema,
  fieldGetters: metadataFieldGetters<LimitRange>(),
  // kubectl's columns for limit ranges: NAME and CREATED AT (the timestamp, not an age).
  printerColumns: [
    nameColumn<LimitRange>(),
    {
      name: "Created At",
      type: "date",
      priority: 0,
      description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
      cell: (lr) => rfc3339(lr.createdAt),
    },
  ],
  toKubernetes: limitRangeToKubernetes,
  // No onChange: a LimitRange acts only when a deployment's template is admitted (admission/limit-range.ts);
  // objects that exist are not changed by it, as in Kubernetes.
};
