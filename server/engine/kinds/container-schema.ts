/**
 * The input schemas of what a container and a pod spec take beyond image, command, env values,
 * ports and resources: args, imagePullPolicy, named ports, env from ConfigMaps, Secrets and the
 * pod's own fields (valueFrom, envFrom), volumes (emptyDir, configMap, secret) and their mounts,
 * probes, security contexts, and the bag of fields the engine does not model (`unmodelled`).
 * validation.ts composes them into the pod template schema.
 *
 * Guarantees:
 * - Defaults are Kubernetes' (probe period 10 s, timeout 1 s, success 1, failure 3, httpGet
 *   path "/" and scheme HTTP, grpc service "", fieldRef apiVersion v1, resourceFieldRef divisor
 *   "0", configMap/secret volume defaultMode 420); inside these new objects they are filled in.
 * - Canonical form (canonicalContainer): a field whose Kubernetes default is computed or fixed
 *   (imagePullPolicy for the image, terminationMessagePath/Policy) is not kept when given equal
 *   to it, and empty lists, maps, `readOnly: false` are not kept, so the input of `get -o yaml`'s
 *   output parses to the same template (same pod-template-hash: no rollout on re-apply), and a
 *   template stored before these fields existed hashes as before.
 * - Refusals name the field and use Kubernetes' words (`Not found: "config"`, `Duplicate value:
 *   "http"`, `may not specify more than 1 handler type`, …).
 */
import { z } from "zod";
import { parseMemory } from "./quantity";
import type { ContainerSpec, EnvVar, ImagePullPolicy, Probe } from "./types";

const MAX_INT32 = 2_147_483_647;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

type Ctx = z.RefinementCtx;
type Path = (string | number)[];

export function issue(ctx: Ctx, path: Path, message: string): void {
  ctx.addIssue({ code: "custom", path, message });
}

const label = z
  .string()
  .max(63, "must be at most 63 characters")
  .regex(
    DNS_LABEL,
    "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
  );
const objectName = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(DNS_SUBDOMAIN, "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.'");
const configKey = z
  .string()
  .min(1)
  .max(253)
  .regex(CONFIG_KEY, "must consist of alphanumeric characters, '-', '_' or '.'");
const int32 = z.number().int().min(0).max(MAX_INT32);
const fileMode = z.number().int().min(0).max(0o777, "must be a number between 0 and 0777 (octal), both inclusive");

/** Kubernetes' IANA_SVC_NAME (a named port): its rules and words (IsValidPortName). */
export const portName = z
  .string()
  .max(253)
  .superRefine((s, ctx) => {
    const problems: string[] = [];
    if (s.length > 15) problems.push("must be no more than 15 characters");
    if (!/^[-a-z0-9]+$/.test(s))
      problems.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    if (s.includes("--")) problems.push("must not contain consecutive hyphens");
    if (!/[a-z]/.test(s)) problems.push("must contain at least one letter (a-z)");
    if (s.startsWith("-") || s.endsWith("-")) problems.push("must not begin or end with a hyphen");
    if (problems.length > 0) issue(ctx, [], `Invalid value: ${JSON.stringify(s)}: ${problems.join(", ")}`);
  });

/** Fields the engine models, which the unmodelled bags may not hold (they would be given twice). */
export const MODELLED_CONTAINER_FIELDS = [
  "name",
  "image",
  "command",
  "args",
  "env",
  "envFrom",
  "ports",
  "resources",
  "imagePullPolicy",
  "volumeMounts",
  "livenessProbe",
  "readinessProbe",
  "startupProbe",
  "securityContext",
  "terminationMessagePath",
  "terminationMessagePolicy",
] as const satisfies readonly (keyof ContainerSpec)[];
export const CONTAINER_FIELDS: readonly string[] = MODELLED_CONTAINER_FIELDS;
/** `dnsPolicy` and `schedulerName` are not modelled: the conversion shows Kubernetes' defaults unless the bag holds them. */
export const POD_SPEC_FIELDS: readonly string[] = [
  "containers",
  "restartPolicy",
  "terminationGracePeriodSeconds",
  "nodeSelector",
  "volumes",
  "securityContext",
  "nodeName",
];
export const VOLUME_FIELDS: readonly string[] = ["name", "emptyDir", "configMap", "secret"];

const MAX_JSON_DEPTH = 24;
/** A plain JSON value (what a manifest holds): no functions, undefined, non-finite numbers or class instances. */
function isJson(v: unknown, depth = 0): boolean {
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (depth >= MAX_JSON_DEPTH || typeof v !== "object") return false;
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1));
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return false;
  return Object.values(v).every((x) => isJson(x, depth + 1));
}
const jsonValue = z.unknown().refine((v) => isJson(v), "must be a JSON value");

