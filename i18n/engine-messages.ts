/**
 * The engine's English message templates, read back into data (a catalog key and its values),
 * so events, conditions and engine errors can be shown in the reader's language.
 *
 * Why a table rather than stored values: events and conditions are stored as Kubernetes stores
 * them (a reason code and an English message), in a narrow table written by binary COPY; the
 * engine stays English-only like Kubernetes. The templates below are the engine's own texts;
 * i18n/engine-messages.test.ts drives the engine through every path and fails on any message
 * this table cannot read, so a changed text in the engine cannot silently fall back to English.
 *
 * A template is literal text with `{name}` placeholders; `{name:message}` is itself an engine
 * message (read recursively, e.g. the quota refusal inside a FailedCreate event),
 * `{name:nodeReasons}` the scheduler's `3 Insufficient cpu, 2 node(s) were not ready` list,
 * `{name:span}` a duration such as `3 days`, `{name:path}` the input field the message is
 * about (also returned as its `field`), `{name:raw}` a value shown exactly as written (never
 * as a formatted number: `"4000000"` stays so), `{name:<phrase table>}` a fixed phrase (`phrases`),
 * and `{name:errors.roles}` a term under that catalog prefix.
 * Events other services record in a tenant's stream (billing, monitoring alerts) are read by
 * the same table, since the console shows them in the same lists.
 * Unknown text is answered with `undefined`: the caller shows it as it is.
 */
import type { MessageParam, MessageRef } from "@/server/engine/core/errors";

