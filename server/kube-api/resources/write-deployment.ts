/**
 * Deployment writes: create from a manifest, update/patch by comparing the object before and
 * after (only the spec fields that changed are sent, so an unchanged template never starts a
 * rollout), server-side apply (patching.ts; an apply to a missing deployment creates it), and
 * the autoscaling/v1 Scale subresource.
 *
 * The deployment's own labels and annotations are stored as given (kubectl's
 * last-applied-configuration included, so `kubectl apply` compares with the file it applied
 * last); the annotations the engine derives (revision, change cause) are shown, not stored.
 * Every write records its field manager in metadata.managedFields (an Update entry; apply: the
 * applier's Apply entry), which the engine stores without a new generation.
 * `fieldValidation` decides what a field the schema does not declare does (convert/field-validation.ts).
 * `dryRun=All`: the engine runs the command (its validation and admission: quota, limit ranges,
 * the growth freeze) and stores nothing; the answer is the one the write would give.
 */
import type { Deployment, KubeObject, UpdateDeploymentInput } from "../../engine";
import { kindDefinition } from "../../engine";
import { deploymentFromKubernetes, deploymentSpec, newWalker } from "../convert/deployment";
import { validateFields } from "../convert/field-validation";
import { managedFieldsIn, recordManagedFields, type WriteRequest, writeRequest } from "../convert/write-request";
import { json, type KubeRequest } from "../context";
import { getVisible, toKube } from "../objects";
import { aboutTarget, invalidError, KubeError } from "../status";
import { bodyTextIfAny, parseJsonBody } from "./body";
import { applyPatch } from "./patching";
import { parseRv } from "./write";

const DERIVED_ANNOTATIONS = ["deployment.kubernetes.io/revision", "kubernetes.io/change-cause"];

const target = (name: string) => ({ kind: "Deployment", name, resource: "deployments", group: "apps" });

/** The object a write answers; a dry-run create has no resourceVersion (nothing committed it). */
export function answerOf(req: KubeRequest, o: Parameters<typeof toKube>[0], w: WriteRequest): KubeObject {
  const kube = toKube(o, req.conversion());
  if (w.dryRun && kube.metadata.resourceVersion === "0") {
    const { resourceVersion: _rv, ...metadata } = kube.metadata;
    return { ...kube, metadata: metadata as KubeObject["metadata"] };
  }
  return kube;
}

/**
 * Create from a manifest (POST), or from what server-side apply made of a missing deployment
 * (`applied`, its managed fields already set).
 */