/** Unmodelled fields: JSON values by their Kubernetes names; empty is absent. */
const FIELD_NAME = /^[a-zA-Z][a-zA-Z0-9]*$/;
/** Checked on the raw keys: a record schema would skip a `__proto__` key without a word. */
const fieldNamedObject = z.custom<Record<string, unknown>>(
  (v) =>
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).every((k) => FIELD_NAME.test(k) && k.length <= 253),
  "must be an object whose keys are Kubernetes field names (letters and digits, starting with a letter)",
);
export const unmodelled = fieldNamedObject
  .pipe(z.record(z.string(), jsonValue))
  .refine((r) => Object.keys(r).length <= 64, "at most 64 unmodelled fields")
  .transform((r) => (Object.keys(r).length > 0 ? r : undefined));

export function checkUnmodelledKeys(
  bag: Readonly<Record<string, unknown>> | undefined,
  modelled: readonly string[],
  path: Path,
  ctx: Ctx,
): void {
  for (const k of Object.keys(bag ?? {}))
    if (modelled.includes(k))
      issue(ctx, [...path, k], "Invalid value: this field is modelled: give it as a field, not as an unmodelled one");
}

// ---- env -------------------------------------------------------------------------------

const keySelector = z.strictObject({ name: objectName, key: configKey, optional: z.boolean().optional() });

/** The pod fields a fieldRef may read in an env var (Kubernetes' list for env). */
export const ENV_FIELD_PATHS = [
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "spec.nodeName",
  "spec.serviceAccountName",
  "status.podIP",
  "status.hostIP",
] as const;
const LABEL_OR_ANNOTATION = /^metadata\.(labels|annotations)\['([^']+)'\]$/;

export const RESOURCE_FIELDS = [
  "limits.cpu",
  "limits.memory",
  "limits.ephemeral-storage",
  "requests.cpu",
  "requests.memory",
  "requests.ephemeral-storage",
] as const;

const quantity = z.union([z.string().max(32), z.number().transform(String)]).superRefine((s, ctx) => {
  if (!/^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[munkMGTPE]|[KMGTPE]i)?$/.test(s))
    issue(ctx, [], `Invalid value: ${JSON.stringify(s)}: must be a quantity (e.g. "1", "1m", "1Mi")`);
});

const envVarSource = z.strictObject({
  configMapKeyRef: keySelector.optional(),
  secretKeyRef: keySelector.optional(),
  fieldRef: z
    .strictObject({
      apiVersion: z
        .string()
        .max(64)
        .refine((v) => v === "v1", 'Unsupported value: supported values: "v1"')
        .default("v1"),
      fieldPath: z.string().max(512),
    })
    .superRefine((f, ctx) => {
      if ((ENV_FIELD_PATHS as readonly string[]).includes(f.fieldPath) || LABEL_OR_ANNOTATION.test(f.fieldPath)) return;
      const supported = [...ENV_FIELD_PATHS, "metadata.labels['<KEY>']", "metadata.annotations['<KEY>']"];
      issue(
        ctx,
        ["fieldPath"],
        `Unsupported value: ${JSON.stringify(f.fieldPath)}: supported values: ${supported.map((p) => JSON.stringify(p)).join(", ")}`,
      );
    })
    .optional(),
  resourceFieldRef: z
    .strictObject({
      containerName: z.string().max(63).optional(),
      resource: z.enum(RESOURCE_FIELDS),
      divisor: quantity.default("0"),
    })
    .optional(),
});

/** An env var; `value` may be left out (""), as Kubernetes allows. */
export const envVar = z
  .strictObject({
    name: z.string().min(1).max(255),
    value: z.string().max(32768).optional(),
    valueFrom: envVarSource.optional(),
  })
  .transform(({ name, value, valueFrom }) =>
    valueFrom ? { name, value: value ?? "", valueFrom } : { name, value: value ?? "" },
  );

export function checkEnvVar(e: EnvVar, path: Path, ctx: Ctx): void {
  if (!e.valueFrom) return;
  if (e.value) issue(ctx, [...path, "valueFrom"], 'Invalid value: "": may not be specified when `value` is not empty');
  const n = Object.values(e.valueFrom).filter((v) => v !== undefined).length;
  if (n === 0)
    issue(
      ctx,
      [...path, "valueFrom"],
      'Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
    );
  else if (n > 1)
    issue(ctx, [...path, "valueFrom"], 'Invalid value: "": may not have more than one field specified at a time');
}

