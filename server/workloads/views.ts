/**
 * Deployment and pod views with their health (health.ts), read from the engine.
 * Guarantee: each function reads the engine synchronously, start to end, with no await in
 * between, so the objects it returns (a deployment, its status, its pods, their nodes) are
 * one consistent snapshot; no controller pass can run in the middle of a read.
 */
import type { Deployment, DeploymentView, Engine, EngineEvent, NodePhase, Page, Pod, PodFilter } from "../engine";
import { deploymentHealth, type Health, podHealth } from "./health";

export type PodWithHealth = Pod & { health: Health };
export type DeploymentWithHealth = Deployment & { health: Health };
export type DeploymentDetail = DeploymentView & { health: Health; pods: PodWithHealth[] };

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

function nodePhases(engine: Engine, tenantId: string): (nodeId: string) => NodePhase | undefined {
  const phases = new Map(
    allPages((cursor) => engine.listNodes(tenantId, { limit: PAGE, cursor })).map((n) => [n.id, n.phase]),
  );
  return (id) => phases.get(id);
}

/** The newest FailedCreate of each deployment (replica sets are named `<deployment>-<hash>`), if recent. */
function replicaFailures(engine: Engine, tenantId: string, now: number): Map<string, EngineEvent> {
  const out = new Map<string, EngineEvent>();
  const events = allPages((cursor) =>
    engine.listEvents(tenantId, { objectKind: "ReplicaSet", type: "Warning", limit: PAGE, cursor }),
  );
  for (const e of events) {
    if (e.reason !== "FailedCreate" || now - e.lastTime > REPLICA_FAILURE_WINDOW_MS) continue;
    const deployment = e.objectName.slice(0, e.objectName.lastIndexOf("-"));
    const seen = out.get(deployment);
    if (!seen || seen.lastTime < e.lastTime) out.set(deployment, e);
  }
  return out;
}

interface Reads {
  now: number;
  nodePhase: (nodeId: string) => NodePhase | undefined;
  failures: Map<string, EngineEvent>;
}

function withPodHealth(pods: Pod[], reads: Pick<Reads, "now" | "nodePhase">): PodWithHealth[] {
  return pods.map((p) => ({ ...p, health: podHealth(p, reads) }));
}

function withDeploymentHealth<D extends Deployment>(engine: Engine, tenantId: string, d: D, reads: Reads) {
  const pods = withPodHealth(
    allPages((cursor) => engine.listPods(tenantId, { deployment: d.id, limit: PAGE, cursor })),
    reads,
  );
  const failure = reads.failures.get(d.name);
  const health = deploymentHealth(d, {
    ...reads,
    pods,
    ...(failure ? { replicaFailure: { message: failure.message } } : {}),
  });
  return { deployment: { ...d, health }, pods };
}

function readsFor(engine: Engine, tenantId: string, now: number): Reads {
  return { now, nodePhase: nodePhases(engine, tenantId), failures: replicaFailures(engine, tenantId, now) };
}

export function listDeploymentsWithHealth(
  engine: Engine,
  tenantId: string,
  opts: { limit?: number; cursor?: string },
  now: number,
): Page<DeploymentWithHealth> {
  const page = engine.listDeployments(tenantId, opts);
  const reads = readsFor(engine, tenantId, now);
  return { ...page, items: page.items.map((d) => withDeploymentHealth(engine, tenantId, d, reads).deployment) };
}

/** The deployment, its revisions, its health and its pods, from the same read. */
export function getDeploymentWithPods(engine: Engine, tenantId: string, ref: string, now: number): DeploymentDetail {
  const d = engine.getDeployment(tenantId, ref);
  const { deployment, pods } = withDeploymentHealth(engine, tenantId, d, readsFor(engine, tenantId, now));
  return { ...deployment, pods };
}

export function listPodsWithHealth(
  engine: Engine,
  tenantId: string,
  filter: PodFilter,
  now: number,
): Page<PodWithHealth> {
  const page = engine.listPods(tenantId, filter);
  return { ...page, items: withPodHealth(page.items, { now, nodePhase: nodePhases(engine, tenantId) }) };
}

export function getPodWithHealth(engine: Engine, tenantId: string, ref: string, now: number): PodWithHealth {
  const pod = engine.getPod(tenantId, ref);
  const [view] = withPodHealth([pod], { now, nodePhase: nodePhases(engine, tenantId) });
  return view as PodWithHealth;
}
