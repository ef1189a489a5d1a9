/**
 * A Kubernetes apps/v1 Deployment manifest → the engine's CreateDeploymentInput.
 *
 * The pod template's container, pod spec and volume fields the engine models (CONTAINER_FIELDS,
 * POD_SPEC_FIELDS, VOLUME_FIELDS: probes, env sources, volumes and mounts, security contexts, …)
 * pass through and are validated by the engine, which names the field it refuses. Any other
 * field there is kept as given in the engine's `unmodelled` bag, returned by GET, and said so
 * in a Warning header; `dnsPolicy: ClusterFirst` and `schedulerName: default-scheduler` (what
 * GET shows) are the defaults and need no keeping. Deployment fields: replicas, selector,
 * template, strategy (RollingUpdate with maxSurge/maxUnavailable, or Recreate),
 * revisionHistoryLimit, paused, progressDeadlineSeconds, minReadySeconds; metadata name,
 * namespace, labels, annotations. Server-set metadata and status are accepted and ignored;
 * any other field outside the template is Invalid (422) naming it.
 */
import { CONTAINER_FIELDS, type CreateDeploymentInput, POD_SPEC_FIELDS, VOLUME_FIELDS } from "../../engine";
import type { StatusCause } from "../status";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export interface Converted<T> {
  value: T;
  causes: StatusCause[];
  warnings: string[];
}