const envRef = z.strictObject({ name: objectName, optional: z.boolean().optional() });
export const envFromSource = z.strictObject({
  prefix: z.string().max(255).optional(),
  configMapRef: envRef.optional(),
  secretRef: envRef.optional(),
});

// ---- probes ----------------------------------------------------------------------------

const portRef = z.union([z.number().int().min(1).max(65535), portName]);
const host = z.string().max(253).optional();

export const probe = z.strictObject({
  httpGet: z
    .strictObject({
      path: z.string().max(4096).default("/"),
      port: portRef,
      host,
      scheme: z.enum(["HTTP", "HTTPS"]).default("HTTP"),
      httpHeaders: z
        .array(z.strictObject({ name: z.string().min(1).max(255), value: z.string().max(4096) }))
        .max(32)
        .optional(),
    })
    .optional(),
  tcpSocket: z.strictObject({ port: portRef, host }).optional(),
  exec: z.strictObject({ command: z.array(z.string().max(4096)).max(64).default([]) }).optional(),
  grpc: z
    .strictObject({ port: z.number().int().min(1).max(65535), service: z.string().max(253).default("") })
    .optional(),
  initialDelaySeconds: int32.default(0),
  periodSeconds: int32.min(1).default(10),
  timeoutSeconds: int32.min(1).default(1),
  successThreshold: int32.min(1).default(1),
  failureThreshold: int32.min(1).default(3),
  terminationGracePeriodSeconds: z.number().int().min(1).max(MAX_INT32).optional(),
});

const HANDLERS = ["exec", "httpGet", "tcpSocket", "grpc"] as const;

/** One handler; liveness and startup succeed once; readiness has no grace; a named port is the container's. */
export function checkProbe(
  which: "livenessProbe" | "readinessProbe" | "startupProbe",
  p: Probe,
  portNames: ReadonlySet<string | undefined>,
  path: Path,
  ctx: Ctx,
): void {
  const handlers = HANDLERS.filter((h) => p[h] !== undefined);
  if (handlers.length === 0) issue(ctx, path, "Required value: must specify a handler type");
  else if (handlers.length > 1)
    issue(ctx, [...path, handlers[1] as string], "Forbidden: may not specify more than 1 handler type");
  if (which !== "readinessProbe" && p.successThreshold !== 1)
    issue(ctx, [...path, "successThreshold"], `Invalid value: ${p.successThreshold}: must be 1`);
  if (which === "readinessProbe" && p.terminationGracePeriodSeconds !== undefined)
    issue(
      ctx,
      [...path, "terminationGracePeriodSeconds"],
      `Invalid value: ${p.terminationGracePeriodSeconds}: must not be set for readinessProbes`,
    );
  for (const h of ["httpGet", "tcpSocket"] as const) {
    const port = p[h]?.port;
    if (typeof port === "string" && !portNames.has(port))
      issue(
        ctx,
        [...path, h, "port"],
        `Invalid value: ${JSON.stringify(port)}: no containerPort named ${JSON.stringify(port)} in this container`,
      );
  }
}

// ---- security contexts -------------------------------------------------------------------

const capability = z.string().min(1).max(64);
const SHARED_SECURITY = {
  runAsUser: int32.optional(),
  runAsGroup: int32.optional(),
  runAsNonRoot: z.boolean().optional(),
  seccompProfile: z
    .strictObject({
      type: z.enum(["RuntimeDefault", "Unconfined", "Localhost"]),
      localhostProfile: z.string().max(4096).optional(),
    })
    .optional(),
  appArmorProfile: z
    .strictObject({
      type: z.enum(["RuntimeDefault", "Unconfined", "Localhost"]),
      localhostProfile: z.string().max(4096).optional(),
    })
    .optional(),
  seLinuxOptions: z
    .strictObject({
      user: z.string().max(253).optional(),
      role: z.string().max(253).optional(),
      type: z.string().max(253).optional(),
      level: z.string().max(253).optional(),
    })
    .optional(),
  windowsOptions: z.record(z.string().max(253), jsonValue).optional(),
};
const nonEmpty = <T extends object>(o: T): T | undefined => (Object.keys(o).length > 0 ? o : undefined);

/** A container's SecurityContext, stored as given (empty: absent). */
export const securityContext = z
  .strictObject({
    ...SHARED_SECURITY,
    readOnlyRootFilesystem: z.boolean().optional(),
    allowPrivilegeEscalation: z.boolean().optional(),
    privileged: z.boolean().optional(),
    capabilities: z
      .strictObject({ add: z.array(capability).max(64).optional(), drop: z.array(capability).max(64).optional() })
      .optional(),
    procMount: z.enum(["Default", "Unmasked"]).optional(),
  })
  .transform(nonEmpty);

