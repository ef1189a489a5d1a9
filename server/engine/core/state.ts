/**
 * The engine's in-memory cache of the store plus the batch of staged writes.
 * Guarantees:
 * - Reads see staged writes immediately (a controller never acts twice on stale data),
 *   but nothing reaches the store until takeBatch() is committed, and informers are
 *   told about a change only after that commit (the engine does that with `changes`).
 * - Indexes: objects by tenant, pods by node and by owner replica set, replica sets by
 *   deployment, names per (kind, tenant); per-node allocated requests and per-tenant
 *   quota usage are maintained incrementally, so admission and scheduling are O(1)/O(nodes).
 * - Objects are immutable values: put() stores a new object; the engine core stamps its
 *   resourceVersion when the batch that holds it commits.
 */
import type { WriteBatch, Snapshot } from "../store/store";
import type { EngineObject, NodeCapacity, ObjectKind, ObjectOfKind, Pod } from "../kinds/types";
import { OBJECT_KINDS } from "../kinds/types";

export interface Change {
  kind: ObjectKind;
  before: EngineObject | undefined;
  after: EngineObject | undefined;
}

export type Usage = NodeCapacity; // cpuMillis, memoryBytes, pods

const zero = (): Usage => ({ cpuMillis: 0, memoryBytes: 0, pods: 0 });
const isTerminal = (p: Pod) => p.status.phase === "Succeeded" || p.status.phase === "Failed";
/** A pod holds node resources until it is gone or has finished. */
export const holdsNode = (p: Pod) => p.nodeId !== undefined && !isTerminal(p);
/** A pod counts against quota unless finished or being deleted. */
export const countsForQuota = (p: Pod) => !isTerminal(p) && p.deletionTimestamp === undefined;

export class EngineState {
  private readonly objects = new Map<ObjectKind, Map<string, EngineObject>>(OBJECT_KINDS.map((k) => [k, new Map()]));
  private readonly tenants = new Map<ObjectKind, Map<string, Set<string>>>(OBJECT_KINDS.map((k) => [k, new Map()]));
  private readonly podsByNode = new Map<string, Set<string>>();
  private readonly podsByOwner = new Map<string, Set<string>>();
  private readonly rsByDeployment = new Map<string, Set<string>>();
  private readonly names = new Map<string, string>();
  private readonly allocated = new Map<string, Usage>();
  private readonly usage = new Map<string, Usage>();
  private dirty = new Map<string, Change>();
  private nodeSet = 0;

  /** Changes whenever a node is added or removed (cluster-wide node lists can cache on it). */
  get nodeSetVersion(): number {
    return this.nodeSet;
  }

  get<K extends ObjectKind>(kind: K, id: string | undefined): ObjectOfKind<K> | undefined {
    return id === undefined ? undefined : (this.objects.get(kind)?.get(id) as ObjectOfKind<K> | undefined);
  }

  all<K extends ObjectKind>(kind: K): IterableIterator<ObjectOfKind<K>> {
    return (this.objects.get(kind) as Map<string, ObjectOfKind<K>>).values();
  }

  count(kind: ObjectKind): number {
    return this.objects.get(kind)?.size ?? 0;
  }

  ofTenant<K extends ObjectKind>(kind: K, tenantId: string): ObjectOfKind<K>[] {
    return this.resolve(kind, this.tenants.get(kind)?.get(tenantId));
  }

  tenantIds(kind: ObjectKind): string[] {
    return [...(this.tenants.get(kind)?.keys() ?? [])];
  }

  byName<K extends ObjectKind>(kind: K, tenantId: string, name: string): ObjectOfKind<K> | undefined {
    return this.get(kind, this.names.get(`${kind}/${tenantId}/${name}`));
  }

  podsOnNode(nodeId: string): Pod[] {
    return this.resolve("Pod", this.podsByNode.get(nodeId));
  }

  podCountOnNode(nodeId: string): number {
    return this.podsByNode.get(nodeId)?.size ?? 0;
  }

  podsOfReplicaSet(rsId: string): Pod[] {
    return this.resolve("Pod", this.podsByOwner.get(rsId));
  }

  replicaSetsOf(deploymentId: string) {
    return this.resolve("ReplicaSet", this.rsByDeployment.get(deploymentId));
  }

  /** Requests of pods holding resources on the node. */
  allocatedOn(nodeId: string): Usage {
    return this.allocated.get(nodeId) ?? zero();
  }

  /** Requests of the tenant's pods that count against quota. */
  usageOf(tenantId: string): Usage {
    return this.usage.get(tenantId) ?? zero();
  }

  /** Stage a new version of an object (insert or replace). Returns the stored value. */
  put<T extends EngineObject>(obj: T): T {
    const map = this.objects.get(obj.kind) as Map<string, EngineObject>;
    const prev = map.get(obj.id);
    const next = { ...obj } as T;
    this.track(obj.kind, obj.id, prev);
    if (!prev && obj.kind === "Node") this.nodeSet++;
    if (prev) this.unindex(prev);
    map.set(obj.id, next);
    this.index(next);
    return next;
  }

  remove(kind: ObjectKind, id: string): void {
    const map = this.objects.get(kind) as Map<string, EngineObject>;
    const prev = map.get(id);
    if (!prev) return;
    this.track(kind, id, prev);
    this.unindex(prev);
    map.delete(id);
    if (kind === "Node") this.nodeSet++;
  }

