/**
 * The kinds the CLI knows: their names and aliases, how to list and fetch them, and their
 * table columns (kubectl's where kubectl has them). Deployments, pods, events and resource
 * quotas live in a namespace: they are listed in the session's namespace (every one with -A,
 * which adds kubectl's NAMESPACE column) and fetched from it.
 */
import type { RouterOutputs } from "../client/index";
import type { Session } from "./session";
import { UsageError } from "./errors";
import { age, cpu, labelsText, memory } from "./format";
import { formatCpu, formatMemory } from "../server/engine/kinds/quantity";

export type Deployment = RouterOutputs["deployments"]["list"]["items"][number];
export type Pod = RouterOutputs["pods"]["list"]["items"][number];
export type Node = RouterOutputs["nodes"]["list"]["items"][number];
export type NodePool = RouterOutputs["nodePools"]["list"]["items"][number];
export type Event = RouterOutputs["events"]["list"]["items"][number];
export type Namespace = RouterOutputs["namespaces"]["list"]["items"][number];
export type ResourceQuota = RouterOutputs["resourceQuotas"]["list"]["items"][number];

export type Kind =
  | "deployments"
  | "pods"
  | "nodes"
  | "nodepools"
  | "events"
  | "namespaces"
  | "resourcequotas"
  | "invoices";

/** Kinds whose objects live in a namespace. */
export const namespacedKinds: ReadonlySet<Kind> = new Set<Kind>(["deployments", "pods", "events", "resourcequotas"]);

const aliases: Record<string, Kind> = {
  deployments: "deployments",
  deployment: "deployments",
  deploy: "deployments",
  pods: "pods",
  pod: "pods",
  po: "pods",
  nodes: "nodes",
  node: "nodes",
  no: "nodes",
  nodepools: "nodepools",
  nodepool: "nodepools",
  np: "nodepools",
  events: "events",
  event: "events",
  ev: "events",
  namespaces: "namespaces",
  namespace: "namespaces",
  ns: "namespaces",
  resourcequotas: "resourcequotas",
  resourcequota: "resourcequotas",
  quota: "resourcequotas",
  invoices: "invoices",
  invoice: "invoices",
  inv: "invoices",
};

export const singular: Record<Kind, string> = {
  deployments: "deployment",
  pods: "pod",
  nodes: "node",
  nodepools: "nodepool",
  events: "event",
  namespaces: "namespace",
  resourcequotas: "resourcequota",
  invoices: "invoice",
};

export function kindOf(word: string | undefined, command: string, allowed?: Kind[]): Kind {
  if (!word)
    throw new UsageError(`missing resource type (one of ${(allowed ?? Object.keys(singular)).join(", ")})`, command);
  const kind = aliases[word.toLowerCase()];
  if (!kind || (allowed && !allowed.includes(kind))) {
    throw new UsageError(
      `unknown resource type "${word}" (expected ${(allowed ?? (Object.keys(singular) as Kind[])).join(", ")})`,
      command,
    );
  }
  return kind;
}

/** `KIND NAME` or `KIND/NAME`, as kubectl accepts both. */
export function kindAndName(
  positionals: string[],
  command: string,
  allowed?: Kind[],
): { kind: Kind; name: string | undefined; rest: string[] } {
  const [first, ...rest] = positionals;
  if (first?.includes("/")) {
    const [k, n] = first.split("/", 2);
    return { kind: kindOf(k, command, allowed), name: n || undefined, rest };
  }
  const [name, ...more] = rest;
  return { kind: kindOf(first, command, allowed), name, rest: more };
}

/** Every page of a list. */
async function all<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const res = await page(cursor);
    out.push(...res.items);
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  return out;
}

export type AnyObject = Deployment | Pod | Node | NodePool | Event | Namespace | ResourceQuota;
export type ListedKind = Exclude<Kind, "invoices">;

/** Every object of a kind: namespaced kinds in the session's list namespace (all of them with -A). */
export async function listObjects(s: Session, kind: ListedKind): Promise<AnyObject[]> {
  const c = s.client;
  switch (kind) {
    case "deployments": {
      const namespace = await s.listNamespace();
      return all((cursor) => c.deployments.list.query({ limit: 500, cursor, namespace }));
    }
    case "pods": {
      const namespace = await s.listNamespace();
      return all((cursor) => c.pods.list.query({ limit: 500, cursor, namespace }));
    }
    case "nodes":
      return all((cursor) => c.nodes.list.query({ limit: 500, cursor }));
    case "nodepools":
      return all((cursor) => c.nodePools.list.query({ limit: 500, cursor }));
    case "events": {
      const namespace = await s.listNamespace();
      return all((cursor) => c.events.list.query({ limit: 500, cursor, namespace }));
    }
    case "namespaces":
      return (await c.namespaces.list.query({})).items;
    case "resourcequotas": {
      const namespace = await s.listNamespace();
      return (await c.resourceQuotas.list.query({ namespace })).items;
    }
  }
}

