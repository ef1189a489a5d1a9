/**
 * Writes of the kinds written whole (namespaced: ConfigMap, Secret, LimitRange, Service,
 * NetworkPolicy, PublicIP; the tenant's own outside namespaces: SecurityGroup, Vpc, Subnet; the
 * operators': PublicIPPool and PortBan, write-public-ip-pool.ts and write-port-ban.ts), each mapped to the engine's create /
 * replace / delete command, bound to whose objects it writes (DataCommands):
 * - POST creates from the manifest; PUT replaces the object, refused (Conflict) when
 *   metadata.resourceVersion is stale; PATCH (JSON, merge, strategic merge) applies the patch to
 *   the object's Kubernetes form and replaces it at the version it was read (so a concurrent
 *   change is a Conflict, never lost); DELETE removes it, with an optional precondition.
 * - PATCH as server-side apply merges the configuration by field manager (patching.ts); an
 *   apply to a missing object creates it. Every write records its field manager in
 *   metadata.managedFields.
 * - A field outside the kind's shape is Invalid naming its path; server-set metadata is ignored.
 * - fieldValidation: a field the schema does not declare is refused, warned about or dropped
 *   (convert/field-validation.ts); one it declares outside the kind's shape is Invalid naming it.
 * - dryRun=All: the engine's command checks the write and stores nothing; the answer is the write's.
 */
import type {
  AnyKindDefinition,
  ConfigMap,
  LimitRange,
  NetworkPolicyObject,
  ObjectKind,
  Orchestrator,
  PortBan,
  PublicIp,
  PublicIpPool,
  Secret,
  SecurityGroupObject,
  Service,
  SubnetObject,
  VpcObject,
} from "../../engine";
import type { KubeObject } from "../../engine";
import { isApplyPatch, recordManagedFields, type WriteRequest, writeRequest } from "../convert/write-request";
import { json, type KubeRequest } from "../context";
import { getVisible, toKube } from "../objects";
import { aboutTarget, badRequest, invalidError, type StatusCause } from "../status";
import { validateFields } from "../convert/field-validation";
import { bodyTextIfAny, parseJsonBody } from "./body";
import { applyPatch, serverSideApplied } from "./patching";
import { findVisible, parseRv, preconditionRv, success } from "./write";
import { answerOf } from "./write-deployment";

type DataKind =
  | "ConfigMap"
  | "Secret"
  | "LimitRange"
  | "Service"
  | "NetworkPolicy"
  | "SecurityGroup"
  | "Vpc"
  | "Subnet"
  | "PublicIP";
type Obj = Record<string, unknown>;
type Stored =
  | ConfigMap
  | Secret
  | LimitRange
  | Service
  | NetworkPolicyObject
  | SecurityGroupObject
  | VpcObject
  | SubnetObject
  | PublicIp
  | PublicIpPool
  | PortBan;
type DryRun = { dryRun: boolean };

/** Metadata a write may carry: what it sets, and what the server sets (ignored). */
const METADATA = ["name", "namespace", "labels", "annotations"];
const SERVER_METADATA = ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink"];

/** One kind's manifest shape and its engine commands, bound to whose objects they write. */
export interface DataCommands {
  /** The top-level fields of the kind besides apiVersion, kind and metadata. */
  fields: readonly string[];
  /** The engine input from the manifest's fields. */
  input(o: Obj): Obj;
  create(input: Obj, opts: DryRun): Promise<Stored>;
  replace(input: Obj, opts: DryRun): Promise<Stored>;
  remove(name: string, opts: DryRun & { namespace?: string; resourceVersion?: number }): Promise<void>;
}

/** The spec as written, status being the server's (a write's is ignored, as every status is). */
const SPEC_ONLY = { fields: ["spec"], input: (o: Obj) => ({ spec: o.spec }) } as const;