export async function createDeployment(
  req: KubeRequest,
  tenantId: string,
  namespace: string,
  applied?: KubeObject,
): Promise<Response> {
  const w = writeRequest(req);
  const manifest = applied ?? validateFields(req, w, "apps/v1", "Deployment", parseJsonBody(req), bodyTextIfAny(req));
  const { value, causes, warnings } = deploymentFromKubernetes(manifest, namespace);
  if (causes.length) throw invalidError(target(value.name ?? ""), causes);
  req.warnings.push(...warnings);
  const recorded = applied ?? recordManagedFields(w, undefined, manifest as KubeObject);
  const managedFields = managedFieldsIn(recorded);
  const d = await aboutTarget({ name: value.name, resource: "deployments", group: "apps", kind: "Deployment" }, () =>
    req.engine.createDeployment(tenantId, { ...value, managedFields }, { dryRun: w.dryRun }),
  );
  return json(answerOf(req, d, w), 201);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The annotations a deployment stores: all but those the conversion derives. */
function storedAnnotations(o: KubeObject): Record<string, string> {
  const a = { ...(o.metadata.annotations ?? {}) };
  for (const k of DERIVED_ANNOTATIONS) delete a[k];
  return a;
}

/**
 * Apply the difference between `before` (the current object's Kubernetes form) and `after`; the
 * write's managed fields are recorded here unless server-side apply set them (`applied`).
 */
export async function updateDeploymentFrom(
  req: KubeRequest,
  tenantId: string,
  current: Deployment,
  before: KubeObject,
  given: KubeObject,
  how: "put" | "patch" | "apply",
): Promise<Response> {
  if (!given || typeof given !== "object" || Array.isArray(given))
    throw new KubeError("BadRequest", "the body must be a Deployment object");
  const w = writeRequest(req);
  // An apply's configuration was checked before it was merged (patching.ts).
  const checked =
    how === "apply"
      ? given
      : validateFields(req, w, "apps/v1", "Deployment", given, how === "put" ? bodyTextIfAny(req) : undefined);
  const after = how === "apply" ? checked : recordManagedFields(w, before, checked);
  const meta = (after.metadata ?? {}) as KubeObject["metadata"];
  if (meta.name !== undefined && meta.name !== current.name)
    throw invalidError(target(current.name), [
      {
        field: "metadata.name",
        message: `the name of the object (${meta.name}) does not match the name on the URL (${current.name})`,
      },
    ]);
  const walker = newWalker();
  const spec = deploymentSpec(walker, (after.spec ?? {}) as Record<string, unknown>);
  const labels = walker.strMap("metadata.labels", meta.labels ?? {}) ?? {};
  const annotations = walker.strMap("metadata.annotations", storedAnnotations({ ...after, metadata: meta })) ?? {};
  if (walker.causes.length) throw invalidError(target(current.name), walker.causes);
  req.warnings.push(...walker.warnings);
  // PUT carries the version it read; a patch only when it names one.
  const rvRaw = meta.resourceVersion;
  const rv = how === "put" || rvRaw !== before.metadata.resourceVersion ? parseRv(rvRaw) : undefined;
  const b = (before.spec ?? {}) as Record<string, unknown>;
  const a = (after.spec ?? {}) as Record<string, unknown>;
  const patch: UpdateDeploymentInput = {};
  if (!same(before.metadata.labels ?? {}, labels)) patch.labels = labels;
  if (!same(storedAnnotations(before), annotations)) patch.annotations = annotations;
  const managedFields = managedFieldsIn(after);
  if (!same(managedFieldsIn(before), managedFields)) patch.managedFields = managedFields;
  if (!same(b.replicas, a.replicas)) patch.replicas = spec.replicas ?? 1;
  if (!same(b.template, a.template)) patch.template = spec.template;
  if (!same(b.selector, a.selector) && spec.selector) patch.selector = spec.selector;
  if (!same(b.strategy, a.strategy) && spec.strategy) patch.strategy = spec.strategy;
  if (!same(b.revisionHistoryLimit, a.revisionHistoryLimit))
    patch.revisionHistoryLimit = spec.revisionHistoryLimit ?? 10;
  if (!same(b.progressDeadlineSeconds, a.progressDeadlineSeconds))
    patch.progressDeadlineSeconds = spec.progressDeadlineSeconds ?? 600;
  if (!same(b.minReadySeconds, a.minReadySeconds)) patch.minReadySeconds = spec.minReadySeconds ?? 0;
  if ((a.paused === true) !== (b.paused === true)) patch.paused = a.paused === true;
  const opts = {
    namespace: current.namespace,
    dryRun: w.dryRun,
    ...(rv !== undefined ? { resourceVersion: rv } : {}),
  };
  // Nothing to change but a stale version: the engine still answers Conflict, as Kubernetes does.
  const d =
    Object.keys(patch).length > 0 || (rv !== undefined && rv !== current.resourceVersion)
      ? await req.engine.updateDeployment(tenantId, current.name, patch, opts)
      : current;
  return json(answerOf(req, d, w));
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
  const w = writeRequest(req);
  // The scale write is recorded on the deployment (spec.replicas), through the subresource, as upstream.
  const kube = toKube(current, ctx);
  const scaled = { ...kube, spec: { ...(kube.spec as object), replicas } } as KubeObject;
  const managedFields = managedFieldsIn(recordManagedFields(w, kube, scaled, "scale"));
  const d = await req.engine.scaleDeployment(tenantId, name, replicas, {
    namespace,
    dryRun: w.dryRun,
    ...(same(managedFieldsIn(kube), managedFields) ? {} : { managedFields }),
    ...(rv !== undefined ? { resourceVersion: rv } : {}),
  });
  return json(scaleOf(d, toKube(d, req.conversion())));
}
