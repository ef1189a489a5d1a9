/**
 * Writes of PortBan (cloud.tenant.io/v1), the operator's cluster-wide blocklist: POST adds an entry
 * (the engine's addPortBan), DELETE removes one (removePortBan). Only an operator's token writes
 * them, the one write an operator token may make here (permissions.ts OPERATOR_RESOURCES): the
 * blocklist belongs to no tenant, so no tenant role reaches it. There is no replace: an entry is
 * changed by deleting it and creating another, so PUT and PATCH are not served (catalog.ts).
 *
 * Guarantees: a tenant's write is Forbidden naming the rule; a field outside the kind's shape is
 * Invalid naming its path, a bad spec Invalid naming the engine's field (`spec.portRangeMax`);
 * dryRun=All checks and stores nothing.
 */
import type { AnyKindDefinition, PortBan } from "../../engine";
import { validateFields } from "../convert/field-validation";
import { writeRequest } from "../convert/write-request";
import { json, type KubeRequest } from "../context";
import { getVisible, toKube } from "../objects";
import { aboutTarget, badRequest, invalidError, KubeError, type StatusCause } from "../status";
import { bodyTextIfAny, parseJsonBody } from "./body";
import { success } from "./write";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const METADATA = new Set(["name", "labels", "annotations"]);
const SERVER_METADATA = new Set([
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "selfLink",
]);

function mustBeOperator(req: KubeRequest, what: string): void {
  if (req.caller.scope !== "operator")
    throw new KubeError(
      "Forbidden",
      `${what} is forbidden: port bans are the operator's cluster-wide blocklist; tenants may only read them.`,
    );
}

/** The engine's input from a manifest, or Invalid naming every field outside the kind's shape. */
function inputOf(def: AnyKindDefinition, body: unknown) {
  if (!isObj(body)) throw badRequest("the body must be a PortBan object");
  const meta = isObj(body.metadata) ? body.metadata : {};
  const name = typeof meta.name === "string" ? meta.name : "";
  const causes: StatusCause[] = [];
  for (const k of Object.keys(body))
    if (!["apiVersion", "kind", "metadata", "spec"].includes(k))
      causes.push({ field: k, message: "field not declared in schema" });
  if (body.kind !== undefined && body.kind !== def.apiKind)
    causes.push({ field: "kind", message: `must be ${def.apiKind}` });
  for (const k of Object.keys(meta))
    if (!METADATA.has(k) && !SERVER_METADATA.has(k) && k !== "namespace")
      causes.push({ field: `metadata.${k}`, message: "field not supported by this server" });
  if (!name) causes.push({ field: "metadata.name", message: "Required value: name or generateName is required" });
  if (!isObj(body.spec)) causes.push({ field: "spec", message: "Required value" });
  if (causes.length) throw invalidError({ kind: def.apiKind, name, resource: def.plural, group: def.group }, causes);
  return {
    name,
    ...(isObj(meta.labels) ? { labels: meta.labels as Record<string, string> } : {}),
    ...(isObj(meta.annotations) ? { annotations: meta.annotations as Record<string, string> } : {}),
    spec: body.spec as never,
  };
}

export async function writePortBan(req: KubeRequest, def: AnyKindDefinition): Promise<Response> {
  const { method, target: t } = req;
  const what = `${method === "DELETE" ? "delete" : "create"} ${def.plural}.${def.group}${t.name ? ` "${t.name}"` : ""}`;
  mustBeOperator(req, what);
  const w = writeRequest(req);
  const about = (name: string) => ({ name, resource: def.plural, group: def.group, kind: def.apiKind });
  if (method === "POST" && !t.name) {
    const body = validateFields(req, w, def.apiVersion, def.apiKind, parseJsonBody(req), bodyTextIfAny(req));
    const input = inputOf(def, body);
    const made = await aboutTarget(about(input.name), () => req.engine.addPortBan(input, { dryRun: w.dryRun }));
    return json(toKube(made, req.conversion()), 201);
  }
  if (method === "DELETE" && t.name && !t.subresource) {
    const current = getVisible<"PortBan">(req.engine, def, { caller: req.caller }, t.name) as PortBan;
    await aboutTarget(about(t.name), () => req.engine.removePortBan(current.name, { dryRun: w.dryRun }));
    return success(def.plural, def.group, current.name, current.id);
  }
  throw badRequest(`${method} is not served for ${def.plural}`);
}
