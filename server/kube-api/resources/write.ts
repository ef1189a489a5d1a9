/**
 * Writes, each mapped to one orchestrator command with its precondition (a stale
 * metadata.resourceVersion is Conflict, from the engine):
 * - namespaces: create (POST), update / patch / server-side apply of their labels and annotations
 *   (PUT, PATCH; the rest of a namespace is the server's), delete (DELETE; it turns Terminating);
 * - deployments: create (POST), update (PUT), patch (PATCH, server-side apply included),
 *   delete (DELETE), deployments/scale GET/PUT/PATCH (autoscaling/v1 Scale);
 * - nodes: PATCH of spec.unschedulable only (cordon / uncordon);
 * - pods: delete, and pods/eviction (POST);
 * - the kinds written whole (write-data.ts), the operator's port bans (write-port-ban.ts) and public
 *   address pools (write-public-ip-pool.ts).
 * `dryRun=All` is honoured by every write: the engine's command checks and admits it as it would
 * the write and stores nothing, and the answer is the write's (a node patch, which has no
 * admission, is answered from the checked patch).
 */
import { type Deployment, type KubeObject, kindDefinition, type Namespace, type Node, type Pod } from "../../engine";
import { mustWrite } from "../auth";
import type { ServedResource } from "../catalog";
import { isApplyPatch, managedFieldsIn, recordManagedFields, writeRequest } from "../convert/write-request";
import { json, type KubeRequest } from "../context";
import { checkNamespaceAccess, getVisible, toKube } from "../objects";
import { writeNeed } from "../permissions";
import { aboutTarget, badRequest, KubeError } from "../status";
import { validateFields } from "../convert/field-validation";
import { bodyTextIfAny, parseJsonBody } from "./body";
import { applyPatch, serverSideApplied } from "./patching";
import { isDataKind, tenantDataCommands, writeDataObject } from "./write-data";
import { writePortBan } from "./write-port-ban";
import { writePublicIpPool } from "./write-public-ip-pool";
import { answerOf, createDeployment, deploymentScale, updateDeploymentFrom } from "./write-deployment";
import { readScope } from "./read";
import { writeVerbOf } from "../write-verbs";

