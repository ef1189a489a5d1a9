/**
 * Writes of the namespaced kinds that are data only (ConfigMap, Secret, LimitRange), each mapped
 * to the engine's create / replace / delete command:
 * - POST creates from the manifest; PUT replaces the object, refused (Conflict) when
 *   metadata.resourceVersion is stale; PATCH (JSON, merge, strategic merge) applies the patch to
 *   the object's Kubernetes form and replaces it at the version it was read (so a concurrent
 *   change is a Conflict, never lost); DELETE removes it, with an optional precondition.
 * - A field outside the kind's shape is Invalid naming its path; server-set metadata is ignored.
 * - dryRun is refused (400): these commands cannot validate without storing yet.
 */
import type { AnyKindDefinition, ConfigMap, LimitRange, ObjectKind, Orchestrator, Secret } from "../../engine";
import type { KubeObject } from "../../engine";
import { json, type KubeRequest } from "../context";
import { getVisible, toKube } from "../objects";
import { aboutTarget, badRequest, invalidError, type StatusCause } from "../status";
import { parseJsonBody } from "./body";
import { applyPatch } from "./patching";
import { parseRv, preconditionRv, success } from "./write";

type DataKind = "ConfigMap" | "Secret" | "LimitRange";
type Obj = Record<string, unknown>;
type Stored = ConfigMap | Secret | LimitRange;

/** Metadata a write may carry: what it sets, and what the server sets (ignored). */
const METADATA = ["name", "namespace", "labels", "annotations"];
const SERVER_METADATA = ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink"];

interface DataCommands {
  /** The top-level fields of the kind besides apiVersion, kind and metadata. */
  fields: readonly string[];
  /** The engine input from the manifest's fields. */
  input(o: Obj): Obj;
  create(e: Orchestrator, tenantId: string, input: Obj): Promise<Stored>;
  replace(e: Orchestrator, tenantId: string, input: Obj): Promise<Stored>;
  remove(
    e: Orchestrator,
    tenantId: string,
    name: string,
    opts: { namespace: string; resourceVersion?: number },
  ): Promise<void>;
}

const COMMANDS: Record<DataKind, DataCommands> = {
  ConfigMap: {
    fields: ["data", "binaryData", "immutable"],
    input: (o) => ({ data: o.data, binaryData: o.binaryData, immutable: o.immutable }),
    create: (e, t, i) => e.createConfigMap(t, i as never),
    replace: (e, t, i) => e.replaceConfigMap(t, i as never),
    remove: (e, t, n, o) => e.deleteConfigMap(t, n, o),
  },
  Secret: {
    fields: ["type", "data", "stringData", "immutable"],
    input: (o) => ({ type: o.type, data: o.data, stringData: o.stringData, immutable: o.immutable }),
    create: (e, t, i) => e.createSecret(t, i as never),
    replace: (e, t, i) => e.replaceSecret(t, i as never),
    remove: (e, t, n, o) => e.deleteSecret(t, n, o),
  },
  LimitRange: {
    fields: ["spec"],
    input: (o) => ({ limits: (o.spec as { limits?: unknown } | undefined)?.limits }),
    create: (e, t, i) => e.createLimitRange(t, i as never),
    replace: (e, t, i) => e.replaceLimitRange(t, i as never),
    remove: (e, t, n, o) => e.deleteLimitRange(t, n, o),
  },
};

export const isDataKind = (kind: ObjectKind): kind is DataKind => kind in COMMANDS;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const defined = (o: Obj) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The engine input of a manifest, after checking its shape against the URL's namespace and name. */
function inputOf(def: AnyKindDefinition, body: unknown, namespace: string, name: string | undefined): Obj {
  const commands = COMMANDS[def.kind as DataKind];
  const target = { kind: def.apiKind, name: name ?? "", resource: def.plural, group: def.group };
  if (!isObj(body)) throw badRequest(`the body must be a ${def.apiKind} object`);
  const causes: StatusCause[] = [];
  for (const k of Object.keys(body))
    if (!["apiVersion", "kind", "metadata", "status", ...commands.fields].includes(k))
      causes.push({ field: k, message: "field not declared in schema", reason: "FieldValueInvalid" });
  if (body.kind !== undefined && body.kind !== def.apiKind)
    causes.push({ field: "kind", message: `must be ${def.apiKind}`, reason: "FieldValueInvalid" });
  const meta = isObj(body.metadata) ? body.metadata : {};
  for (const k of Object.keys(meta))
    if (![...METADATA, ...SERVER_METADATA].includes(k))
      causes.push({
        field: `metadata.${k}`,
        message: "field not supported by this server",
        reason: "FieldValueInvalid",
      });
  if (meta.namespace !== undefined && meta.namespace !== namespace)
    causes.push({
      field: "metadata.namespace",
      message: `the namespace of the object (${String(meta.namespace)}) does not match the namespace on the request (${namespace})`,
    });
  if (name !== undefined && meta.name !== undefined && meta.name !== name)
    causes.push({
      field: "metadata.name",
      message: `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
    });
  if (causes.length) throw invalidError({ ...target, name: String(meta.name ?? name ?? "") }, causes);
  return defined({
    namespace,
    name: meta.name ?? name,
    labels: meta.labels,
    annotations: meta.annotations,
    ...commands.input(body),
  });
}

export async function writeDataObject(req: KubeRequest, def: AnyKindDefinition, tenantId: string): Promise<Response> {
  const commands = COMMANDS[def.kind as DataKind];
  const { method, target: t } = req;
  const namespace = t.namespace as string;
  if (req.url.searchParams.get("dryRun"))
    throw badRequest(`dryRun is not supported for ${def.plural} by this server yet (nothing was changed)`);
  const about = (name: string) => ({ name, resource: def.plural, group: def.group, kind: def.apiKind });
  const answer = (o: Stored, status = 200) => json(toKube(o, req.conversion()), status);

  if (method === "POST" && !t.name) {
    const input = inputOf(def, parseJsonBody(req), namespace, undefined);
    return answer(
      await aboutTarget(about(String(input.name ?? "")), () => commands.create(req.engine, tenantId, input)),
      201,
    );
  }
  if (!t.name || t.subresource) throw badRequest(`${method} needs an object of ${def.plural} named in the path`);
  const name = t.name;
  const current = getVisible(req.engine, def, { caller: req.caller, namespace }, name) as Stored;
  if (method === "DELETE") {
    const rv = preconditionRv(req);
    await aboutTarget(about(name), () =>
      commands.remove(req.engine, tenantId, name, { namespace, ...(rv !== undefined ? { resourceVersion: rv } : {}) }),
    );
    return success(def.plural, def.group, name, current.id);
  }
  let body: unknown;
  let resourceVersion: number | undefined;
  if (method === "PUT") {
    body = parseJsonBody(req);
    resourceVersion = parseRv(isObj(body) && isObj(body.metadata) ? body.metadata.resourceVersion : undefined);
  } else if (method === "PATCH") {
    body = applyPatch(req, toKube(current, req.conversion()) as KubeObject);
    resourceVersion = current.resourceVersion;
  } else throw badRequest(`${method} is not served for ${def.plural}`);
  const input = {
    ...inputOf(def, body, namespace, name),
    ...(resourceVersion !== undefined ? { resourceVersion } : {}),
  };
  return answer(await aboutTarget(about(name), () => commands.replace(req.engine, tenantId, input)));
}
