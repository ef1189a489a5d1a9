/**
 * Writes, each mapped to one orchestrator command with its precondition (a stale
 * metadata.resourceVersion is Conflict, from the engine):
 * - namespaces: create (POST), delete (DELETE; the namespace turns Terminating);
 * - deployments: create (POST), update (PUT), patch (PATCH), delete (DELETE),
 *   deployments/scale GET/PUT/PATCH (autoscaling/v1 Scale);
 * - nodes: PATCH of spec.unschedulable only (cordon / uncordon);
 * - pods: delete, and pods/eviction (POST).
 * `dryRun=All` is honoured for deployment create, update and patch (write-deployment.ts) and
 * refused (400) for every other write: a dry run must never store.
 */
import type { Deployment, KubeObject, Node, Pod } from "../../engine";
import { mustWrite } from "../auth";
import type { ServedResource } from "../catalog";
import { json, type KubeRequest } from "../context";
import { checkNamespaceAccess, getVisible, toKube } from "../objects";
import { writeNeed } from "../permissions";
import { aboutTarget, badRequest, KubeError } from "../status";
import { parseJsonBody } from "./body";
import { applyPatch } from "./patching";
import { isDataKind, writeDataObject } from "./write-data";
import { createDeployment, deploymentScale, isDryRun, updateDeploymentFrom } from "./write-deployment";
import { readScope } from "./read";

const VERB: Record<string, string> = { POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" };

export async function writeObject(req: KubeRequest, served: ServedResource): Promise<Response> {
  const { def } = served;
  const { target: t, method } = req;
  // A dry run is honoured for deployment create/update/patch only (write-deployment.ts): never store on one.
  if (isDryRun(req) && !(def.kind === "Deployment" && !t.subresource && method !== "DELETE"))
    throw badRequest(
      `dryRun is not supported for ${method} ${def.plural}${t.subresource ? `/${t.subresource}` : ""} yet (nothing was changed)`,
    );
  const verb = VERB[method] ?? method.toLowerCase();
  const resource = t.subresource ? `${def.plural}/${t.subresource}` : def.plural;
  const scope = readScope(req);
  checkNamespaceAccess(req.engine, scope, def, verb);
  const what = `${resource}${def.group ? `.${def.group}` : ""}${t.name ? ` "${t.name}"` : ""}`;
  if (!(t.subresource === "scale" && method === "GET")) mustWrite(req.caller, writeNeed(def.plural), `${verb} ${what}`);
  const tenantId = req.caller.tenantId as string;

  if (isDataKind(def.kind)) return writeDataObject(req, def, tenantId);
  switch (def.kind) {
    case "Namespace":
      if (method === "POST") return createNamespace(req, tenantId);
      if (method === "DELETE" && t.name) {
        getVisible(req.engine, def, scope, t.name);
        const rv = preconditionRv(req);
        const ns = await req.engine.deleteNamespace(tenantId, t.name, rv === undefined ? {} : { resourceVersion: rv });
        return json(toKube(ns, req.conversion()));
      }
      break;
    case "Deployment": {
      const namespace = t.namespace as string;
      if (t.subresource === "scale" && t.name) return deploymentScale(req, tenantId, namespace, t.name);
      if (t.subresource) break;
      if (method === "POST" && !t.name) return createDeployment(req, tenantId, namespace);
      if (!t.name) break;
      const current = getVisible<"Deployment">(req.engine, def, scope, t.name) as Deployment;
      if (method === "DELETE") {
        const policy = deleteOptions(req).propagationPolicy;
        if (policy === "Orphan")
          throw badRequest("propagationPolicy Orphan is not supported: a deployment's replica sets go with it");
        const rv = preconditionRv(req);
        await req.engine.deleteDeployment(tenantId, current.name, {
          namespace,
          ...(rv !== undefined ? { resourceVersion: rv } : {}),
        });
        return success(def.plural, def.group, current.name, current.id);
      }
      const before = toKube(current, req.conversion());
      const after = method === "PUT" ? (parseJsonBody(req) as KubeObject) : applyPatch(req, before);
      return updateDeploymentFrom(req, tenantId, current, before, after, method === "PUT");
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
      if (method === "DELETE" && !t.subresource)
        return deletePod(req, tenantId, t.name, deleteOptions(req).gracePeriodSeconds);
      if (method === "POST" && t.subresource === "eviction") {
        const body = parseJsonBody(req) as { deleteOptions?: { gracePeriodSeconds?: unknown } };
        const grace = body?.deleteOptions?.gracePeriodSeconds;
        await deletePod(req, tenantId, t.name, typeof grace === "number" ? grace : undefined);
        return json({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 }, 201);
      }
      break;
  }
  throw new KubeError(
    "MethodNotAllowed",
    `the server does not allow this method on the requested resource (${method} ${resource})`,
  );
}

async function createNamespace(req: KubeRequest, tenantId: string): Promise<Response> {
  const body = parseJsonBody(req) as {
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
  const ns = await aboutTarget({ name, resource: "namespaces", group: "", kind: "Namespace" }, () =>
    req.engine.createNamespace(tenantId, { name, ...(labels ? { labels } : {}) }),
  );
  return json(toKube(ns, req.conversion()), 201);
}

async function deletePod(
  req: KubeRequest,
  tenantId: string,
  name: string,
  grace: number | undefined,
): Promise<Response> {
  const namespace = req.target.namespace as string;
  const rv = preconditionRv(req);
  await req.engine.deletePod(tenantId, name, {
    namespace,
    ...(rv !== undefined ? { resourceVersion: rv } : {}),
    ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
  });
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
  if (want !== (u0 === true))
    updated = want
      ? await req.engine.cordonNode(tenantId, node.name)
      : await req.engine.uncordonNode(tenantId, node.name);
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