export async function writeObject(req: KubeRequest, served: ServedResource): Promise<Response> {
  const { def } = served;
  const { target: t, method } = req;
  const verb = writeVerbOf(method);
  const resource = t.subresource ? `${def.plural}/${t.subresource}` : def.plural;
  const scope = readScope(req);
  checkNamespaceAccess(req.engine, scope, def, verb);
  const what = `${resource}${def.group ? `.${def.group}` : ""}${t.name ? ` "${t.name}"` : ""}`;
  // The operators' own kinds: written by operators only, before the tenant role rule below.
  if (def.kind === "PortBan") return writePortBan(req, def);
  if (def.kind === "PublicIPPool") return writePublicIpPool(req, def);
  if (!(t.subresource === "scale" && method === "GET")) {
    mustWrite(req.caller, writeNeed(def.plural), `${verb} ${what}`);
    writeRequest(req); // its options are checked before anything is read
  }
  const tenantId = req.caller.tenantId as string;

  if (isDataKind(def.kind)) return writeDataObject(req, def, tenantDataCommands(def.kind, req.engine, tenantId));
  switch (def.kind) {
    case "Namespace":
      if (method === "POST") return createNamespace(req, tenantId);
      if ((method === "PUT" || method === "PATCH") && t.name && !t.subresource)
        return updateNamespace(req, tenantId, t.name);
      if (method === "DELETE" && t.name) {
        getVisible(req.engine, def, scope, t.name);
        const rv = preconditionRv(req);
        const { dryRun } = writeRequest(req);
        const ns = await req.engine.deleteNamespace(tenantId, t.name, {
          dryRun,
          ...(rv === undefined ? {} : { resourceVersion: rv }),
        });
        return json(toKube(ns, req.conversion()));
      }
      break;
    case "Deployment": {
      const namespace = t.namespace as string;
      if (t.subresource === "scale" && t.name) return deploymentScale(req, tenantId, namespace, t.name);
      if (t.subresource) break;
      if (method === "POST" && !t.name) return createDeployment(req, tenantId, namespace);
      if (!t.name) break;
      if (isApplyPatch(req)) {
        const live = findVisible<Deployment>(() => getVisible<"Deployment">(req.engine, def, scope, t.name as string));
        const before = live && toKube(live, req.conversion());
        const applied = serverSideApplied(req, writeRequest(req), before, {
          apiVersion: "apps/v1",
          kind: "Deployment",
          name: t.name,
          namespace,
          resource: "deployments.apps",
        });
        if (!live || !before) return createDeployment(req, tenantId, namespace, applied);
        return updateDeploymentFrom(req, tenantId, live, before, applied, "apply");
      }
      const current = getVisible<"Deployment">(req.engine, def, scope, t.name) as Deployment;
      if (method === "DELETE") {
        const policy = deleteOptions(req).propagationPolicy;
        if (policy === "Orphan")
          throw badRequest("propagationPolicy Orphan is not supported: a deployment's replica sets go with it");
        const rv = preconditionRv(req);
        await req.engine.deleteDeployment(tenantId, current.name, {
          namespace,
          dryRun: writeRequest(req).dryRun,
          ...(rv !== undefined ? { resourceVersion: rv } : {}),
        });
        return success(def.plural, def.group, current.name, current.id);
      }
      const before = toKube(current, req.conversion());
      const after = method === "PUT" ? (parseJsonBody(req) as KubeObject) : applyPatch(req, before);
      // fieldValidation is decided in updateDeploymentFrom, on what the write would store.
      return updateDeploymentFrom(req, tenantId, current, before, after, method === "PUT" ? "put" : "patch");
    }
    case "Node":
      if (method === "PATCH" && t.name && !t.subresource) {
        const node = getVisible<"Node">(req.engine, def, scope, t.name) as Node;
        const before = toKube(node, req.conversion());
        const after = applyPatch(req, before);
        return patchNode(req, tenantId, node, before, after);
      }
      break;
    case "Pod":
      if (!t.name) break;
      if (method === "DELETE" && !t.subresource) {
        const grace = deleteOptions(req).gracePeriodSeconds;
        return deletePod(req, tenantId, t.name, grace, writeRequest(req).dryRun);
      }
      if (method === "POST" && t.subresource === "eviction") {
        const body = parseJsonBody(req) as { deleteOptions?: { gracePeriodSeconds?: unknown; dryRun?: unknown } };
        const grace = body?.deleteOptions?.gracePeriodSeconds;
        const bodyDryRun = body?.deleteOptions?.dryRun;
        if (bodyDryRun !== undefined && !(Array.isArray(bodyDryRun) && bodyDryRun.every((v) => v === "All")))
          throw new KubeError("Invalid", `deleteOptions.dryRun: Unsupported value: ${JSON.stringify(bodyDryRun)}`, {
            causes: [{ field: "deleteOptions.dryRun", message: 'supported values: "All"' }],
          });
        const dryRun = writeRequest(req).dryRun || (Array.isArray(bodyDryRun) && bodyDryRun.length > 0);
        await deletePod(req, tenantId, t.name, typeof grace === "number" ? grace : undefined, dryRun);
        return json({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 }, 201);
      }
      break;
  }
  throw new KubeError(
    "MethodNotAllowed",
    `the server does not allow this method on the requested resource (${method} ${resource})`,
  );
}

/** The object `find` returns, or undefined when it answers NotFound (an apply then creates). */
export function findVisible<T>(find: () => unknown): T | undefined {
  try {
    return find() as T;
  } catch (error) {
    if (error instanceof KubeError && error.reason === "NotFound") return undefined;
    throw error;
  }
}