export async function getObject(s: Session, kind: ListedKind, name: string): Promise<AnyObject[]> {
  const c = s.client;
  const namespace = s.namespace;
  switch (kind) {
    case "deployments":
      return [await c.deployments.get.query({ name, namespace })];
    case "pods":
      return [await c.pods.get.query({ name, namespace })];
    case "namespaces":
      return [await c.namespaces.get.query({ name })];
    case "nodes":
      return [await c.nodes.get.query({ name })];
    case "nodepools": {
      const found = (await listObjects(s, "nodepools")).filter(
        (p) => (p as NodePool).name === name || (p as NodePool).id === name,
      );
      if (!found.length) throw notFound("node pool", name);
      return found;
    }
    case "events": {
      const listed = await s.listNamespace();
      return all((cursor) => c.events.list.query({ limit: 500, cursor, objectName: name, namespace: listed }));
    }
    case "resourcequotas": {
      const found = (await listObjects(s, "resourcequotas")).filter((q) => (q as ResourceQuota).name === name);
      if (!found.length) throw notFound("resourcequota", name);
      return found;
    }
  }
}

function notFound(what: string, name: string) {
  return Object.assign(new Error(`${what} "${name}" not found`), { notFound: true });
}

export function labelsOf(kind: Kind, o: AnyObject): Record<string, string> | undefined {
  if (kind === "deployments") return (o as Deployment).spec.template.labels;
  if (kind === "pods") return (o as Pod).labels;
  if (kind === "nodes") return (o as Node).labels;
  if (kind === "nodepools") return (o as NodePool).labels;
  if (kind === "namespaces") return (o as Namespace).labels;
  if (kind === "resourcequotas") return (o as ResourceQuota).labels;
  return undefined;
}

/** The object's name (an event's is its uid). Names repeat across namespaces: see namespaceOf. */
export function nameOf(kind: Kind, o: AnyObject): string {
  if (kind === "events") return (o as Event).uid;
  return (o as { name: string }).name;
}

/** The object's namespace, for namespaced kinds. */
export function namespaceOf(kind: Kind, o: AnyObject): string | undefined {
  return namespacedKinds.has(kind) ? (o as Deployment | Pod | Event | ResourceQuota).namespace : undefined;
}

/**
 * A pod's STATUS, read from the health the server derived (server/workloads/health.ts), as the
 * console shows it: Running, Terminating, Completed, or the reason (CrashLoopBackOff, Unschedulable...).
 */
export function podStatus(p: Pod): string {
  const h = p.health;
  if (h.state === "Terminating") return "Terminating";
  if (h.state === "Succeeded") return "Completed";
  return h.reason;
}

/**
 * A deployment's HEALTH: Available, Progressing, Paused, ScaledToZero, or Degraded:<reason> /
 * Failed:<reason> (no space, as kubectl writes Init:CrashLoopBackOff, so columns split on blanks).
 */
export function deploymentHealthText(d: Deployment): string {
  const h = d.health;
  return h.state === "Degraded" || h.state === "Failed" ? `${h.state}:${h.reason}` : h.state;
}

/** A quota's resources as Kubernetes names them, each with what is used and the limit, in its quantities. */
export function quotaResources(q: ResourceQuota): { resource: string; used: string; hard: string }[] {
  const rows: { resource: string; used: string; hard: string }[] = [];
  if (q.hard.cpuMillis !== undefined)
    rows.push({ resource: "cpu", used: formatCpu(q.used.cpuMillis), hard: formatCpu(q.hard.cpuMillis) });
  if (q.hard.memoryBytes !== undefined)
    rows.push({ resource: "memory", used: formatMemory(q.used.memoryBytes), hard: formatMemory(q.hard.memoryBytes) });
  if (q.hard.pods !== undefined) rows.push({ resource: "pods", used: String(q.used.pods), hard: String(q.hard.pods) });
  return rows;
}

/** kubectl's REQUEST column: `cpu: 500m/2, memory: 1Gi/4Gi, pods: 3/10` (the engine's printer, from the view). */
export function quotaRequestText(q: ResourceQuota): string {
  return quotaResources(q)
    .map((r) => `${r.resource}: ${r.used}/${r.hard}`)
    .join(", ");
}

export function nodeStatus(n: Node): string {
  const base = n.phase === "Ready" ? "Ready" : n.phase === "NotReady" ? "NotReady" : "Provisioning";
  const flags = [n.unschedulable ? "SchedulingDisabled" : "", n.warm ? "Warm" : ""].filter(Boolean);
  return [base, ...flags].join(",");
}

export interface Columns {
  headers: string[];
  row: (o: AnyObject, now: number) => string[];
}