  hasStaged(): boolean {
    return this.dirty.size > 0;
  }

  /** Objects of `kind` that the staged writes create (not in the committed state yet). */
  *stagedCreations<K extends ObjectKind>(kind: K): IterableIterator<ObjectOfKind<K>> {
    for (const [key, c] of this.dirty) {
      if (c.kind !== kind || c.before !== undefined) continue;
      const obj = this.objects.get(kind)?.get(key.slice(key.indexOf("/") + 1));
      if (obj) yield obj as ObjectOfKind<K>;
    }
  }

  /** Hand over the staged writes as one batch, with before/after for the informers. */
  takeBatch(): { batch: WriteBatch; changes: Change[] } {
    const changes: Change[] = [];
    const batch: WriteBatch = { ops: [] };
    for (const [key, c] of this.dirty) {
      const slash = key.indexOf("/");
      const kind = c.kind;
      const after = this.objects.get(kind)?.get(key.slice(slash + 1));
      if (c.before === after) continue;
      if (after) batch.ops.push({ op: "upsert", object: after, created: c.before === undefined });
      else if (c.before) batch.ops.push({ op: "delete", kind, id: c.before.id, tenantId: c.before.tenantId });
      changes.push({ kind, before: c.before, after });
    }
    this.dirty = new Map();
    return { batch, changes };
  }

  /**
   * Undo every staged write (restore the before-images). Used when a command fails
   * after staging: the cache returns exactly to the last committed state.
   */
  discardStaged(): void {
    for (const [key, c] of this.dirty) {
      const map = this.objects.get(c.kind) as Map<string, EngineObject>;
      const id = key.slice(key.indexOf("/") + 1);
      const cur = map.get(id);
      if (cur) this.unindex(cur);
      if (c.kind === "Node" && !cur !== !c.before) this.nodeSet++;
      if (c.before) {
        map.set(id, c.before);
        this.index(c.before);
      } else map.delete(id);
    }
    this.dirty = new Map();
  }

  /** Replace everything with a committed snapshot (start, or recovery after a failed commit). */
  load(s: Snapshot): void {
    for (const m of this.objects.values()) m.clear();
    for (const m of this.tenants.values()) m.clear();
    for (const m of [this.podsByNode, this.podsByOwner, this.rsByDeployment, this.names, this.allocated, this.usage])
      m.clear();
    this.dirty = new Map();
    this.nodeSet++;
    for (const k of OBJECT_KINDS) {
      for (const o of s[k] as EngineObject[]) {
        this.objects.get(k)?.set(o.id, o);
        this.index(o);
      }
    }
  }

  private track(kind: ObjectKind, id: string, prev: EngineObject | undefined) {
    const key = `${kind}/${id}`;
    if (!this.dirty.has(key)) this.dirty.set(key, { kind, before: prev, after: undefined });
  }

  private resolve<K extends ObjectKind>(kind: K, ids: Set<string> | undefined): ObjectOfKind<K>[] {
    const out: ObjectOfKind<K>[] = [];
    if (!ids) return out;
    const map = this.objects.get(kind) as Map<string, ObjectOfKind<K>>;
    for (const id of ids) {
      const o = map.get(id);
      if (o) out.push(o);
    }
    return out;
  }

  private index(o: EngineObject) {
    addTo(this.tenants.get(o.kind) as Map<string, Set<string>>, o.tenantId, o.id);
    if ("name" in o) this.names.set(`${o.kind}/${o.tenantId}/${o.name}`, o.id);
    if (o.kind === "ReplicaSet") addTo(this.rsByDeployment, o.deploymentId, o.id);
    if (o.kind === "Pod") {
      if (o.nodeId) addTo(this.podsByNode, o.nodeId, o.id);
      if (o.ownerReplicaSetId) addTo(this.podsByOwner, o.ownerReplicaSetId, o.id);
      if (holdsNode(o)) bump(this.allocated, o.nodeId as string, o, 1);
      if (countsForQuota(o)) bump(this.usage, o.tenantId, o, 1);
    }
  }

  private unindex(o: EngineObject) {
    removeFrom(this.tenants.get(o.kind) as Map<string, Set<string>>, o.tenantId, o.id);
    if ("name" in o) this.names.delete(`${o.kind}/${o.tenantId}/${o.name}`);
    if (o.kind === "ReplicaSet") removeFrom(this.rsByDeployment, o.deploymentId, o.id);
    if (o.kind === "Pod") {
      if (o.nodeId) removeFrom(this.podsByNode, o.nodeId, o.id);
      if (o.ownerReplicaSetId) removeFrom(this.podsByOwner, o.ownerReplicaSetId, o.id);
      if (holdsNode(o)) bump(this.allocated, o.nodeId as string, o, -1);
      if (countsForQuota(o)) bump(this.usage, o.tenantId, o, -1);
    }
  }
}

function addTo(m: Map<string, Set<string>>, k: string, v: string) {
  let s = m.get(k);
  if (!s) {
    s = new Set();
    m.set(k, s);
  }
  s.add(v);
}

function removeFrom(m: Map<string, Set<string>>, k: string, v: string) {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}

function bump(m: Map<string, Usage>, k: string, p: Pod, sign: 1 | -1) {
  let u = m.get(k);
  if (!u) {
    u = zero();
    m.set(k, u);
  }
  u.cpuMillis += sign * p.requests.cpuMillis;
  u.memoryBytes += sign * p.requests.memoryBytes;
  u.pods += sign;
}
