/**
 * Deployment writes: create from a manifest, update/patch by comparing the object before and
 * after (only the spec fields that changed are sent, so an unchanged template never starts a
 * rollout), and the autoscaling/v1 Scale subresource.
 *
 * The deployment's own labels and annotations are stored as given (kubectl's
 * last-applied-configuration included, so `kubectl apply` compares with the file it applied
 * last); the annotations the engine derives (revision, change cause) are shown, not stored.
 * `dryRun=All`: converted and checked against the engine's input schema (not admission: quota
 * and the growth freeze are not consulted), then answered without storing.
 */
import type { Deployment, KubeObject, UpdateDeploymentInput } from "../../engine";
import { deploymentSpecSchema, kindDefinition } from "../../engine";
import { deploymentFromKubernetes, deploymentSpec, newWalker } from "../convert/deployment";
import { json, type KubeRequest } from "../context";
import { getVisible, toKube } from "../objects";
import { aboutTarget, invalidError, KubeError } from "../status";
import { parseJsonBody } from "./body";
import { applyPatch } from "./patching";
import { parseRv } from "./write";

const DERIVED_ANNOTATIONS = ["deployment.kubernetes.io/revision", "kubernetes.io/change-cause"];

/** `?dryRun=All` (the only value Kubernetes accepts), or false. */
export function isDryRun(req: KubeRequest): boolean {
  const raw = req.url.searchParams.getAll("dryRun");
  if (raw.length === 0) return false;
  if (raw.every((v) => v === "All")) return true;
  throw new KubeError("BadRequest", `dryRun: Unsupported value: "${raw.join(",")}": supported values: "All"`);
}

/** A dry run's schema check: the engine's own input schema, without storing or admission (quota). */
function validateSpec(name: string, spec: unknown): void {
  const parsed = deploymentSpecSchema.safeParse(spec);
  if (!parsed.success)
    throw invalidError(
      target(name),
      parsed.error.issues.map((i) => ({
        field: ["spec", ...i.path.map(String)].join(".").replace(/\.(\d+)(?=\.|$)/g, "[$1]"),
        message: i.message,
      })),
    );
}
const target = (name: string) => ({ kind: "Deployment", name, resource: "deployments", group: "apps" });

