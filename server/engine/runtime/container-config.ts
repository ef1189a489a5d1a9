/**
 * What a node agent works out before it starts a container, as the kubelet does: the pod's
 * ConfigMap and Secret volumes can be mounted (else FailedMount), and the container's
 * environment from `env` (value, valueFrom) and `envFrom` (else CreateContainerConfigError).
 * Also the probe schedule the simulated runtime follows.
 *
 * Guarantees:
 * - Messages are Kubernetes' (`configmap "x" not found`, `couldn't find key k in ConfigMap ns/x`,
 *   `MountVolume.SetUp failed for volume "v" : secret "s" not found`); a reference marked
 *   `optional` that is missing is skipped, as Kubernetes does.
 * - The environment: every envFrom source in order (prefix + key), then `env` in order, later
 *   entries overriding earlier ones; `$(VAR)` in a value expands to an earlier variable (`$$`
 *   escapes), an unknown one stays as written. Secret values are decoded from base64.
 * - Pure functions of the pod, the spec and the `SourceLookup`.
 */
import { parseCpu, parseMemory } from "../kinds/quantity";
import type { ConfigMap, ContainerSpec, Pod, Probe, Secret } from "../kinds/types";

export type SourceKind = "ConfigMap" | "Secret";

/** The node agent's view of the API: a ConfigMap or Secret of the pod's namespace, or undefined. */
export type SourceLookup = (
  kind: SourceKind,
  tenantId: string,
  namespace: string,
  name: string,
) => ConfigMap | Secret | undefined;

const lower = (k: SourceKind) => (k === "ConfigMap" ? "configmap" : "secret");
const notFound = (k: SourceKind, name: string) => `${lower(k)} "${name}" not found`;

/** A data object's values as text (a Secret's base64 decoded; a ConfigMap's binaryData is no env). */
function values(obj: ConfigMap | Secret): Map<string, string> {
  if (obj.kind === "ConfigMap") return new Map(Object.entries(obj.data));
  return new Map(Object.entries(obj.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
}

/** Why the pod's volumes cannot be mounted yet (FailedMount's message), or undefined. */
export function mountProblem(pod: Pod, lookup: SourceLookup | undefined): string | undefined {
  for (const v of pod.spec.volumes ?? []) {
    const ref = v.configMap
      ? { kind: "ConfigMap" as const, name: v.configMap.name, items: v.configMap.items, optional: v.configMap.optional }
      : v.secret
        ? { kind: "Secret" as const, name: v.secret.secretName, items: v.secret.items, optional: v.secret.optional }
        : undefined;
    if (!ref) continue;
    const obj = lookup?.(ref.kind, pod.tenantId, pod.namespace, ref.name);
    const failed = (why: string) => `MountVolume.SetUp failed for volume "${v.name}" : ${why}`;
    if (!obj) {
      if (ref.optional) continue;
      return failed(notFound(ref.kind, ref.name));
    }
    const keys = new Set([...Object.keys(obj.data), ...(obj.kind === "ConfigMap" ? Object.keys(obj.binaryData) : [])]);
    for (const item of ref.items ?? [])
      if (!keys.has(item.key) && !ref.optional)
        return failed(
          ref.kind === "ConfigMap"
            ? `configmap references non-existent config key: ${item.key}`
            : `references non-existent secret key: ${item.key}`,
        );
  }
  return undefined;
}

const LABEL_OR_ANNOTATION = /^metadata\.(labels|annotations)\['([^']+)'\]$/;

function fieldValue(pod: Pod, path: string): string {
  switch (path) {
    case "metadata.name":
      return pod.name;
    case "metadata.namespace":
      return pod.namespace;
    case "metadata.uid":
      return pod.id;
    case "spec.nodeName":
      return pod.nodeName ?? "";
    case "spec.serviceAccountName": {
      const sa = pod.spec.unmodelled?.serviceAccountName;
      return typeof sa === "string" ? sa : "default";
    }
    case "status.podIP":
      return pod.podIP ?? "";
    // Nodes have no modelled addresses yet.
    case "status.hostIP":
      return "";
  }
  const m = LABEL_OR_ANNOTATION.exec(path);
  if (!m) return "";
  const map = m[1] === "labels" ? pod.labels : pod.annotations;
  return map[m[2] as string] ?? "";
}

/** Kubernetes' resourceFieldRef value: the quantity over the divisor, rounded up; an unset limit reads as the request. */
function resourceValue(spec: ContainerSpec, resource: string, divisor: string): string {
  const [which, name] = resource.split(".") as ["limits" | "requests", string];
  const req = spec.resources.requests as Record<string, string | undefined>;
  const lim = spec.resources.limits as Record<string, string | undefined>;
  const q = which === "limits" ? (lim[name] ?? req[name]) : req[name];
  if (q === undefined) return "0";
  try {
    if (name === "cpu") {
      const d = divisor === "0" ? 1000 : parseCpu(divisor);
      return String(Math.ceil(parseCpu(q) / d));
    }
    const d = divisor === "0" ? 1 : parseMemory(divisor);
    return String(Math.ceil(parseMemory(q) / d));
  } catch {
    return "0";
  }
}

/** `$(VAR)` expansion as the kubelet does it for env values. */
function expand(value: string, env: ReadonlyMap<string, string>): string {
  if (!value.includes("$")) return value;
  return value.replace(/\$\$|\$\(([^)]+)\)/g, (all, name: string | undefined) => {
    if (name === undefined) return "$";
    return env.get(name) ?? all;
  });
}