async function createNamespace(req: KubeRequest, tenantId: string): Promise<Response> {
  const w = writeRequest(req);
  const body = validateFields(req, w, "v1", "Namespace", parseJsonBody(req), bodyTextIfAny(req)) as {
    kind?: unknown;
    metadata?: { name?: unknown; labels?: unknown };
    spec?: unknown;
  };
  const name = body?.metadata?.name;
  if (typeof name !== "string" || !name)
    throw new KubeError(
      "Invalid",
      'Namespace "" is invalid: metadata.name: Required value: name or generateName is required',
      {
        kind: "Namespace",
        group: "",
        causes: [
          {
            field: "metadata.name",
            message: "Required value: name or generateName is required",
            reason: "FieldValueRequired",
          },
        ],
      },
    );
  if (body.kind !== undefined && body.kind !== "Namespace")
    throw badRequest(`the body is a ${String(body.kind)}, not a Namespace`);
  const labels = body.metadata?.labels as Record<string, string> | undefined;
  const managedFields = managedFieldsIn(
    recordManagedFields(w, undefined, { apiVersion: "v1", kind: "Namespace", ...body } as KubeObject),
  );
  const ns = await aboutTarget({ name, resource: "namespaces", group: "", kind: "Namespace" }, () =>
    req.engine.createNamespace(tenantId, { name, ...(labels ? { labels } : {}), managedFields }, { dryRun: w.dryRun }),
  );
  return json(answerOf(req, ns, w), 201);
}

/**
 * PUT, PATCH or server-side apply of a namespace: what it takes is its labels and annotations
 * (`kubectl label namespace`); its name is the URL's, and its spec and status are the server's.
 */