export const engineTemplates: Template[] = [
  // Pods: scheduling, images, containers (events and container states).
  { id: "scheduled", template: "Successfully assigned {pod} to {node}" },
  { id: "noNodesAvailable", template: "0/{total} nodes are available: {reasons:nodeReasons}." },
  { id: "pulling", template: 'Pulling image "{image}"' },
  { id: "alreadyPresent", template: 'Container image "{image}" already present on machine' },
  { id: "pulled", template: 'Successfully pulled image "{image}"' },
  { id: "pullFailed", template: 'Failed to pull image "{image}": manifest for {ref} not found: manifest unknown' },
  { id: "manifestNotFound", template: "manifest for {image} not found" },
  { id: "pullBackOff", template: 'Back-off pulling image "{image}"' },
  { id: "containerCreated", template: "Created container {container}" },
  { id: "containerStarted", template: "Started container {container}" },
  {
    id: "oomKilledLimit",
    template: "Container {container} reached its memory limit ({limit}) and was killed (exit code 137)",
  },
  { id: "oomKilled", template: "Container {container} reached its memory limit and was killed (exit code 137)" },
  { id: "restartBackOff", template: "Back-off restarting failed container {container} in pod {pod}" },
  { id: "crashLoopBackOff", template: "back-off {seconds}s restarting failed container={container} pod={pod}" },
  { id: "killing", template: "Stopping container {container}" },
  { id: "evicted", template: "Evicting pod {pod} from node {node} (drain)" },
  {
    id: "nodeLost",
    template: "Marking for deletion Pod {pod}: node {node} has been NotReady longer than the eviction timeout",
  },
  { id: "moved", template: "Pod {pod} replaced by a copy on another node (move)" },
  { id: "deleting", template: "Deleting pod {pod}: {reason}" },
  { id: "moving", template: "Moving pod {pod} from {from} to {to} as {copy}" },
  { id: "triggeredScaleUp", template: "pod triggered scale-up: {pool} {from}->{to} (max: {max})" },
  { id: "notTriggerScaleUp", template: "pod didn't trigger scale-up: {why:message}" },
  { id: "nodeQuotaUsedUp", template: "the tenant's nodes quota is used up" },
  { id: "noPoolFits", template: "no node pool has room (maxSize reached) or a machine type and labels that fit" },
  // Replica sets and deployments (events and conditions).
  { id: "failedCreate", template: 'Error creating: pods "{replicaSet}-" is forbidden: {refusal:message}' },
  { id: "podCreated", template: "Created pod: {pod}" },
  { id: "podDeleted", template: "Deleted pod: {pod}" },
  { id: "scaledUpFrom", template: "Scaled up replica set {replicaSet} to {size} from {from}" },
  { id: "scaledDownFrom", template: "Scaled down replica set {replicaSet} to {size} from {from}" },
  { id: "scaledUp", template: "Scaled up replica set {replicaSet} to {size}" },
  { id: "deploymentTimedOut", template: 'Deployment "{deployment}" has timed out progressing.' },
  { id: "rolledBack", template: 'Rolled back deployment "{deployment}" to revision {revision}' },
  { id: "minimumAvailable", template: "Deployment has minimum availability." },
  { id: "minimumUnavailable", template: "Deployment does not have minimum availability." },
  { id: "paused", template: "Deployment is paused" },
  { id: "resumed", template: "Deployment is resumed" },
  { id: "replicaSetAvailable", template: 'ReplicaSet "{replicaSet}" has successfully progressed.' },
  { id: "replicaSetCreated", template: 'Created new replica set "{replicaSet}"' },
  { id: "replicaSetProgressing", template: 'ReplicaSet "{replicaSet}" is progressing.' },
  { id: "replicaSetTimedOut", template: 'ReplicaSet "{replicaSet}" has timed out progressing.' },
  // Nodes and pools.
  { id: "warmPromoted", template: "Promoted warm node {node}: ready immediately" },
  { id: "scaleDown", template: "Removed empty node {node} after {seconds}s without pods" },
  { id: "provisioningWarm", template: "Creating VM {node} ({machineType}, warm standby), ready in about {seconds}s" },
  { id: "provisioning", template: "Creating VM {node} ({machineType}), ready in about {seconds}s" },
  { id: "drained", template: "Node {node} drained: no pods left (still cordoned)" },
  { id: "nodeBooted", template: "Node {node} status is now: NodeReady (VM booted in {seconds}s)" },
  { id: "nodeNotReady", template: "Node {node} status is now: NodeNotReady (no heartbeat for {seconds}s)" },
  { id: "nodeReady", template: "Node {node} status is now: NodeReady" },
  { id: "nodeNotSchedulable", template: "Node {node} status is now: NodeNotSchedulable" },
  { id: "nodeSchedulable", template: "Node {node} status is now: NodeSchedulable" },
  { id: "draining", template: "Draining node {node}: evicting {count} pod(s)" },
  { id: "failureInjected", template: "Operator injected a failure: the agent on {node} stopped responding" },
  { id: "failureRecovered", template: "The agent on {node} is responding again" },
  { id: "tenantHasNoNodes", template: "the tenant has no nodes; create a node pool" },
  { id: "clusterHasNoNodes", template: "the cluster has no nodes" },
  { id: "noNodes", template: "no nodes" },
  // Engine errors a console can reach (those without a structured detail).
  { id: "alreadyExists", template: 'deployment "{name}" already exists', field: "name" },
  {
    id: "restartPolicy",
    template:
      'spec.template.spec.restartPolicy: Unsupported value: "{value}": supported values: "Always" (deployments keep their pods running)',
    field: "spec.template.spec.restartPolicy",
  },
  { id: "replicasRange", template: "replicas: {replicas} must be an integer from 0 to 1000", field: "spec.replicas" },
  {
    id: "rollbackPaused",
    template: 'you cannot rollback a paused deployment; resume it first with "resume" and try again',
  },
  { id: "noPreviousRevision", template: 'deployment "{deployment}" has no previous revision to roll back to' },
  {
    id: "revisionNotFound",
    template: 'revision {revision} of deployment "{deployment}" not found (revisions kept: {kept})',
  },
  { id: "restartPaused", template: 'can\'t restart paused deployment "{deployment}" (run resume first)' },
  { id: "moveNotRunning", template: 'pod "{pod}" cannot be moved: only running pods of a deployment can be moved' },
  { id: "moveSameNode", template: 'pod "{pod}" already runs on node "{node}"' },
  { id: "moveInProgress", template: 'pod "{pod}" is already being moved' },
  { id: "moveDoesNotFit", template: 'cannot move pod "{pod}" to node "{node}": {why:message}' },
  { id: "moveQuota", template: "moving needs room for a second copy while it starts: {refusal:message}" },
  {
    id: "podTooBig",
    template:
      "spec.template.spec.containers: one pod requests {size} (the sum of its containers), more than the largest machine type {machineType} holds ({largest}); it could never be scheduled",
    field: "spec.template.spec.containers[0].resources.requests.cpu",
  },
  { id: "poolExists", template: 'node pool "{pool}" already exists', field: "nodePool.name" },
  {
    id: "poolMinAboveMax",
    template: "nodePool: minSize {min} is larger than maxSize {max}",
    field: "nodePool.minSize",
  },
  {
    id: "poolMaxAboveQuota",
    template: "nodePool.maxSize: {max} is above the tenant's nodes quota ({limit}); use {limit2} or less",
    field: "nodePool.maxSize",
  },
  {
    id: "machineTypeFixed",
    template:
      "nodePool.machineType cannot be changed (is {machineType}); create a new pool with the machine type you want",
    field: "nodePool.machineType",
  },
  {
    id: "poolBusy",
    template:
      'node pool "{pool}" still has {pods} pod(s) on {nodes} node(s): set its minimum and maximum to 0 and drain its nodes first, so that the pods move to another pool',
  },
  {
    id: "notCpu",
    template: '"{value:raw}" is not a CPU quantity; use millicores like "500m" or cores like "2" or "0.5"',
  },
  {
    id: "notMemory",
    template:
      '"{value:raw}" is not a memory quantity; use bytes with a suffix like "256Mi", "4Gi" or plain bytes like "134217728"',
  },
  { id: "tooLarge", template: '"{value:raw}" is too large' },
  { id: "storeRefused", template: "the store did not accept the change; nothing was changed, try again" },
  { id: "engineStopped", template: "the engine is not running; call start() first" },
  // Validation issues (server/engine/validation.ts, quantity.ts): the engine puts the field before
  // them (`spec.….memory: "256" is 256 bytes, …`, read as errors.fieldMessage), tRPC's zod issues do not.
  {
    id: "memoryBelowMinimumBytes",
    template:
      '"{value:raw}" is {bytes:raw} bytes, below the minimum of 4Mi for a container; a quantity without a unit is bytes: did you mean "{suggestion:raw}Mi"?',
  },
  { id: "memoryBelowMinimum", template: '"{value:raw}" is below the minimum of 4Mi for a container' },
  { id: "keyNul", template: "a key contains a NUL character (U+0000), which cannot be stored" },
  { id: "keySurrogate", template: "a key contains an unpaired surrogate (U+{code}), which is not valid Unicode text" },
  { id: "valueNul", template: "contains a NUL character (U+0000), which cannot be stored" },
  { id: "valueSurrogate", template: "contains an unpaired surrogate (U+{code}), which is not valid Unicode text" },
  { id: "cpuLimitBelowRequest", template: "cpu limit {limit} is below the request {request}" },
  { id: "memoryLimitBelowRequest", template: "memory limit {limit} is below the request {request}" },
  { id: "containerNamesUnique", template: "container names must be unique" },
  {
    id: "noPoolFitsPod",
    template:
      "one pod requests {size}, more than a machine of any node pool holds (machine types: {types}); its pods will stay Pending until a pool with larger machines exists",
  },
  // Billing's events (server/billing/service.ts).
  {
    id: "balanceNegative",
    template: "The balance is negative. Top up within {grace:span} to keep creating and scaling workloads.",
  },
  {
    id: "workloadsSuspended",
    template:
      'Scaled deployment "{deployment}" to 0 replicas: the balance has been negative for more than {span:span}. Top up to restore it.',
  },
  {
    id: "workloadsRestored",
    template: 'Restored deployment "{deployment}" to {replicas} replica: the balance is positive again.',
  },
  {
    id: "workloadsRestored",
    template: 'Restored deployment "{deployment}" to {replicas} replicas: the balance is positive again.',
  },
  // Monitoring's alert events (server/monitoring/alerts.ts).
  { id: "alertFiring", template: "Alert {kind:engineMessages.alertKinds} is firing: {detail:message}" },
  { id: "alertResolved", template: "Alert {kind:engineMessages.alertKinds} resolved: {detail:message}" },
  { id: "alertRestarts", template: "{restarts} restart(s) in the last 10 minutes (threshold {threshold})" },
  { id: "alertCpu", template: "cpu {used} is {share} % of requests {requested} (threshold {threshold} %)" },
];