export async function createDeployment(req: KubeRequest, tenantId: string, namespace: string): Promise<Response> {
  const manifest = parseJsonBody(req);
  const { value, causes, warnings } = deploymentFromKubernetes(manifest, namespace);
  if (causes.length) throw invalidError(target(value.name ?? ""), causes);
  req.warnings.push(...warnings);
  if (isDryRun(req)) {
    const { name, namespace: _ns, labels: _l, annotations: _a, ...spec } = value;
    validateSpec(name, spec);
    for (const d of req.engine.eachObject("Deployment"))
      if (d.namespace === namespace && d.name === name)
        throw new KubeError("AlreadyExists", `deployments.apps "${name}" already exists`, {
          name,
          group: "apps",
          kind: "deployments",
        });
    return json(
      { ...(manifest as object), metadata: { ...((manifest as KubeObject).metadata ?? {}), namespace } },
      201,
    );
  }
  const d = await aboutTarget({ name: value.name, resource: "deployments", group: "apps", kind: "Deployment" }, () =>
    req.engine.createDeployment(tenantId, value),
  );
  return json(toKube(d, req.conversion()), 201);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The annotations a deployment stores: all but those the conversion derives. */
function storedAnnotations(o: KubeObject): Record<string, string> {
  const a = { ...(o.metadata.annotations ?? {}) };
  for (const k of DERIVED_ANNOTATIONS) delete a[k];
  return a;
}

/** Apply the difference between `before` (the current object's Kubernetes form) and `after`. */
export async function updateDeploymentFrom(
  req: KubeRequest,
  tenantId: string,
  current: Deployment,
  before: KubeObject,
  after: KubeObject,
  isPut: boolean,
): Promise<Response> {
  if (!after || typeof after !== "object" || Array.isArray(after))
    throw new KubeError("BadRequest", "the body must be a Deployment object");
  const meta = (after.metadata ?? {}) as KubeObject["metadata"];
  if (meta.name !== undefined && meta.name !== current.name)
    throw invalidError(target(current.name), [
      {
        field: "metadata.name",
        message: `the name of the object (${meta.name}) does not match the name on the URL (${current.name})`,
      },
    ]);
  const w = newWalker();
  const spec = deploymentSpec(w, (after.spec ?? {}) as Record<string, unknown>);
  const labels = w.strMap("metadata.labels", meta.labels ?? {}) ?? {};
  const annotations = w.strMap("metadata.annotations", storedAnnotations({ ...after, metadata: meta })) ?? {};
  if (w.causes.length) throw invalidError(target(current.name), w.causes);
  req.warnings.push(...w.warnings);
  // PUT carries the version it read; a patch only when it names one.
  const rvRaw = meta.resourceVersion;
  const rv = isPut || rvRaw !== before.metadata.resourceVersion ? parseRv(rvRaw) : undefined;
  const b = (before.spec ?? {}) as Record<string, unknown>;
  const a = (after.spec ?? {}) as Record<string, unknown>;
  const patch: UpdateDeploymentInput = {};
  if (!same(before.metadata.labels ?? {}, labels)) patch.labels = labels;
  if (!same(storedAnnotations(before), annotations)) patch.annotations = annotations;
  if (!same(b.replicas, a.replicas)) patch.replicas = spec.replicas ?? 1;
  if (!same(b.template, a.template)) patch.template = spec.template;
  if (!same(b.selector, a.selector) && spec.selector) patch.selector = spec.selector;
  if (!same(b.strategy, a.strategy) && spec.strategy) patch.strategy = spec.strategy;
  if (!same(b.revisionHistoryLimit, a.revisionHistoryLimit))
    patch.revisionHistoryLimit = spec.revisionHistoryLimit ?? 10;
  if (!same(b.progressDeadlineSeconds, a.progressDeadlineSeconds))
    patch.progressDeadlineSeconds = spec.progressDeadlineSeconds ?? 600;
  if (!same(b.minReadySeconds, a.minReadySeconds)) patch.minReadySeconds = spec.minReadySeconds ?? 0;
  if (isDryRun(req)) {
    validateSpec(current.name, spec);
    if (rv !== undefined && rv !== current.resourceVersion)
      throw new KubeError(
        "Conflict",
        `Operation cannot be fulfilled on deployments.apps "${current.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: current.name, group: "apps", kind: "deployments" },
      );
    return json({
      ...after,
      metadata: { ...before.metadata, ...meta, resourceVersion: before.metadata.resourceVersion },
    });
  }
  const opts = { namespace: current.namespace, ...(rv !== undefined ? { resourceVersion: rv } : {}) };
  let d: Deployment = current;
  const pausedNow = a.paused === true;
  const pauseChange = pausedNow !== (b.paused === true);
  if (Object.keys(patch).length > 0) d = await req.engine.updateDeployment(tenantId, current.name, patch, opts);
  else if (rv !== undefined && rv !== current.resourceVersion)
    // Nothing to change, but the caller's version is stale: Conflict, as Kubernetes answers.
    d = await req.engine.updateDeployment(tenantId, current.name, {}, opts);
  if (pauseChange) {
    const o = { namespace: current.namespace };
    d = pausedNow
      ? await req.engine.pauseDeployment(tenantId, current.name, o)
      : await req.engine.resumeDeployment(tenantId, current.name, o);
  }
  return json(toKube(d, req.conversion()));
}

function scaleOf(d: Deployment, kube: KubeObject) {
  const sel = kube.spec as { selector?: { matchLabels?: Record<string, string> } };
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: d.name,
      namespace: d.namespace,
      uid: d.id,
      resourceVersion: String(d.resourceVersion),
      creationTimestamp: kube.metadata.creationTimestamp,
    },
    spec: { replicas: d.spec.replicas },
    status: {
      replicas: d.status.replicas,
      selector: Object.entries(sel.selector?.matchLabels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(","),
    },
  };
}

export async function deploymentScale(
  req: KubeRequest,
  tenantId: string,
  namespace: string,
  name: string,
): Promise<Response> {
  const def = kindDefinition("Deployment");
  const current = getVisible<"Deployment">(
    req.engine,
    def as never,
    { caller: req.caller, namespace },
    name,
  ) as Deployment;
  const ctx = req.conversion();
  const before = scaleOf(current, toKube(current, ctx));
  if (req.method === "GET") return json(before);
  let after: { spec?: { replicas?: unknown }; metadata?: { resourceVersion?: unknown } };
  if (req.method === "PUT") after = parseJsonBody(req) as typeof after;
  else if (req.method === "PATCH") after = applyPatch(req, before as unknown as KubeObject) as unknown as typeof after;
  else
    throw new KubeError(
      "MethodNotAllowed",
      `the server does not allow this method on the requested resource (${req.method} deployments/scale)`,
    );
  const replicas = after?.spec?.replicas;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)
    throw invalidError({ kind: "Scale", name, resource: "deployments", group: "apps" }, [
      { field: "spec.replicas", message: "must be a non-negative integer" },
    ]);
  const rvRaw = after.metadata?.resourceVersion;
  const rv = req.method === "PUT" || rvRaw !== before.metadata.resourceVersion ? parseRv(rvRaw) : undefined;
  const d = await req.engine.scaleDeployment(tenantId, name, replicas, {
    namespace,
    ...(rv !== undefined ? { resourceVersion: rv } : {}),
  });
  return json(scaleOf(d, toKube(d, req.conversion())));
}