async function updateNamespace(req: KubeRequest, tenantId: string, name: string): Promise<Response> {
  const w = writeRequest(req);
  const def = kindDefinition("Namespace");
  const live = getVisible<"Namespace">(req.engine, def, readScope(req), name) as Namespace;
  const before = toKube(live, req.conversion());
  let after: KubeObject;
  let resourceVersion: number | undefined = live.resourceVersion;
  if (req.method === "PATCH" && isApplyPatch(req))
    after = serverSideApplied(req, w, before, { apiVersion: "v1", kind: "Namespace", name, resource: "namespaces" });
  else if (req.method === "PUT") {
    const body = validateFields(req, w, "v1", "Namespace", parseJsonBody(req), bodyTextIfAny(req)) as KubeObject;
    if (body?.kind !== undefined && body.kind !== "Namespace")
      throw badRequest(`the body is a ${String(body.kind)}, not a Namespace`);
    resourceVersion = parseRv(body?.metadata?.resourceVersion);
    after = recordManagedFields(w, before, body);
  } else
    after = recordManagedFields(
      w,
      before,
      validateFields(req, w, "v1", "Namespace", applyPatch(req, before)) as KubeObject,
    );
  const meta = (after.metadata ?? {}) as {
    name?: unknown;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  if (meta.name !== undefined && meta.name !== name)
    throw new KubeError(
      "Invalid",
      `Namespace "${name}" is invalid: metadata.name: the name of the object does not match the name on the URL`,
      {
        kind: "Namespace",
        name,
        group: "",
        causes: [
          {
            field: "metadata.name",
            message: "the name of the object does not match the name on the URL",
            reason: "FieldValueInvalid",
          },
        ],
      },
    );
  const ns = await aboutTarget({ name, resource: "namespaces", group: "", kind: "Namespace" }, () =>
    req.engine.updateNamespaceMetadata(
      tenantId,
      name,
      {
        labels: meta.labels ?? {},
        annotations: meta.annotations ?? {},
        managedFields: managedFieldsIn(after),
        ...(resourceVersion === undefined ? {} : { resourceVersion }),
      },
      { dryRun: w.dryRun },
    ),
  );
  return json(answerOf(req, ns, w));
}

async function deletePod(
  req: KubeRequest,
  tenantId: string,
  name: string,
  grace: number | undefined,
  dryRun: boolean,
): Promise<Response> {
  const namespace = req.target.namespace as string;
  const rv = preconditionRv(req);
  const before = findVisible<Pod>(() => req.engine.getPod(tenantId, name, { namespace }));
  await req.engine.deletePod(tenantId, name, {
    namespace,
    dryRun,
    ...(rv !== undefined ? { resourceVersion: rv } : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
  });
  if (dryRun && before) {
    // What the delete would leave: the pod Terminating for its grace period (unless it already is).
    const graceMs = grace === undefined ? before.spec.terminationGracePeriodSeconds * 1000 : grace * 1000;
    const terminating: Pod =
      before.deletionTimestamp === undefined
        ? { ...before, deletionTimestamp: req.services.clock.now(), deletionGraceMs: graceMs }
        : before;
    return json(toKube(terminating, req.conversion()));
  }
  try {
    const pod = req.engine.getPod(tenantId, name, { namespace }) as Pod;
    return json(toKube(pod, req.conversion()));
  } catch {
    return success("pods", "", name, undefined);
  }
}

async function patchNode(
  req: KubeRequest,
  tenantId: string,
  node: Node,
  before: KubeObject,
  after: KubeObject,
): Promise<Response> {
  const spec = (o: KubeObject) => (o.spec ?? {}) as Record<string, unknown>;
  const changed = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  const { unschedulable: u0, ...rest0 } = spec(before);
  const { unschedulable: u1, ...rest1 } = spec(after);
  if (changed(rest0, rest1) || changed(before.metadata, after.metadata) || changed(before.status, after.status))
    throw new KubeError(
      "Invalid",
      `Node "${node.name}" is invalid: only spec.unschedulable (cordon, uncordon) can be changed here`,
      {
        name: node.name,
        kind: "nodes",
        causes: [{ field: "spec", message: "only spec.unschedulable can be changed" }],
      },
    );
  const want = u1 === true;
  let updated: Node = node;
  if (want !== (u0 === true)) {
    if (writeRequest(req).dryRun)
      // Cordoning has no admission beyond owning the node (checked above): the answer is the node as it would be.
      updated = { ...node, unschedulable: want };
    else
      updated = want
        ? await req.engine.cordonNode(tenantId, node.name)
        : await req.engine.uncordonNode(tenantId, node.name);
  }
  return json(toKube(updated, req.conversion()));
}

interface DeleteOptions {
  propagationPolicy?: string;
  gracePeriodSeconds?: number;
  preconditions?: { resourceVersion?: string };
}

export function deleteOptions(req: KubeRequest): DeleteOptions {
  const q = req.url.searchParams;
  let body: DeleteOptions = {};
  if (req.body && req.body.byteLength > 0) body = parseJsonBody(req) as DeleteOptions;
  const policy = q.get("propagationPolicy") ?? body?.propagationPolicy;
  if (policy !== undefined && policy !== null && !["Background", "Foreground", "Orphan"].includes(policy))
    throw badRequest(`propagationPolicy: Unsupported value: "${policy}"`);
  const graceRaw = q.get("gracePeriodSeconds") ?? body?.gracePeriodSeconds;
  const grace = graceRaw === undefined || graceRaw === null ? undefined : Number(graceRaw);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0))
    throw badRequest("gracePeriodSeconds must be a non-negative integer");
  return {
    ...(policy ? { propagationPolicy: policy } : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
    ...(body?.preconditions ? { preconditions: body.preconditions } : {}),
  };
}

export function preconditionRv(req: KubeRequest): number | undefined {
  if (req.method !== "DELETE" || !req.body || req.body.byteLength === 0) return undefined;
  const rv = deleteOptions(req).preconditions?.resourceVersion;
  return parseRv(rv);
}

export function parseRv(rv: unknown): number | undefined {
  if (rv === undefined || rv === null || rv === "") return undefined;
  if (typeof rv !== "string" || !/^\d{1,15}$/.test(rv))
    throw badRequest(`metadata.resourceVersion: Invalid value: ${JSON.stringify(rv)}`);
  return Number(rv);
}

export function success(resource: string, group: string, name: string, uid: string | undefined) {
  return json({
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { name, group, kind: resource, ...(uid ? { uid } : {}) },
  });
}