/** A pod's PodSecurityContext, stored as given (empty: absent). */
export const podSecurityContext = z
  .strictObject({
    ...SHARED_SECURITY,
    fsGroup: int32.optional(),
    fsGroupChangePolicy: z.enum(["OnRootMismatch", "Always"]).optional(),
    supplementalGroups: z.array(int32).max(64).optional(),
    supplementalGroupsPolicy: z.enum(["Merge", "Strict"]).optional(),
    sysctls: z
      .array(z.strictObject({ name: z.string().min(1).max(253), value: z.string().max(4096) }))
      .max(64)
      .optional(),
  })
  .transform(nonEmpty);

// ---- volumes ---------------------------------------------------------------------------

const relativePath = z
  .string()
  .min(1)
  .max(4096)
  .superRefine((s, ctx) => {
    if (s.startsWith("/")) issue(ctx, [], `Invalid value: ${JSON.stringify(s)}: must be a relative path`);
    if (s.split("/").includes("..")) issue(ctx, [], `Invalid value: ${JSON.stringify(s)}: must not contain '..'`);
  });
const keyToPath = z.strictObject({ key: configKey, path: relativePath, mode: fileMode.optional() });
/** Kubernetes' default file mode of configMap and secret volumes: 0644. */
export const DEFAULT_VOLUME_MODE = 0o644;

export const volume = z
  .strictObject({
    name: label,
    emptyDir: z
      .strictObject({
        medium: z.enum(["", "Memory"]).optional(),
        sizeLimit: z
          .string()
          .max(32)
          .superRefine((s, ctx) => {
            try {
              parseMemory(s, "");
            } catch (e) {
              issue(ctx, [], (e as Error).message);
            }
          })
          .optional(),
      })
      .transform(({ medium, sizeLimit }) => ({ ...(medium ? { medium } : {}), ...(sizeLimit ? { sizeLimit } : {}) }))
      .optional(),
    configMap: z
      .strictObject({
        name: objectName,
        items: z.array(keyToPath).max(256).optional(),
        defaultMode: fileMode.default(DEFAULT_VOLUME_MODE),
        optional: z.boolean().optional(),
      })
      .optional(),
    secret: z
      .strictObject({
        secretName: objectName,
        items: z.array(keyToPath).max(256).optional(),
        defaultMode: fileMode.default(DEFAULT_VOLUME_MODE),
        optional: z.boolean().optional(),
      })
      .optional(),
    unmodelled: unmodelled.optional(),
  })
  .transform(strip);

export const volumeMount = z
  .strictObject({
    name: z.string().min(1).max(63),
    mountPath: z.string().min(1).max(4096),
    readOnly: z.boolean().optional(),
    subPath: z.string().max(4096).optional(),
  })
  .transform(({ readOnly, subPath, ...m }) => ({
    ...m,
    ...(readOnly ? { readOnly } : {}),
    ...(subPath ? { subPath } : {}),
  }));

// ---- canonical form --------------------------------------------------------------------

/** Kubernetes' default: Always for `:latest` or an untagged image, else IfNotPresent (a digest counts as a tag). */
export function defaultPullPolicy(image: string): ImagePullPolicy {
  if (image.includes("@")) return "IfNotPresent";
  const last = image.slice(image.lastIndexOf("/") + 1);
  const colon = last.indexOf(":");
  const tag = colon < 0 ? "" : last.slice(colon + 1);
  return tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
}

export const DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";

/** The object without its undefined-valued keys (so hashes and deep equality agree). */
export function strip<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

const emptyList = (l: readonly unknown[] | undefined) => l === undefined || l.length === 0;

/** The container in canonical form (see the module's guarantees). */
export function canonicalContainer<C extends ContainerSpec>(c: C): C {
  return strip({
    ...c,
    args: emptyList(c.args) ? undefined : c.args,
    envFrom: emptyList(c.envFrom) ? undefined : c.envFrom,
    volumeMounts: emptyList(c.volumeMounts) ? undefined : c.volumeMounts,
    imagePullPolicy: c.imagePullPolicy === defaultPullPolicy(c.image) ? undefined : c.imagePullPolicy,
    terminationMessagePath:
      c.terminationMessagePath === DEFAULT_TERMINATION_MESSAGE_PATH ? undefined : c.terminationMessagePath,
    terminationMessagePolicy: c.terminationMessagePolicy === "File" ? undefined : c.terminationMessagePolicy,
  });
}
