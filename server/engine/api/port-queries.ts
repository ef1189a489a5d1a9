/**
 * The orchestrator port's reads of the cache itself: whether the engine runs, every cached
 * object of a kind, and the state's own indexes (by id, by name, by tenant, a replica set's
 * pods, a namespace's usage), so that a reader such as the Kubernetes API answers one get in
 * O(1) and one tenant's list in O(its objects), never a scan of the cluster. Read-only: the
 * objects are the live cache's (no copy); an iterator must be finished before the next await.
 */
import type { EngineCore } from "../core/core";
import type { Usage } from "../core/state";
import type { Namespace, ObjectKind, ObjectOfKind, Pod } from "../kinds/types";

export function portQueries(core: EngineCore) {
  const state = () => core.ctx.state;
  return {
    /** True between start() and stop(). */
    isRunning: (): boolean => core.isRunning,
    /** Every cached object of `kind`, cluster-wide (operator read). */
    eachObject: <K extends ObjectKind>(kind: K): IterableIterator<ObjectOfKind<K>> => state().all(kind),
    /** One cached object by id (metadata.uid). */
    objectById: <K extends ObjectKind>(kind: K, id: string): ObjectOfKind<K> | undefined => state().get(kind, id),
    /** The tenant's object called `name` (namespaced kinds: in `namespace`); never another tenant's. */
    objectNamed: <K extends ObjectKind>(
      kind: K,
      tenantId: string,
      name: string,
      namespace?: string,
    ): ObjectOfKind<K> | undefined => state().byName(kind, tenantId, name, namespace),
    /** The tenant's objects of `kind`, in no particular order (a new array of cached objects). */
    objectsOfTenant: <K extends ObjectKind>(kind: K, tenantId: string): ObjectOfKind<K>[] =>
      state().ofTenant(kind, tenantId),
    /** The namespace called `name`, whichever tenant holds it (names are global). */
    namespaceNamed: (name: string): Namespace | undefined => state().namespaceNamed(name),
    /** A replica set's pods (the controller's owner index). */
    podsOfReplicaSet: (replicaSetId: string): Pod[] => state().podsOfReplicaSet(replicaSetId),
    /** Requests of the namespace's pods that count for quota, and their number. */
    namespaceUsage: (namespace: string): Usage => ({ ...state().usageOfNamespace(namespace) }),
  };
}

/** The port's cache reads (Orchestrator extends it). */
export type CacheQueries = ReturnType<typeof portQueries>;