const TENANT_COMMANDS: Record<DataKind, (e: Orchestrator, tenantId: string) => DataCommands> = {
  ConfigMap: (e, t) => ({
    fields: ["data", "binaryData", "immutable"],
    input: (o) => ({ data: o.data, binaryData: o.binaryData, immutable: o.immutable }),
    create: (i, o) => e.createConfigMap(t, i as never, o),
    replace: (i, o) => e.replaceConfigMap(t, i as never, o),
    remove: (n, o) => e.deleteConfigMap(t, n, o),
  }),
  Secret: (e, t) => ({
    fields: ["type", "data", "stringData", "immutable"],
    input: (o) => ({ type: o.type, data: o.data, stringData: o.stringData, immutable: o.immutable }),
    create: (i, o) => e.createSecret(t, i as never, o),
    replace: (i, o) => e.replaceSecret(t, i as never, o),
    remove: (n, o) => e.deleteSecret(t, n, o),
  }),
  LimitRange: (e, t) => ({
    fields: ["spec"],
    input: (o) => ({ limits: (o.spec as { limits?: unknown } | undefined)?.limits }),
    create: (i, o) => e.createLimitRange(t, i as never, o),
    replace: (i, o) => e.replaceLimitRange(t, i as never, o),
    remove: (n, o) => e.deleteLimitRange(t, n, o),
  }),
  // The engine keeps the ClusterIP when a write leaves it out.
  Service: (e, t) => ({
    ...SPEC_ONLY,
    create: (i, o) => e.createService(t, i as never, o),
    replace: (i, o) => e.replaceService(t, i as never, o),
    remove: (n, o) => e.deleteService(t, n, o),
  }),
  NetworkPolicy: (e, t) => ({
    ...SPEC_ONLY,
    create: (i, o) => e.createNetworkPolicy(t, i as never, o),
    replace: (i, o) => e.replaceNetworkPolicy(t, i as never, o),
    remove: (n, o) => e.deleteNetworkPolicy(t, n, o),
  }),
  // status.attachedPods is computed at read time.
  SecurityGroup: (e, t) => ({
    ...SPEC_ONLY,
    create: (i, o) => e.createSecurityGroup(t, i as never, o),
    replace: (i, o) => e.replaceSecurityGroup(t, i as never, o),
    remove: (n, o) => e.deleteSecurityGroup(t, n, o),
  }),
  // A Vpc's subnets and a Subnet's usage are computed at read time.
  Vpc: (e, t) => ({
    ...SPEC_ONLY,
    create: (i, o) => e.createVpc(t, i as never, o),
    replace: (i, o) => e.replaceVpc(t, i as never, o),
    remove: (n, o) => e.deleteVpc(t, n, o),
  }),
  Subnet: (e, t) => ({
    ...SPEC_ONLY,
    create: (i, o) => e.createSubnet(t, i as never, o),
    replace: (i, o) => e.replaceSubnet(t, i as never, o),
    remove: (n, o) => e.deleteSubnet(t, n, o),
  }),
  // The address, phase and DDoS state are the engine's; a changed spec.target binds, unbinds or rebinds.
  PublicIP: (e, t) => ({
    ...SPEC_ONLY,
    create: (i, o) => e.createPublicIp(t, i as never, o),
    replace: (i, o) => e.replacePublicIp(t, i as never, o),
    remove: (n, o) => e.deletePublicIp(t, n, o),
  }),
};

export const isDataKind = (kind: ObjectKind): kind is DataKind => kind in TENANT_COMMANDS;

/** The commands of a tenant's data kind, writing that tenant's objects. */
export const tenantDataCommands = (kind: DataKind, engine: Orchestrator, tenantId: string): DataCommands =>
  TENANT_COMMANDS[kind](engine, tenantId);

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const defined = (o: Obj) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The engine input of a manifest, after checking its shape against the URL's namespace and name. */
function inputOf(
  def: AnyKindDefinition,
  commands: DataCommands,
  body: unknown,
  namespace: string | undefined,
  name: string | undefined,
): Obj {
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
  // A cluster-scoped object has no namespace; kube-apiserver drops one written.
  if (namespace !== undefined && meta.namespace !== undefined && meta.namespace !== namespace)
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
    managedFields: Array.isArray(meta.managedFields) ? meta.managedFields : [],
  });
}

