/**
 * Input validation for commands (zod). Guarantees: every accepted input is normalised
 * (defaults filled in as Kubernetes would) and every rejection is an EngineError INVALID
 * whose message names the field and the rule, e.g.
 * `spec.template.spec.containers[0].image: "Nginx" is not a valid image reference`.
 * No accepted input holds text the store cannot keep (NUL, unpaired UTF-16 surrogates), in
 * any string or object key: such input is refused before any rule runs, naming the field.
 */
import { z } from "zod";
import { firstUnstorableChar } from "../../../lib/storable-text";
import { EngineError } from "../core/errors";
import { containerMemoryProblem, parseCpu, parseMemory } from "./quantity";
import { deploymentSelectorProblem } from "./selectors";
import {
  CONTAINER_FIELDS,
  canonicalContainer,
  checkEnvVar,
  checkProbe,
  checkUnmodelledKeys,
  envFromSource,
  envVar,
  issue,
  POD_SPEC_FIELDS,
  podSecurityContext,
  portName,
  probe,
  securityContext,
  unmodelled,
  VOLUME_FIELDS,
  volume,
  volumeMount,
} from "./container-schema";
import type { DeploymentStrategy, IntOrPercent, LabelSelector, PodTemplate, StringMap } from "./types";

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

// apimachinery's own texts (util/validation), so messages read as kube-apiserver's.
const QUALIFIED_NAME_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** What is wrong with a label or annotation key (apimachinery's IsQualifiedName): [] when nothing. */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split("/");
  if (parts.length > 2)
    return [
      `a qualified name ${QUALIFIED_NAME_RULE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  const name = parts.at(-1) as string;
  const out: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    if (prefix.length === 0) out.push("prefix part must be non-empty");
    else if (prefix.length > 253) out.push("prefix part must be no more than 253 characters");
    else if (!DNS1123_SUBDOMAIN.test(prefix)) out.push(`prefix part ${SUBDOMAIN_RULE}`);
  }
  if (name.length === 0) out.push("name part must be non-empty");
  else if (name.length > 63) out.push("name part must be no more than 63 characters");
  if (!QUALIFIED_NAME.test(name)) out.push(`name part ${QUALIFIED_NAME_RULE}`);
  return out;
}

/** What is wrong with a label value (apimachinery's IsValidLabelValue): [] when nothing. */
export function labelValueProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push("must be no more than 63 characters");
  if (!LABEL_VALUE.test(value)) out.push(LABEL_VALUE_RULE);
  return out;
}

/** field.Invalid's text: `Invalid value: "x": why` (the path comes from the issue). */
const invalidValue = (value: string, why: string) =>
  `Invalid value: ${JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value)}: ${why}`;

/** UTF-8 bytes of `s` (Kubernetes counts annotation bytes, not UTF-16 units). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
// registry[:port]/path[:tag][@sha256:digest], lowercase path components as Docker requires.
const IMAGE_RE =
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export const dnsName = z
  .string()
  .max(63, "must be at most 63 characters")
  .regex(
    DNS1123,
    "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
  );

/** A DNS-1123 subdomain (ConfigMap and Secret names): dot-separated labels, at most 253 characters. */
export const dnsSubdomain = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
  );

export const imageRef = z
  .string()
  .max(255)
  .superRefine((s, ctx) => {
    if (!IMAGE_RE.test(s))
      ctx.addIssue({
        code: "custom",
        message: `"${s}" is not a valid image reference (expected e.g. "nginx:1.27" or "registry.example.com/team/app:v2")`,
      });
  });

// The issue's path names the field, so the quantity's own message does not ("" below).
const cpuString = z
  .string()
  .max(32)
  .superRefine((s, ctx) => {
    try {
      parseCpu(s, "");
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
    }
  });
const memString = z
  .string()
  .max(32)
  .superRefine((s, ctx) => {
    try {
      parseMemory(s, "");
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
    }
  });
/** A container's memory request or limit: a valid quantity, and not a few bytes by mistake. */
const containerMemString = z
  .string()
  .max(32)
  .superRefine((s, ctx) => {
    let bytes: number;
    try {
      bytes = parseMemory(s, "");
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message });
      return;
    }
    const problem = containerMemoryProblem(s, bytes);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
/** Labels (keys qualified names, values label values, as apimachinery validates them); at most 64. */
const labels = z.record(z.string(), z.string()).superRefine((r, ctx) => {
  const keys = Object.keys(r);
  if (keys.length > 64) return ctx.addIssue({ code: "custom", message: "at most 64 labels" });
  for (const k of keys) {
    for (const m of qualifiedNameProblems(k)) ctx.addIssue({ code: "custom", message: invalidValue(k, m) });
    const v = r[k] as string;
    for (const m of labelValueProblems(v)) ctx.addIssue({ code: "custom", message: invalidValue(v, m) });
  }
});

/** Kubernetes' limit on all of an object's annotations together (kubectl's last-applied copy lives there). */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;
/** Annotations: keys qualified names (a prefix of any case, as kube-apiserver lowercases it first), ≤ 256 KiB in all. */
const annotations = z.record(z.string(), z.string()).superRefine((r, ctx) => {
  let bytes = 0;
  for (const [k, v] of Object.entries(r)) {
    for (const m of qualifiedNameProblems(k.toLowerCase()))
      ctx.addIssue({ code: "custom", message: invalidValue(k, m) });
    bytes += utf8Length(k) + utf8Length(v);
  }
  if (bytes > MAX_ANNOTATIONS_BYTES)
    ctx.addIssue({ code: "custom", message: `Too long: must have at most ${MAX_ANNOTATIONS_BYTES} bytes` });
});

const container = z
  .strictObject({
    name: dnsName,
    image: imageRef,
    command: z.array(z.string().max(4096)).max(64).optional(),
    args: z.array(z.string().max(4096)).max(256).optional(),
    env: z.array(envVar).max(128).default([]),
    envFrom: z.array(envFromSource).max(32).optional(),
    ports: z
      .array(
        z.strictObject({
          name: portName.optional(),
          containerPort: z.number().int().min(1).max(65535),
          protocol: z.enum(["TCP", "UDP"]).default("TCP"),
        }),
      )
      .max(64)
      .default([]),
    resources: z
      .strictObject({
        requests: z
          .strictObject({ cpu: cpuString.default("100m"), memory: containerMemString.default("128Mi") })
          .default({ cpu: "100m", memory: "128Mi" }),
        limits: z.strictObject({ cpu: cpuString.optional(), memory: containerMemString.optional() }).default({}),
      })
      .default({ requests: { cpu: "100m", memory: "128Mi" }, limits: {} }),
    imagePullPolicy: z.enum(["Always", "IfNotPresent", "Never"]).optional(),
    volumeMounts: z.array(volumeMount).max(64).optional(),
    livenessProbe: probe.optional(),
    readinessProbe: probe.optional(),
    startupProbe: probe.optional(),
    securityContext: securityContext.optional(),
    terminationMessagePath: z.string().min(1).max(4096).optional(),
    terminationMessagePolicy: z.enum(["File", "FallbackToLogsOnError"]).optional(),
    unmodelled: unmodelled.optional(),
  })
  .superRefine((c, ctx) => {
    checkUnmodelledKeys(c.unmodelled, CONTAINER_FIELDS, ["unmodelled"], ctx);
    c.env.forEach((e, i) => {
      checkEnvVar(e, ["env", i], ctx);
    });
    c.envFrom?.forEach((e, i) => {
      const n = (e.configMapRef ? 1 : 0) + (e.secretRef ? 1 : 0);
      if (n !== 1)
        issue(
          ctx,
          ["envFrom", i],
          n === 0
            ? 'Invalid value: "": must specify one of: `configMapRef` or `secretRef`'
            : 'Invalid value: "": may not have more than one field specified at a time',
        );
    });
    const names = new Set((c.ports ?? []).map((p) => p.name).filter((n) => n !== undefined));
    for (const which of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
      const p = c[which];
      if (p) checkProbe(which, p, names, [which], ctx);
    }
    const paths = new Set<string>();
    c.volumeMounts?.forEach((m, i) => {
      if (paths.has(m.mountPath))
        issue(ctx, ["volumeMounts", i, "mountPath"], `Invalid value: "${m.mountPath}": must be unique`);
      paths.add(m.mountPath);
    });
  })
  .transform(canonicalContainer);

/** The pod spec: containers, restart policy, grace, node selector, volumes, security context, unmodelled fields. */
const podSpecSchema = z
  .strictObject({
    containers: z.array(container).min(1, "at least one container is required").max(16),
    restartPolicy: z.enum(["Always", "OnFailure", "Never"]).default("Always"),
    terminationGracePeriodSeconds: z.number().int().min(0).max(3600).default(30),
    nodeSelector: labels.default({}),
    volumes: z.array(volume).max(64).optional(),
    securityContext: podSecurityContext.optional(),
    unmodelled: unmodelled.optional(),
  })
  .superRefine((spec, ctx) => {
    checkUnmodelledKeys(spec.unmodelled, POD_SPEC_FIELDS, ["unmodelled"], ctx);
    const volumes = new Set<string>();
    spec.volumes?.forEach((v, i) => {
      if (volumes.has(v.name)) issue(ctx, ["volumes", i, "name"], `Duplicate value: "${v.name}"`);
      volumes.add(v.name);
      const sources = (["emptyDir", "configMap", "secret"] as const).filter((k) => v[k] !== undefined);
      checkUnmodelledKeys(v.unmodelled, VOLUME_FIELDS, ["volumes", i, "unmodelled"], ctx);
      const n = sources.length + Object.keys(v.unmodelled ?? {}).length;
      if (n === 0) issue(ctx, ["volumes", i], "Required value: must specify a volume type");
      else if (n > 1)
        issue(
          ctx,
          ["volumes", i, sources[1] ?? sources[0] ?? "unmodelled"],
          "Forbidden: may not specify more than 1 volume type",
        );
    });
    const portNames = new Set<string>();
    spec.containers.forEach((c, ci) => {
      c.ports.forEach((p, pi) => {
        if (p.name === undefined) return;
        if (portNames.has(p.name)) issue(ctx, ["containers", ci, "ports", pi, "name"], `Duplicate value: "${p.name}"`);
        portNames.add(p.name);
      });
      c.volumeMounts?.forEach((m, mi) => {
        if (!volumes.has(m.name)) issue(ctx, ["containers", ci, "volumeMounts", mi, "name"], `Not found: "${m.name}"`);
      });
    });
  })
  .transform((spec) => {
    const { volumes, securityContext, unmodelled, ...rest } = spec;
    return {
      ...rest,
      ...(volumes && volumes.length > 0 ? { volumes } : {}),
      ...(securityContext ? { securityContext } : {}),
      ...(unmodelled ? { unmodelled } : {}),
    };
  });

export const podTemplateSchema = z.strictObject({
  labels: labels.default({}),
  annotations: annotations.default({}),
  spec: podSpecSchema,
});

/** Kubernetes' LabelSelector (matchLabels and set-based matchExpressions). */
export const labelSelectorSchema = z.strictObject({
  matchLabels: labels.default({}),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string().min(1).max(317),
        operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
        values: z.array(z.string().max(63)).max(64).optional(),
      }),
    )
    .max(32)
    .optional(),
});
export type LabelSelectorInput = z.input<typeof labelSelectorSchema>;

const intOrPercent = z.union([
  z.number().int().min(0).max(100_000),
  z.string().regex(/^\d{1,3}%$/, 'must be a number or a percentage like "25%"'),
]);

/** What a Recreate strategy stores (DeploymentStrategy): no surge, every pod may be down. */
export const RECREATE_FENCEPOSTS = { maxSurge: 0, maxUnavailable: "100%" } as const;

/**
 * RollingUpdate (maxSurge/maxUnavailable, 25 % each by default) or Recreate. Recreate takes no
 * rollingUpdate fields (Kubernetes' refusal), except the values it stores itself (0 and
 * "100%"), so its own output parses again.
 */
const strategySchema = z
  .strictObject({
    type: z.enum(["RollingUpdate", "Recreate"]).default("RollingUpdate"),
    maxSurge: intOrPercent.optional(),
    maxUnavailable: intOrPercent.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.type !== "Recreate") return;
    const own =
      (s.maxSurge === undefined || s.maxSurge === RECREATE_FENCEPOSTS.maxSurge) &&
      (s.maxUnavailable === undefined || s.maxUnavailable === RECREATE_FENCEPOSTS.maxUnavailable);
    if (!own)
      ctx.addIssue({
        code: "custom",
        path: ["rollingUpdate"],
        message: "Forbidden: may not be specified when strategy `type` is 'Recreate'",
      });
  })
  .transform(
    (s): DeploymentStrategy =>
      s.type === "Recreate"
        ? { type: "Recreate", ...RECREATE_FENCEPOSTS }
        : {
            type: "RollingUpdate",
            maxSurge: (s.maxSurge ?? "25%") as IntOrPercent,
            maxUnavailable: (s.maxUnavailable ?? "25%") as IntOrPercent,
          },
  );

export const deploymentSpecSchema = z.strictObject({
  replicas: z.number().int().min(0).max(1000).default(1),
  /** Absent: the template's labels (filled in by the create command, see defaultSelector). */
  selector: labelSelectorSchema.optional(),
  template: podTemplateSchema,
  strategy: strategySchema.default({ type: "RollingUpdate", maxSurge: "25%", maxUnavailable: "25%" }),
  minReadySeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .optional()
    .transform((n) => (n ? n : undefined)),
  revisionHistoryLimit: z.number().int().min(0).max(100).default(10),
  paused: z.boolean().default(false),
  progressDeadlineSeconds: z.number().int().min(1).max(86_400).default(600),
});
export type DeploymentSpecInput = z.input<typeof deploymentSpecSchema>;
export type PodTemplateInput = z.input<typeof podTemplateSchema>;

export const nodePoolSchema = z.strictObject({
  name: dnsName,
  machineType: z.enum(["2c4g", "4c8g", "8c16g"]),
  minSize: z.number().int().min(0).max(1000).default(0),
  maxSize: z.number().int().min(0).max(1000),
  labels: labels.default({}),
  trimmedImage: z.boolean().default(false),
  staticIp: z.boolean().default(false),
  warmPoolSize: z.number().int().min(0).max(100).default(0),
});
export type NodePoolInput = z.input<typeof nodePoolSchema>;

export const quotaSchema = z.strictObject({
  cpu: cpuString.optional(),
  memory: memString.optional(),
  pods: z.number().int().min(0).max(1_000_000).optional(),
  nodes: z.number().int().min(0).max(100_000).optional(),
  /** PublicIPs the tenant may hold (any phase); absent: unlimited. */
  publicIps: z.number().int().min(0).max(100_000).optional(),
});
export type QuotaInput = z.input<typeof quotaSchema>;

/** A namespace's name: a DNS-1123 label, as Kubernetes requires. */
export const namespaceSchema = z.strictObject({
  name: dnsName,
  labels: labels.default({}),
});
export type NamespaceInput = z.input<typeof namespaceSchema>;

/** A ResourceQuota's `spec.hard`, in Kubernetes' quantities. */
export const resourceQuotaSchema = z.strictObject({
  namespace: dnsName.optional(),
  name: dnsName.default("namespace-quota"),
  hard: z.strictObject({
    cpu: cpuString.optional(),
    memory: memString.optional(),
    pods: z.number().int().min(0).max(1_000_000).optional(),
  }),
  resourceVersion: z.number().int().min(0).optional(),
});
export type ResourceQuotaInput = z.input<typeof resourceQuotaSchema>;

/** Object metadata a command may set: labels and annotations. */
export const metadataSchema = z.strictObject({
  labels: labels.optional(),
  annotations: annotations.optional(),
});

/** apps/v1 rules for a deployment's selector (not empty, selects the template's labels), as INVALID. */
export function checkSelector(selector: LabelSelector, templateLabels: StringMap): void {
  const problem = deploymentSelectorProblem(selector, templateLabels);
  if (problem) throw new EngineError("INVALID", problem);
}

/** Parse or throw EngineError INVALID listing every problem with its path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ""): z.output<S> {
  const unstorable = findUnstorableText(input, prefix || "input");
  if (unstorable) throw new EngineError("INVALID", unstorable);
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const msg = r.error.issues
    .slice(0, 5)
    .map((i) => {
      const path = [prefix, ...i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))]
        .join("")
        .replace(/^\./, "");
      return `${path || "input"}: ${i.message}`;
    })
    .join("; ");
  throw new EngineError("INVALID", msg);
}

// Deeper than any schema here; past it the walk stops and the schema refuses the shape.
const MAX_DEPTH = 32;

function unstorableProblem(s: string): string | undefined {
  const bad = firstUnstorableChar(s);
  if (bad === null) return undefined;
  if (bad === "\u0000") return "contains a NUL character (U+0000), which cannot be stored";
  const code = bad.charCodeAt(0).toString(16).toUpperCase();
  return `contains an unpaired surrogate (U+${code}), which is not valid Unicode text`;
}

/**
 * The first string or object key in `value` the store could not keep, as "path: problem".
 * The store (PostgreSQL text and JSONB) refuses such text, and a refused batch makes the
 * engine reload every tenant, so it must never get past validation.
 */
export function findUnstorableText(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === "string") {
    const p = unstorableProblem(value);
    return p ? `${path}: ${p}` : undefined;
  }
  if (depth >= MAX_DEPTH || typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findUnstorableText(value[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    const keyProblem = unstorableProblem(k);
    if (keyProblem) return `${path}: a key ${keyProblem}`;
    const p = findUnstorableText(v, `${path}.${k}`, depth + 1);
    if (p) return p;
  }
  return undefined;
}

export function validateName(kind: string, name: unknown): string {
  return parseInput(dnsName, name, `${kind} name`);
}

/** Cross-field rules zod cannot express alone. */
export function checkStrategy(s: { maxSurge: IntOrPercent; maxUnavailable: IntOrPercent }): void {
  const zero = (v: IntOrPercent) => v === 0 || v === "0%";
  if (zero(s.maxSurge) && zero(s.maxUnavailable)) {
    throw new EngineError(
      "INVALID",
      "spec.strategy: maxSurge and maxUnavailable may not both be 0; a rolling update could never make progress",
    );
  }
}

/** Kubernetes: a rollout must be able to make progress within its deadline. */
export function checkMinReady(s: { minReadySeconds?: number; progressDeadlineSeconds: number }): void {
  if (s.minReadySeconds !== undefined && s.progressDeadlineSeconds <= s.minReadySeconds)
    throw new EngineError(
      "INVALID",
      `spec.progressDeadlineSeconds: Invalid value: ${s.progressDeadlineSeconds}: must be greater than minReadySeconds`,
    );
}

export function checkLimits(t: PodTemplate): void {
  t.spec.containers.forEach((c, i) => {
    const { requests, limits } = c.resources;
    if (limits.cpu && parseCpu(limits.cpu) < parseCpu(requests.cpu)) {
      throw new EngineError(
        "INVALID",
        `spec.template.spec.containers[${i}].resources: cpu limit ${limits.cpu} is below the request ${requests.cpu}`,
      );
    }
    if (limits.memory && parseMemory(limits.memory) < parseMemory(requests.memory)) {
      throw new EngineError(
        "INVALID",
        `spec.template.spec.containers[${i}].resources: memory limit ${limits.memory} is below the request ${requests.memory}`,
      );
    }
  });
  const names = new Set(t.spec.containers.map((c) => c.name));
  if (names.size !== t.spec.containers.length)
    throw new EngineError("INVALID", "spec.template.spec.containers: container names must be unique");
}
