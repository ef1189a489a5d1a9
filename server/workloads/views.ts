/**
 * Deployment, pod and event views with their health (health.ts), read from the engine, in
 * the wire shape of view-schemas.ts. Every read takes a namespace scope: a namespace, or
 * none for every namespace of the tenant (lists only; a single object is looked up in the
 * named namespace or the tenant's default one).
 * Guarantee: each function reads the engine synchronously, start to end, with no await in
 * between, so the objects it returns (a deployment, its status, its pods, their nodes) are
 * one consistent snapshot; no controller pass can run in the middle of a read.
 */
import type {
  Deployment,
  DeploymentView,
  Orchestrator,
  EngineEvent,
  NodePhase,
  Page,
  Pod,
  PodFilter,
  ReplicaSet,
} from "../engine";
import { deploymentHealth, type Health, podHealth } from "./health";

export type Scope = { namespace?: string };

/** Kubernetes' metadata as clients read it: uid, string resourceVersion, RFC 3339 creationTimestamp. */
export function wireMeta(o: { id: string; resourceVersion: number; createdAt: number }) {
  return {
    uid: o.id,
    resourceVersion: String(o.resourceVersion),
    creationTimestamp: new Date(o.createdAt).toISOString(),
  };
}

type Wire<T extends { resourceVersion: number }> = Omit<T, "resourceVersion"> & ReturnType<typeof wireMeta>;
export type PodWithHealth = Wire<Pod> & { health: Health };
export type DeploymentWithHealth = Wire<Deployment> & { health: Health };
export type DeploymentDetail = Wire<Omit<DeploymentView, "revisions">> & {
  health: Health;
  revisions: Wire<ReplicaSet>[];
  pods: PodWithHealth[];
};

const wire = <T extends { id: string; resourceVersion: number; createdAt: number }>(o: T): Wire<T> => ({
  ...o,
  ...wireMeta(o),
});

/** A refusal to create pods older than this no longer explains anything (the replica set retries with back-off). */
const REPLICA_FAILURE_WINDOW_MS = 5 * 60_000;
const PAGE = 1000;

function allPages<T>(page: (cursor: string | undefined) => Page<T>): T[] {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const res = page(cursor);
    out.push(...res.items);
    cursor = res.nextCursor;
  } while (cursor !== undefined);
  return out;
}

function nodePhases(engine: Orchestrator, tenantId: string): (nodeId: string) => NodePhase | undefined {
  const phases = new Map(
    allPages((cursor) => engine.listNodes(tenantId, { limit: PAGE, cursor })).map((n) => [n.id, n.phase]),
  );
  return (id) => phases.get(id);
}

/** Replica sets are named `<deployment>-<hash>`: the key of a deployment by its namespace and name. */
const deploymentKey = (namespace: string, name: string) => `${namespace}/${name}`;

/** The newest FailedCreate of each deployment (by namespace and name), if recent. */
function replicaFailures(engine: Orchestrator, tenantId: string, scope: Scope, now: number): Map<string, EngineEvent> {
  const out = new Map<string, EngineEvent>();
  const events = allPages((cursor) =>
    engine.listEvents(tenantId, {
      objectKind: "ReplicaSet",
      type: "Warning",
      namespace: scope.namespace,
      limit: PAGE,
      cursor,
    }),
  );
  for (const e of events) {
    if (e.reason !== "FailedCreate" || now - e.lastTime > REPLICA_FAILURE_WINDOW_MS) continue;
    const key = deploymentKey(e.objectNamespace ?? e.namespace, e.objectName.slice(0, e.objectName.lastIndexOf("-")));
    const seen = out.get(key);
    if (!seen || seen.lastTime < e.lastTime) out.set(key, e);
  }
  return out;
}

interface Reads {
  now: number;
  nodePhase: (nodeId: string) => NodePhase | undefined;
  failures: Map<string, EngineEvent>;
}

function withPodHealth(pods: Pod[], reads: Pick<Reads, "now" | "nodePhase">): PodWithHealth[] {
  return pods.map((p) => ({ ...wire(p), health: podHealth(p, reads) }));
}

function withDeploymentHealth<D extends Deployment>(engine: Orchestrator, tenantId: string, d: D, reads: Reads) {
  const pods = withPodHealth(
    allPages((cursor) => engine.listPods(tenantId, { namespace: d.namespace, deployment: d.id, limit: PAGE, cursor })),
    reads,
  );
  const failure = reads.failures.get(deploymentKey(d.namespace, d.name));
  const health = deploymentHealth(d, {
    ...reads,
    pods,
    ...(failure ? { replicaFailure: { message: failure.message } } : {}),
  });
  return { deployment: { ...wire(d), health }, pods };
}

function readsFor(engine: Orchestrator, tenantId: string, scope: Scope, now: number): Reads {
  return { now, nodePhase: nodePhases(engine, tenantId), failures: replicaFailures(engine, tenantId, scope, now) };
}

export function listDeploymentsWithHealth(
  engine: Orchestrator,
  tenantId: string,
  opts: Scope & { limit?: number; cursor?: string },
  now: number,
): Page<DeploymentWithHealth> {
  const page = engine.listDeployments(tenantId, opts);
  const reads = readsFor(engine, tenantId, opts, now);
  return { ...page, items: page.items.map((d) => withDeploymentHealth(engine, tenantId, d, reads).deployment) };
}

/** The deployment, its revisions, its health and its pods, from the same read. */
export function getDeploymentWithPods(
  engine: Orchestrator,
  tenantId: string,
  ref: string,
  now: number,
  scope: Scope = {},
): DeploymentDetail {
  const d = engine.getDeployment(tenantId, ref, { namespace: scope.namespace });
  const { deployment, pods } = withDeploymentHealth(
    engine,
    tenantId,
    d,
    readsFor(engine, tenantId, { namespace: d.namespace }, now),
  );
  return { ...deployment, revisions: d.revisions.map(wire), pods };
}

export function listPodsWithHealth(
  engine: Orchestrator,
  tenantId: string,
  filter: PodFilter,
  now: number,
): Page<PodWithHealth> {
  const page = engine.listPods(tenantId, filter);
  return { ...page, items: withPodHealth(page.items, { now, nodePhase: nodePhases(engine, tenantId) }) };
}

export function getPodWithHealth(engine: Orchestrator, tenantId: string, ref: string, now: number, scope: Scope = {}) {
  const pod = engine.getPod(tenantId, ref, { namespace: scope.namespace });
  const [view] = withPodHealth([pod], { now, nodePhase: nodePhases(engine, tenantId) });
  return view as PodWithHealth;
}

export function listEventViews(
  engine: Orchestrator,
  tenantId: string,
  filter: Parameters<Orchestrator["listEvents"]>[1],
) {
  const page = engine.listEvents(tenantId, filter);
  return { ...page, items: page.items.map(wire) };
}
