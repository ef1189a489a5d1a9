/**
 * cloud.tenant.io/v1 ConnectivityCheck: a create-only resource answered at once, as
 * SelfSubjectAccessReview is. `kubectl create -f check.yaml -o yaml` POSTs a spec (one flow:
 * from a pod, to a pod, a service or an address, a protocol and a port) into a namespace and gets the
 * same object back with the orchestrator's decision in status: verdict, path, reason (as data),
 * message, the trace of every filter, and the ends as resolved. Nothing is stored.
 *
 * Guarantees: the tenant is the caller's (an operator checks for the tenant holding the namespace,
 * which it may read); the namespace in the path is where `from` and `to` are looked up unless they
 * name one; a pod or service another tenant holds is NotFound, as a missing one; a spec that is not
 * a flow is Invalid naming the field, never a 500.
 */
import type { ConnectivityCheckInput, ConnectivityCheckResult } from "../../engine/api/network-types";
import { json, type KubeRequest } from "../context";
import { validateFields } from "../convert/field-validation";
import { writeRequest } from "../convert/write-request";
import { ownsNamespace } from "../objects";
import { aboutTarget, forbiddenError, invalidError, type StatusCause } from "../status";
import { bodyTextIfAny, parseJsonBody } from "./body";

export const CONNECTIVITY_CHECK = {
  apiVersion: "cloud.tenant.io/v1",
  kind: "ConnectivityCheck",
  resource: "connectivitychecks",
  group: "cloud.tenant.io",
} as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const PROTOCOLS = ["tcp", "udp", "icmp"] as const;
type Protocol = (typeof PROTOCOLS)[number];

/** The engine's input from the manifest's spec, or every shape problem by field path. */
export function checkInputOf(spec: unknown, namespace: string): ConnectivityCheckInput | StatusCause[] {
  const causes: StatusCause[] = [];
  const required = (field: string) => causes.push({ field, message: "Required value", reason: "FieldValueRequired" });
  if (!isObj(spec)) {
    required("spec");
    return causes;
  }
  const end = (field: "from" | "to"): Obj | undefined => {
    const v = spec[field];
    if (v === undefined) required(`spec.${field}`);
    else if (!isObj(v)) causes.push({ field: `spec.${field}`, message: "Invalid value: must be an object" });
    else {
      const named = (["pod", "service", "address"] as const).filter((k) => v[k] !== undefined);
      const allowed = field === "from" ? ["pod"] : ["pod", "service", "address"];
      for (const k of named)
        if (!allowed.includes(k)) causes.push({ field: `spec.${field}.${k}`, message: "Forbidden: a source is a pod" });
        else if (typeof v[k] !== "string" || v[k] === "")
          causes.push({ field: `spec.${field}.${k}`, message: "Invalid value: must be a non-empty string" });
      if (named.length === 0) required(`spec.${field}.pod`);
      else if (named.length > 1)
        causes.push({
          field: `spec.${field}`,
          message: `Invalid value: exactly one of ${allowed.join(", ")} may be given, not ${named.join(" and ")}`,
        });
      if (v.namespace !== undefined && (typeof v.namespace !== "string" || v.namespace === ""))
        causes.push({ field: `spec.${field}.namespace`, message: "Invalid value: must be a non-empty string" });
      return v;
    }
    return undefined;
  };
  const from = end("from");
  const to = end("to");
  const protocol = spec.protocol;
  if (protocol === undefined) required("spec.protocol");
  else if (!PROTOCOLS.includes(protocol as Protocol))
    causes.push({
      field: "spec.protocol",
      message: `Unsupported value: ${JSON.stringify(protocol)}: supported values: "tcp", "udp", "icmp"`,
      reason: "FieldValueNotSupported",
    });
  const port = spec.port;
  if (port !== undefined && (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535))
    causes.push({
      field: "spec.port",
      message: `Invalid value: ${JSON.stringify(port)}: must be between 1 and 65535, inclusive`,
    });
  else if (port === undefined && (protocol === "tcp" || protocol === "udp"))
    causes.push({
      field: "spec.port",
      message: `Required value: a ${protocol} flow has a port`,
      reason: "FieldValueRequired",
    });
  if (causes.length > 0 || !from || !to) return causes;
  const ns = (v: Obj) => (typeof v.namespace === "string" ? v.namespace : namespace);
  const destination: ConnectivityCheckInput["to"] =
    typeof to.pod === "string"
      ? { pod: to.pod, namespace: ns(to) }
      : typeof to.service === "string"
        ? { service: to.service, namespace: ns(to) }
        : { address: String(to.address) };
  return {
    from: { pod: String(from.pod), namespace: ns(from) },
    to: destination,
    protocol: protocol as Protocol,
    ...(typeof port === "number" ? { port } : {}),
  };
}

/** status as the wire shows it: the decision and its trace; absent fields left out. */
export function checkStatusOf(result: ConnectivityCheckResult): Obj {
  return JSON.parse(
    JSON.stringify({
      verdict: result.verdict,
      path: result.path,
      reason: result.reason,
      message: result.message,
      trace: result.trace,
      source: result.source,
      destination: result.destination,
    }),
  ) as Obj;
}

/** The tenant a check runs for: the caller's, or for an operator the namespace's holder. */
function tenantFor(req: KubeRequest, namespace: string): string {
  const { caller } = req;
  if (caller.scope === "tenant") {
    if (ownsNamespace(req.engine, caller.tenantId, namespace)) return caller.tenantId;
  } else {
    const holder = req.engine.namespaceNamed(namespace)?.tenantId;
    if (holder !== undefined) return holder;
  }
  throw forbiddenError(
    `connectivitychecks.cloud.tenant.io is forbidden: User "${caller.username}" cannot create resource "connectivitychecks" in API group "cloud.tenant.io" in the namespace "${namespace}"`,
    { resource: CONNECTIVITY_CHECK.resource, group: CONNECTIVITY_CHECK.group },
  );
}

export async function connectivityCheck(req: KubeRequest): Promise<Response> {
  const namespace = req.target.namespace as string;
  const tenantId = tenantFor(req, namespace);
  const w = writeRequest(req);
  const { apiVersion, kind } = CONNECTIVITY_CHECK;
  const body = validateFields(req, w, apiVersion, kind, parseJsonBody(req), bodyTextIfAny(req));
  const meta = isObj(body) && isObj(body.metadata) ? body.metadata : {};
  const name = typeof meta.name === "string" ? meta.name : "";
  const target = { ...CONNECTIVITY_CHECK, name };
  const causes: StatusCause[] = [];
  if (!isObj(body)) causes.push({ field: "", message: "the body must be a ConnectivityCheck object" });
  else if (body.kind !== undefined && body.kind !== kind) causes.push({ field: "kind", message: `must be ${kind}` });
  if (meta.namespace !== undefined && meta.namespace !== namespace)
    causes.push({
      field: "metadata.namespace",
      message: `the namespace of the object (${String(meta.namespace)}) does not match the namespace on the request (${namespace})`,
    });
  const input = causes.length > 0 ? causes : checkInputOf(isObj(body) ? body.spec : undefined, namespace);
  if (Array.isArray(input)) throw invalidError(target, input);
  const result = await aboutTarget(target, async () => req.engine.checkConnectivity(tenantId, input));
  const spec = (body as Obj).spec;
  return json(
    {
      apiVersion,
      kind,
      metadata: {
        ...(name ? { name } : {}),
        namespace,
        creationTimestamp: new Date(req.services.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      },
      spec,
      status: checkStatusOf(result),
    },
    201,
  );
}