/** The container's environment, or why it cannot be made (CreateContainerConfigError's message). */
export function resolveEnv(
  pod: Pod,
  spec: ContainerSpec,
  lookup: SourceLookup | undefined,
): { env: Map<string, string> } | { error: string } {
  const env = new Map<string, string>();
  const find = (kind: SourceKind, name: string) => lookup?.(kind, pod.tenantId, pod.namespace, name);
  for (const from of spec.envFrom ?? []) {
    const kind: SourceKind = from.configMapRef ? "ConfigMap" : "Secret";
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const obj = find(kind, ref.name);
    if (!obj) {
      if (ref.optional) continue;
      return { error: notFound(kind, ref.name) };
    }
    for (const [k, v] of values(obj)) env.set(`${from.prefix ?? ""}${k}`, v);
  }
  for (const e of spec.env) {
    const vf = e.valueFrom;
    if (!vf) {
      env.set(e.name, expand(e.value, env));
      continue;
    }
    const keyRef = vf.configMapKeyRef ?? vf.secretKeyRef;
    if (keyRef) {
      const kind: SourceKind = vf.configMapKeyRef ? "ConfigMap" : "Secret";
      const obj = find(kind, keyRef.name);
      if (!obj) {
        if (keyRef.optional) continue;
        return { error: notFound(kind, keyRef.name) };
      }
      const v = values(obj).get(keyRef.key);
      if (v === undefined) {
        if (keyRef.optional) continue;
        return { error: `couldn't find key ${keyRef.key} in ${kind} ${pod.namespace}/${keyRef.name}` };
      }
      env.set(e.name, v);
    } else if (vf.fieldRef) env.set(e.name, fieldValue(pod, vf.fieldRef.fieldPath));
    else if (vf.resourceFieldRef)
      env.set(e.name, resourceValue(spec, vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor));
  }
  return { env };
}

/** The literal env of a spec (what a container sees when its sources cannot be read). */
export const literalEnv = (spec: ContainerSpec) =>
  new Map(spec.env.filter((e) => !e.valueFrom).map((e) => [e.name, e.value]));

/**
 * Seconds from an env switch: a number, or `never` (Infinity); absent or anything else is
 * undefined.
 */
export function envSeconds(env: ReadonlyMap<string, string>, name: string): number | undefined {
  const v = env.get(name);
  if (v === undefined) return undefined;
  if (v.trim() === "never") return Number.POSITIVE_INFINITY;
  const n = Number(v);
  return v.trim() !== "" && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Probe k (k ≥ 1) of a container started at `startedAt` runs at startedAt + initialDelay +
 * k × period (so a passing readiness probe makes the container ready after
 * initialDelaySeconds + periodSeconds × successThreshold).
 */
export const probeTime = (p: Probe, startedAt: number, k: number) =>
  startedAt + (p.initialDelaySeconds + k * p.periodSeconds) * 1000;

/** The first probe index k ≥ 1 that runs at or after `fromMs`. */
export function firstProbeAtOrAfter(p: Probe, startedAt: number, fromMs: number): number {
  const k = Math.ceil((fromMs - startedAt - p.initialDelaySeconds * 1000) / (p.periodSeconds * 1000));
  return Math.max(1, k);
}

/** The probe's failure as the kubelet words it (`Liveness probe failed: HTTP probe failed with statuscode: 503`). */
export function probeFailure(
  which: "Liveness" | "Readiness" | "Startup",
  p: Probe,
  spec: ContainerSpec,
  pod: Pod,
): string {
  const port = (ref: number | string) =>
    typeof ref === "number" ? ref : (spec.ports.find((x) => x.name === ref)?.containerPort ?? ref);
  let why: string;
  if (p.httpGet) why = "HTTP probe failed with statuscode: 503";
  else if (p.tcpSocket) why = `dial tcp ${pod.name}:${port(p.tcpSocket.port)}: connect: connection refused`;
  else if (p.grpc) why = `service unhealthy (responded with "NOT_SERVING")`;
  else why = `command ${JSON.stringify((p.exec?.command ?? []).join(" "))} exited with 1`;
  return `${which} probe failed: ${why}`;
}