/** Fixed phrases inside a template (`{what:unstorable}`), by text: their catalog keys. */
export const phrases: Record<string, Record<string, string>> = {
  unstorable: {
    "a NUL character (U+0000)": "errors.unstorable.nul",
    "an unpaired UTF-16 surrogate": "errors.unstorable.surrogate",
  },
};

/** The scheduler's per-node reasons (`3 Insufficient cpu`), by phrase. */
const nodeReasons: Record<string, string> = {
  "Insufficient cpu": "insufficientCpu",
  "Insufficient memory": "insufficientMemory",
  "Too many pods": "tooManyPods",
  "node(s) were not ready": "notReady",
  "node(s) were unschedulable": "unschedulable",
  "node(s) didn't match Pod's node affinity/selector": "selectorMismatch",
  "node(s) belong to another tenant": "otherTenant",
  "Insufficient ingress bandwidth": "insufficientIngressBandwidth",
  "Insufficient egress bandwidth": "insufficientEgressBandwidth",
  "Pod's bandwidth annotations are invalid": "invalidBandwidthAnnotations",
};

interface Compiled {
  key: string;
  field?: string;
  regex: RegExp;
  /** `text`, `message` (read recursively), `nodeReasons`, or a catalog prefix for a term (`errors.roles`). */
  slots: { name: string; kind: string }[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compile(namespace: string, t: Template): Compiled {
  const slots: Compiled["slots"] = [];
  let source = "";
  let last = 0;
  for (const m of t.template.matchAll(/\{(\w+)(?::([\w.]+))?\}/g)) {
    source += escapeRegExp(t.template.slice(last, m.index));
    source += "(.+?)";
    slots.push({ name: m[1] as string, kind: m[2] ?? "text" });
    last = (m.index ?? 0) + m[0].length;
  }
  source += escapeRegExp(t.template.slice(last));
  return { key: `${namespace}.${t.id}`, field: t.field, regex: new RegExp(`^${source}$`, "s"), slots };
}

export interface Template {
  /** Key under the table's namespace in the catalog. */
  id: string;
  template: string;
  /** For errors: the input field the message is about. */
  field?: string;
}

/**
 * A reader for one table of English templates (keys under `namespace`): the first template
 * that matches the whole text wins, so list the specific ones before the general ones.
 */
export function templateReader(
  namespace: string,
  table: Template[],
): (text: string) => (MessageRef & { field?: string }) | undefined {
  const compiled = table.map((t) => compile(namespace, t));
  return (text) => {
    for (const c of compiled) {
      const m = c.regex.exec(text);
      if (!m) continue;
      const params: Record<string, MessageParam> = {};
      let field = c.field;
      c.slots.forEach((slot, i) => {
        const value = m[i + 1] as string;
        if (slot.kind === "path") field ??= value;
        params[slot.name] = readSlot(slot.kind, value);
      });
      return { key: c.key, params, text, ...(field ? { field } : {}) };
    }
    return undefined;
  };
}

const readEngineTemplates = templateReader("engineMessages", engineTemplates);

type Read = (MessageRef & { field?: string }) | undefined;

/** Reads an engine message (event, condition or error) into data; undefined when unknown. */
export function parseEngineMessage(text: string): Read {
  // The list first: a template's slot would otherwise swallow the issues after the first one.
  return parseQuotaText(text) ?? parseIssueList(text) ?? readOne(text);
}

const readOne = (text: string): Read => readEngineTemplates(text) ?? parseAtField(text);

/** A field path as validation names it (`spec.template.spec.containers[0].image`, `deployment name`). */
const AT_FIELD = /^([\w.[\]]+|[a-z]+(?: [a-z]+)? name): (.+)$/s;

/** `path: issue`: the issue read as a template, said after its field (errors.fieldMessage). */
function parseAtField(text: string): Read {
  const m = AT_FIELD.exec(text);
  const issue = m && readEngineTemplates(m[2] as string);
  if (!m || !issue) return undefined;
  const field = m[1] as string;
  return { key: "errors.fieldMessage", params: { field, message: issue }, text, field };
}

/** Where validation joins its issues (`a.b: …; c.d: …`): "; " before a field path and its colon. */
const ISSUE_BREAK = /; (?=[\w.[\]]+: )/;

/** Validation's several issues, each one a template: read one by one (the first one's field). */
function parseIssueList(text: string): Read {
  const parts = text.split(ISSUE_BREAK);
  if (parts.length < 2) return undefined;
  const items = parts.map(readOne);
  if (!items.every((i) => i !== undefined)) return undefined;
  const field = items[0]?.field;
  return {
    key: "engineMessages.issueList",
    params: { items: items as MessageRef[] },
    text,
    ...(field ? { field } : {}),
  };
}

function readSlot(kind: string, value: string): MessageParam {
  switch (kind) {
    case "text":
      return /^\d+$/.test(value) ? Number(value) : value;
    case "path":
    case "raw":
      return value;
    case "message":
      return parseEngineMessage(value) ?? { key: "", text: value };
    case "nodeReasons":
      return parseNodeReasons(value);
    case "span":
      return parseSpan(value);
    default: {
      const table = phrases[kind];
      if (table) return { key: table[value] ?? "", text: value };
      return { key: `${kind}.${value}`, text: value };
    }
  }
}

/** `3 days`, `1 hour`: the count and its unit, so the unit is said in the reader's language. */
function parseSpan(text: string): MessageRef {
  const m = /^(\d+) (day|hour|minute|second)s?$/.exec(text);
  return m ? { key: `errors.spans.${m[2]}s`, params: { count: Number(m[1]) }, text } : { key: "", text };
}

/** `3 Insufficient cpu, 2 node(s) were not ready`: each part translated, unknown ones kept. */
function parseNodeReasons(list: string): MessageRef[] {
  return list.split(", ").map((part) => {
    const m = /^(\d+) (.+)$/.exec(part);
    const id = m && nodeReasons[m[2] as string];
    if (!m || !id) return parseEngineMessage(part) ?? { key: "", text: part };
    return { key: `engineMessages.nodeReasons.${id}`, params: { count: Number(m[1]) }, text: part };
  });
}

const QUOTA_RE = /^exceeded quota: [\w.-]+, requested: (\S+), used: (\S+), limited: (\S+)$/;

/**
 * Kubernetes' quota refusal (`exceeded quota: tenant-quota, requested: cpu=2,memory=1Gi, used:
 * …, limited: …`) as the same data the engine's quota admission attaches to its errors.
 */
export function parseQuotaText(text: string): MessageRef | undefined {
  const m = QUOTA_RE.exec(text);
  if (!m) return undefined;
  const column = (s: string) => new Map(s.split(",").map((kv) => kv.split("=") as [string, string]));
  const [requested, used, limited] = [column(m[1] as string), column(m[2] as string), column(m[3] as string)];
  const items: MessageRef[] = [...requested.keys()].map((resource) => ({
    key: "errors.quotaItem",
    params: {
      resource: { key: `errors.resources.${resource}`, text: resource },
      requested: requested.get(resource) ?? "?",
      used: used.get(resource) ?? "?",
      limit: limited.get(resource) ?? "?",
    },
  }));
  return { key: "errors.quotaExceeded", params: { items }, text };
}