class Walker {
  causes: StatusCause[] = [];
  warnings: string[] = [];
  unknown(path: string, o: Obj, known: readonly string[]) {
    for (const k of Object.keys(o))
      if (!known.includes(k))
        this.causes.push({
          field: `${path}.${k}`,
          message: "field not supported by this server",
          reason: "FieldValueNotSupported",
        });
  }
  bad(field: string, message: string) {
    this.causes.push({ field, message, reason: "FieldValueInvalid" });
  }
  list(path: string, v: unknown): unknown[] | undefined {
    if (v === undefined) return undefined;
    if (Array.isArray(v)) return v;
    this.bad(path, "must be a list");
    return undefined;
  }
  obj(path: string, v: unknown): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) {
      this.bad(path, "must be an object");
      return undefined;
    }
    return v;
  }
  strMap(path: string, v: unknown): Record<string, string> | undefined {
    const o = this.obj(path, v);
    if (!o) return undefined;
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(o)) {
      if (typeof val !== "string") this.bad(`${path}.${k}`, "must be a string");
      else out[k] = val;
    }
    return out;
  }
  fixed(path: string, v: unknown, allowed: readonly unknown[]) {
    if (v !== undefined && !allowed.includes(v as never))
      this.causes.push({
        field: path,
        message: `Unsupported value: ${JSON.stringify(v)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
        reason: "FieldValueNotSupported",
      });
  }
}

const META = [
  "name",
  "namespace",
  "labels",
  "annotations",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "selfLink",
];

/**
 * Keys the engine models pass through (it validates them, with their paths); any other key is
 * kept as given in the object's `unmodelled` bag and said so in a warning, never dropped.
 */
function split(
  w: Walker,
  path: string,
  o: Obj,
  modelled: readonly string[],
  fixed: Readonly<Record<string, unknown>> = {},
) {
  const kept: Obj = {};
  const unmodelled: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (modelled.includes(k)) kept[k] = v;
    else if (k in fixed && fixed[k] === v)
      continue; // the value Kubernetes defaults it to: nothing to keep
    else {
      unmodelled[k] = v;
      w.warnings.push(`${path}.${k}: stored as given, but not modelled by this server`);
    }
  }
  return Object.keys(unmodelled).length > 0 ? { ...kept, unmodelled } : kept;
}

function container(w: Walker, path: string, c: unknown) {
  const o = w.obj(path, c);
  if (!o) return undefined;
  const resources = w.obj(`${path}.resources`, o.resources);
  if (resources) w.unknown(`${path}.resources`, resources, ["requests", "limits"]);
  const quantities = (p: string, v: unknown) => {
    const m = w.obj(p, v);
    if (!m) return undefined;
    w.unknown(p, m, ["cpu", "memory"]);
    const out: { cpu?: string; memory?: string } = {};
    for (const k of ["cpu", "memory"] as const) {
      const q = m[k];
      if (q === undefined) continue;
      if (typeof q === "string") out[k] = q;
      else if (typeof q === "number") out[k] = String(q);
      else w.bad(`${p}.${k}`, "must be a quantity");
    }
    return out;
  };
  const requests = quantities(`${path}.resources.requests`, resources?.requests);
  const limits = quantities(`${path}.resources.limits`, resources?.limits);
  const { resources: _given, ...rest } = split(w, path, o, CONTAINER_FIELDS);
  return {
    ...rest,
    ...(requests || limits
      ? {
          resources: {
            // Only what was given: the engine fills the rest (a LimitRange's defaults first).
            ...(requests ? { requests } : {}),
            ...(limits ? { limits } : {}),
          },
        }
      : {}),
  } as NonNullable<CreateDeploymentInput["template"]>["spec"]["containers"][number];
}

/** The engine's pod template input from a Kubernetes PodTemplateSpec (shared by create and update). */
export function podTemplate(w: Walker, path: string, t: unknown) {
  const o = w.obj(path, t) ?? {};
  w.unknown(path, o, ["metadata", "spec"]);
  const meta = w.obj(`${path}.metadata`, o.metadata) ?? {};
  w.unknown(`${path}.metadata`, meta, ["labels", "annotations", "creationTimestamp", "name"]);
  const spec = w.obj(`${path}.spec`, o.spec) ?? {};
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  if (!Array.isArray(spec.containers)) w.bad(`${path}.spec.containers`, "Required value");
  const volumes = w.list(`${path}.spec.volumes`, spec.volumes);
  const labels = w.strMap(`${path}.metadata.labels`, meta.labels);
  const annotations = w.strMap(`${path}.metadata.annotations`, meta.annotations);
  const podSpec = split(w, `${path}.spec`, spec, POD_SPEC_FIELDS, {
    dnsPolicy: "ClusterFirst",
    schedulerName: "default-scheduler",
  });
  return {
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
    spec: {
      ...podSpec,
      containers: containers.map((c, i) => container(w, `${path}.spec.containers[${i}]`, c) ?? { name: "", image: "" }),
      ...(volumes
        ? {
            volumes: volumes.map((v, i) => {
              const vo = w.obj(`${path}.spec.volumes[${i}]`, v) ?? {};
              return split(w, `${path}.spec.volumes[${i}]`, vo, VOLUME_FIELDS);
            }),
          }
        : {}),
    },
  } as NonNullable<CreateDeploymentInput["template"]>;
}

export function newWalker(): Walker {
  return new Walker();
}
export type { Walker };

/** The deployment's spec fields (create and update share them). */
export function deploymentSpec(w: Walker, spec: Obj) {
  w.unknown("spec", spec, [
    "replicas",
    "selector",
    "template",
    "strategy",
    "revisionHistoryLimit",
    "paused",
    "progressDeadlineSeconds",
    "minReadySeconds",
  ]);
  const strategy = w.obj("spec.strategy", spec.strategy);
  let strategyInput: CreateDeploymentInput["strategy"];
  if (strategy) {
    w.unknown("spec.strategy", strategy, ["type", "rollingUpdate"]);
    w.fixed("spec.strategy.type", strategy.type, ["RollingUpdate", "Recreate"]);
    const ru = w.obj("spec.strategy.rollingUpdate", strategy.rollingUpdate);
    if (strategy.type === "Recreate") {
      if (ru)
        w.causes.push({
          field: "spec.strategy.rollingUpdate",
          message: "Forbidden: may not be specified when strategy `type` is 'Recreate'",
          reason: "FieldValueForbidden",
        });
      strategyInput = { type: "Recreate" };
    } else {
      w.unknown("spec.strategy.rollingUpdate", ru ?? {}, ["maxSurge", "maxUnavailable"]);
      strategyInput = {
        type: "RollingUpdate",
        ...(ru?.maxSurge !== undefined ? { maxSurge: ru.maxSurge as number } : {}),
        ...(ru?.maxUnavailable !== undefined ? { maxUnavailable: ru.maxUnavailable as number } : {}),
      };
    }
  }
  const selector = w.obj("spec.selector", spec.selector);
  if (selector) w.unknown("spec.selector", selector, ["matchLabels", "matchExpressions"]);
  return {
    ...(spec.replicas !== undefined ? { replicas: spec.replicas as number } : {}),
    ...(selector ? { selector: selector as CreateDeploymentInput["selector"] } : {}),
    template: podTemplate(w, "spec.template", spec.template),
    ...(strategyInput ? { strategy: strategyInput } : {}),
    ...(spec.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: spec.revisionHistoryLimit as number } : {}),
    ...(spec.paused !== undefined ? { paused: spec.paused as boolean } : {}),
    ...(spec.progressDeadlineSeconds !== undefined
      ? { progressDeadlineSeconds: spec.progressDeadlineSeconds as number }
      : {}),
    ...(spec.minReadySeconds !== undefined ? { minReadySeconds: spec.minReadySeconds as number } : {}),
  };
}

/** A Deployment manifest as a create input (causes empty when it converts cleanly). */
export function deploymentFromKubernetes(manifest: unknown, namespace: string): Converted<CreateDeploymentInput> {
  const w = new Walker();
  const o = isObj(manifest) ? manifest : {};
  if (!isObj(manifest)) w.bad("", "the body must be a Deployment object");
  w.unknown("", o, ["apiVersion", "kind", "metadata", "spec", "status"]);
  w.fixed("apiVersion", o.apiVersion, ["apps/v1"]);
  w.fixed("kind", o.kind, ["Deployment"]);
  const meta = w.obj("metadata", o.metadata) ?? {};
  w.unknown("metadata", meta, META);
  if (typeof meta.name !== "string" || meta.name === "") w.bad("metadata.name", "Required value: name is required");
  if (meta.namespace !== undefined && meta.namespace !== namespace)
    w.bad(
      "metadata.namespace",
      `the namespace of the object (${String(meta.namespace)}) does not match the namespace on the request (${namespace})`,
    );
  const labels = w.strMap("metadata.labels", meta.labels);
  const annotations = w.strMap("metadata.annotations", meta.annotations);
  const spec = w.obj("spec", o.spec) ?? {};
  const value: CreateDeploymentInput = {
    name: meta.name as string,
    namespace,
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
    ...deploymentSpec(w, spec),
  };
  return { value, causes: w.causes, warnings: w.warnings };
}