export async function writeDataObject(
  req: KubeRequest,
  def: AnyKindDefinition,
  commands: DataCommands,
): Promise<Response> {
  const { method, target: t } = req;
  const namespace = def.namespaced ? (t.namespace as string) : undefined;
  const w = writeRequest(req);
  const about = (name: string) => ({ name, resource: def.plural, group: def.group, kind: def.apiKind });
  const answer = (o: Stored, status = 200) => json(answerOf(req, o, w), status);
  const create = async (recorded: KubeObject) => {
    const input = inputOf(def, commands, recorded, namespace, t.name);
    const made = await aboutTarget(about(String(input.name ?? "")), () => commands.create(input, { dryRun: w.dryRun }));
    return answer(made, 201);
  };

  if (method === "POST" && !t.name) {
    const body = validateFields(req, w, def.apiVersion, def.apiKind, parseJsonBody(req), bodyTextIfAny(req));
    inputOf(def, commands, body, namespace, undefined); // the manifest's shape, before its managed fields are recorded
    return create(recordManagedFields(w, undefined, body as KubeObject));
  }
  if (!t.name || t.subresource) throw badRequest(`${method} needs an object of ${def.plural} named in the path`);
  const name = t.name;
  const scope = { caller: req.caller, ...(namespace !== undefined ? { namespace } : {}) };
  if (method === "PATCH" && isApplyPatch(req)) {
    const live = findVisible<Stored>(() => getVisible(req.engine, def, scope, name));
    const before = live && toKube(live, req.conversion());
    const applied = serverSideApplied(req, w, before, {
      apiVersion: def.apiVersion,
      kind: def.apiKind,
      name,
      namespace,
      resource: def.group ? `${def.plural}.${def.group}` : def.plural,
    });
    if (!live) return create(applied);
    return replace(req, def, commands, w, live, applied, live.resourceVersion);
  }
  const current = getVisible(req.engine, def, scope, name) as Stored;
  if (method === "DELETE") {
    const rv = preconditionRv(req);
    await aboutTarget(about(name), () =>
      commands.remove(name, {
        ...(namespace !== undefined ? { namespace } : {}),
        dryRun: w.dryRun,
        ...(rv !== undefined ? { resourceVersion: rv } : {}),
      }),
    );
    return success(def.plural, def.group, name, current.id);
  }
  const before = toKube(current, req.conversion()) as KubeObject;
  let body: unknown;
  let resourceVersion: number | undefined;
  if (method === "PUT") {
    body = validateFields(req, w, def.apiVersion, def.apiKind, parseJsonBody(req), bodyTextIfAny(req));
    resourceVersion = parseRv(isObj(body) && isObj(body.metadata) ? body.metadata.resourceVersion : undefined);
  } else if (method === "PATCH") {
    body = validateFields(req, w, def.apiVersion, def.apiKind, applyPatch(req, before));
    resourceVersion = current.resourceVersion;
  } else throw badRequest(`${method} is not served for ${def.plural}`);
  inputOf(def, commands, body, namespace, name); // the body's shape, before its managed fields are recorded
  return replace(req, def, commands, w, current, recordManagedFields(w, before, body as KubeObject), resourceVersion);
}

/** Replace `current` by `after` (its managed fields recorded), at `resourceVersion` when given. */
async function replace(
  req: KubeRequest,
  def: AnyKindDefinition,
  commands: DataCommands,
  w: WriteRequest,
  current: Stored,
  after: KubeObject,
  resourceVersion: number | undefined,
): Promise<Response> {
  const input = {
    ...inputOf(def, commands, after, "namespace" in current ? current.namespace : undefined, current.name),
    ...(resourceVersion !== undefined ? { resourceVersion } : {}),
  };
  const replaced = await aboutTarget(
    { name: current.name, resource: def.plural, group: def.group, kind: def.apiKind },
    () => commands.replace(input, { dryRun: w.dryRun }),
  );
  return json(answerOf(req, replaced, w));
}