/** The kind's columns; `allNamespaces` adds kubectl's NAMESPACE column first (namespaced kinds only). */
export function columnsFor(kind: ListedKind, wide: boolean, allNamespaces = false): Columns {
  const cols = baseColumns(kind, wide);
  if (!allNamespaces || !namespacedKinds.has(kind)) return cols;
  return {
    headers: ["NAMESPACE", ...cols.headers],
    row: (o, now) => [namespaceOf(kind, o) ?? "", ...cols.row(o, now)],
  };
}

function baseColumns(kind: ListedKind, wide: boolean): Columns {
  switch (kind) {
    case "namespaces":
      return {
        headers: ["NAME", "STATUS", "AGE", ...(wide ? ["DEFAULT", "LABELS"] : [])],
        row: (o, now) => {
          const n = o as Namespace;
          return [
            n.name,
            n.phase,
            age(now - n.createdAt),
            ...(wide ? [n.default ? "yes" : "", labelsText(n.labels)] : []),
          ];
        },
      };
    case "resourcequotas":
      // kubectl's columns; LIMIT stays empty, as the cloud limits requests only (no limits.* resources).
      return {
        headers: ["NAME", "AGE", "REQUEST", "LIMIT"],
        row: (o, now) => {
          const q = o as ResourceQuota;
          return [q.name, age(now - q.createdAt), quotaRequestText(q), ""];
        },
      };
    case "deployments":
      return {
        headers: [
          "NAME",
          "READY",
          "UP-TO-DATE",
          "AVAILABLE",
          "HEALTH",
          "AGE",
          ...(wide ? ["CONTAINERS", "IMAGES", "REVISION", "MESSAGE"] : []),
        ],
        row: (o, now) => {
          const d = o as Deployment;
          const containers = d.spec.template.spec.containers;
          return [
            d.name,
            `${d.status.readyReplicas}/${d.spec.replicas}`,
            String(d.status.updatedReplicas),
            String(d.status.availableReplicas),
            deploymentHealthText(d),
            age(now - d.createdAt),
            ...(wide
              ? [
                  containers.map((c) => c.name).join(","),
                  containers.map((c) => c.image).join(","),
                  String(d.status.currentRevision),
                  d.health.cause?.message || d.health.message || "<none>",
                ]
              : []),
          ];
        },
      };
    case "pods":
      return {
        headers: ["NAME", "READY", "STATUS", "RESTARTS", "AGE", ...(wide ? ["IP", "NODE"] : [])],
        row: (o, now) => {
          const p = o as Pod;
          const cs = p.status.containerStatuses;
          const total = p.spec.containers.length;
          return [
            p.name,
            `${cs.filter((c) => c.ready).length}/${total}`,
            podStatus(p),
            String(cs.reduce((sum, c) => sum + c.restartCount, 0)),
            age(now - p.createdAt),
            ...(wide ? [p.podIP ?? "<none>", p.nodeName ?? "<none>"] : []),
          ];
        },
      };
    case "nodes":
      return {
        headers: ["NAME", "STATUS", "POOL", "PODS", "AGE", ...(wide ? ["CPU", "MEMORY", "LABELS"] : [])],
        row: (o, now) => {
          const n = o as Node;
          return [
            n.name,
            nodeStatus(n),
            n.labels["cloud/pool"] ?? n.labels.pool ?? n.poolId.slice(0, 8),
            `${n.podsRemaining}/${n.capacity.pods}`,
            age(now - n.createdAt),
            ...(wide ? [cpu(n.capacity.cpuMillis), memory(n.capacity.memoryBytes), labelsText(n.labels)] : []),
          ];
        },
      };
    case "nodepools":
      return {
        headers: [
          "NAME",
          "MACHINE-TYPE",
          "MIN",
          "MAX",
          "WARM",
          "AGE",
          ...(wide ? ["TRIMMED-IMAGE", "STATIC-IP", "LABELS"] : []),
        ],
        row: (o, now) => {
          const p = o as NodePool;
          return [
            p.name,
            p.machineType,
            String(p.minSize),
            String(p.maxSize),
            String(p.warmPoolSize),
            age(now - p.createdAt),
            ...(wide ? [String(p.trimmedImage), String(p.staticIp), labelsText(p.labels)] : []),
          ];
        },
      };
    case "events":
      return {
        headers: ["LAST SEEN", "TYPE", "REASON", "OBJECT", ...(wide ? ["FIRST SEEN", "COUNT"] : []), "MESSAGE"],
        row: (o, now) => {
          const e = o as Event;
          return [
            age(now - e.lastTime),
            e.type,
            e.reason,
            `${e.objectKind.toLowerCase()}/${e.objectName}`,
            ...(wide ? [age(now - e.firstTime), String(e.count)] : []),
            e.message,
          ];
        },
      };
  }
}
