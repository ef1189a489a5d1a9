/**
 * Manifests for `apply -f`: YAML (one or more documents) or JSON, in kube shape
 * (kind/metadata/spec) or in the API's own shape ({ name, replicas, template }). A deployment's
 * `metadata.namespace` (or `namespace`) is kept: absent, `apply` uses the session's namespace.
 * A ResourceQuota's `spec.hard` takes cpu, memory and pods (or `requests.cpu`, `requests.memory`).
 * A syntax error names the file, line and column.
 */
import { LineCounter, parseAllDocuments } from "yaml";
import type { RouterInputs } from "../client/index";
import { CliError } from "./errors";
import { type Hard, hardKey } from "./quota-hard";

export type DeploymentInput = RouterInputs["deployments"]["create"];
export type NodePoolInput = RouterInputs["nodePools"]["create"];
export type Manifest =
  | { kind: "Deployment"; name: string; input: DeploymentInput }
  | { kind: "NodePool"; name: string; input: NodePoolInput }
  | { kind: "Namespace"; name: string; input: { name: string; labels?: Record<string, string> } }
  | { kind: "ResourceQuota"; name: string; input: { name: string; namespace?: string; hard: Hard } };

export function parseManifests(text: string, source: string): Manifest[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const values: unknown[] = [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      const pos = lineCounter.linePos(error.pos[0]);
      const what = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      throw new CliError(`${source}: line ${pos.line}, column ${pos.col}: ${what}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    values.push(...(isList(value) ? value.items : [value]));
  }
  if (!values.length) throw new CliError(`${source}: no objects found`);
  return values.map((v, i) => toManifest(v, `${source}${values.length > 1 ? ` (object ${i + 1})` : ""}`));
}

function isList(v: unknown): v is { items: unknown[] } {
  return (
    typeof v === "object" &&
    v !== null &&
    (v as { kind?: unknown }).kind === "List" &&
    Array.isArray((v as { items?: unknown }).items)
  );
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});

function toManifest(value: unknown, where: string): Manifest {
  const v = obj(value);
  const kind = typeof v.kind === "string" ? v.kind : "Deployment";
  const metadata = obj(v.metadata);
  const name = (metadata.name ?? v.name) as unknown;
  if (typeof name !== "string" || !name) throw new CliError(`${where}: the object has no name (metadata.name)`);
  const namespace = (metadata.namespace ?? v.namespace) as unknown;
  if ((kind === "Deployment" || kind === "ResourceQuota") && namespace !== undefined && typeof namespace !== "string")
    throw new CliError(`${where}: metadata.namespace must be a string`);
  if (kind === "ResourceQuota") {
    const hard = quotaHard(obj(obj(v.spec).hard), where);
    return { kind, name, input: { name, ...(namespace ? { namespace: namespace as string } : {}), hard } };
  }
  if (kind === "Deployment") {
    const input = deploymentInput(v, name);
    return { kind, name, input: namespace ? { ...input, namespace: namespace as string } : input };
  }
  if (kind === "Namespace") {
    const labels = metadata.labels as Record<string, string> | undefined;
    return { kind, name, input: { name, ...(labels ? { labels } : {}) } };
  }
  if (kind === "NodePool") {
    const spec = v.spec ? obj(v.spec) : v;
    const { kind: _k, metadata: _m, apiVersion: _a, ...rest } = spec;
    return {
      kind,
      name,
      input: {
        ...rest,
        name,
        labels: (rest.labels ?? metadata.labels) as Record<string, string> | undefined,
      } as NodePoolInput,
    };
  }
  throw new CliError(
    `${where}: kind "${kind}" cannot be applied (expected Deployment, NodePool, Namespace or ResourceQuota)`,
  );
}

/** `spec.hard` as written (quantities as strings or numbers) into the API's; the server checks the quantities. */
function quotaHard(hard: Json, where: string): Hard {
  const out: Hard = {};
  for (const [resource, value] of Object.entries(hard)) {
    const key = hardKey(resource);
    if (!key)
      throw new CliError(`${where}: spec.hard.${resource} is not supported (quotas limit cpu, memory and pods)`);
    if (typeof value !== "string" && typeof value !== "number")
      throw new CliError(`${where}: spec.hard.${resource} must be a quantity`);
    if (key !== "pods") out[key] = String(value);
    else if (/^\d{1,7}$/.test(String(value))) out.pods = Number(value);
    else throw new CliError(`${where}: spec.hard.pods must be a whole number, got "${value}"`);
  }
  if (!Object.keys(out).length) throw new CliError(`${where}: spec.hard names no resource (cpu, memory, pods)`);
  return out;
}

/** kube Deployment → the API's input; fields the API does not know are passed on (and refused there). */
function deploymentInput(v: Json, name: string): DeploymentInput {
  if (!v.spec) {
    const { kind: _k, apiVersion: _a, metadata: _m, namespace: _n, ...rest } = v;
    return { ...rest, name } as DeploymentInput;
  }
  const spec = obj(v.spec);
  const { template, strategy, ...rest } = spec;
  const t = obj(template);
  const tm = obj(t.metadata);
  const out: Json = { ...rest, name };
  if (template !== undefined) {
    out.template = {
      ...(tm.labels ? { labels: tm.labels } : {}),
      ...(tm.annotations ? { annotations: tm.annotations } : {}),
      spec: t.spec,
    };
  }
  if (strategy !== undefined) {
    const s = obj(strategy);
    const rolling = obj(s.rollingUpdate);
    out.strategy = {
      type: s.type ?? "RollingUpdate",
      ...(rolling.maxSurge !== undefined ? { maxSurge: rolling.maxSurge } : {}),
      ...(rolling.maxUnavailable !== undefined ? { maxUnavailable: rolling.maxUnavailable } : {}),
      ...(s.maxSurge !== undefined ? { maxSurge: s.maxSurge } : {}),
      ...(s.maxUnavailable !== undefined ? { maxUnavailable: s.maxUnavailable } : {}),
    };
  }
  return out as DeploymentInput;
}
