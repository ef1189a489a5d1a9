/**
 * The engine's in-memory cache of the store plus the batch of staged writes.
 * Guarantees:
 * - Reads see staged writes immediately (a controller never acts twice on stale data),
 *   but nothing reaches the store until takeBatch() is committed, and informers are
 *   told about a change only after that commit (the engine does that with `changes`).
 * - Indexes come from the kind registry (each kind's `indexes`, `sums` and `nameScope`,
 *   kinds/definition.ts): objects by tenant, pods by node and by owner replica set, replica
 *   sets by deployment, nodes by pool, each tenant's default namespace; names per (kind,
 *   namespace), per (kind, tenant) or globally; per-node allocated requests and per-tenant and
 *   per-namespace quota usage (the Pod kind's sums). All are maintained incrementally on
 *   every write (no allocation beyond a new key's set), so admission and scheduling are
 *   O(1)/O(nodes).
 * - load() shares what pods repeat from their replica set (labels, annotations, spec), as
 *   the controllers do when they create pods, so a restart does not multiply memory.
 * - Objects are immutable values: put() stores a new object; the engine core stamps its
 *   resourceVersion when the batch that holds it commits.
 */
import type { WriteBatch, Snapshot } from "../store/store";
import type { NameScope } from "../kinds/definition";
import { countsForQuota, holdsNode } from "../kinds/pod-status";
import { KINDS } from "../kinds/registry";
import type {
  EngineObject,
  Namespace,
  Node,
  NodeCapacity,
  ObjectKind,
  ObjectOfKind,
  Pod,
  ReplicaSet,
  Resources,
  StringMap,
} from "../kinds/types";
import { EMPTY_MAP, NAMESPACED_KINDS, OBJECT_KINDS, TENANT_QUOTA_NAME } from "../kinds/types";
import { jsonEqual } from "../kinds/json-equal";

// Re-exported: callers have always found them here.
export { countsForQuota, holdsNode };

export interface Change {
  kind: ObjectKind;
  before: EngineObject | undefined;
  after: EngineObject | undefined;
}

export type Usage = NodeCapacity; // cpuMillis, memoryBytes, pods

const zero = (): Usage => ({ cpuMillis: 0, memoryBytes: 0, pods: 0 });

/** One declared index (KindIndex) with its entries: key -> ids. */
interface IndexSlot {
  key(o: EngineObject): string | undefined;
  map: Map<string, Set<string>>;
}

/** One declared sum (KindSum) with its totals: key -> usage. */
interface SumSlot {
  key(o: EngineObject): string | undefined;
  amount(o: EngineObject): Resources;
  map: Map<string, Usage>;
}

/** Everything the state keeps for one kind, found with one lookup per write. */
interface KindSlot {
  objects: Map<string, EngineObject>;
  tenants: Map<string, Set<string>>;
  scope: NameScope;
  indexes: readonly IndexSlot[];
  sums: readonly SumSlot[];
  indexByName: ReadonlyMap<string, IndexSlot>;
  sumByName: ReadonlyMap<string, SumSlot>;
  /** Bumped whenever an object of the kind is added or removed (see membershipVersion). */
  members: number;
}

function newSlots(): Map<ObjectKind, KindSlot> {
  const slots = new Map<ObjectKind, KindSlot>();
  // OBJECT_KINDS order (the registry checks it names the same kinds as KINDS).
  const defs = new Map(KINDS.map((d) => [d.kind, d]));
  for (const kind of OBJECT_KINDS) {
    const def = defs.get(kind) as {
      nameScope: NameScope;
      indexes?: readonly { name: string; key(o: EngineObject): string | undefined }[];
      sums?: readonly { name: string; key(o: EngineObject): string | undefined; amount(o: EngineObject): Resources }[];
    };
    const indexByName = new Map<string, IndexSlot>();
    for (const i of def.indexes ?? []) indexByName.set(i.name, { key: i.key, map: new Map() });
    const sumByName = new Map<string, SumSlot>();
    for (const i of def.sums ?? []) sumByName.set(i.name, { key: i.key, amount: i.amount, map: new Map() });
    slots.set(kind, {
      objects: new Map(),
      tenants: new Map(),
      scope: def.nameScope,
      indexes: [...indexByName.values()],
      sums: [...sumByName.values()],
      indexByName,
      sumByName,
      members: 0,
    });
  }
  return slots;
}

export class EngineState {
  private readonly slots = newSlots();
  private readonly names = new Map<string, string>();
  // The indexes the named accessors below read, resolved once (a missing declaration throws here).
  private readonly podsByNode = this.indexMap("Pod", "byNode");
  private readonly podsByOwner = this.indexMap("Pod", "byOwner");
  private readonly rsByDeployment = this.indexMap("ReplicaSet", "byDeployment");
  private readonly nodesByPool = this.indexMap("Node", "byPool");
  private readonly defaults = this.indexMap("Namespace", "tenantDefault");
  private readonly allocated = this.sumMap("Pod", "allocatedOnNode");
  private readonly usage = this.sumMap("Pod", "usageOfTenant");
  private readonly namespaceUsage = this.sumMap("Pod", "usageOfNamespace");
  private readonly nodeSlot = this.slot("Node");
  private dirty = new Map<string, Change>();
  /**
   * The open savepoint's undo log: each key's value when the savepoint was opened (its first
   * write since), and whether that write also made the key dirty (first since the last commit).
   */
  private undo: Map<string, { kind: ObjectKind; before: EngineObject | undefined; newlyDirty: boolean }> | undefined;

  /**
   * While set, every staged object carries it as its resourceVersion: the revision its commit
   * will have. Grouped commands set it, so a command whose resourceVersion precondition names
   * an object that an earlier command of its group changed is refused (CONFLICT), exactly as
   * if the earlier one had committed alone. (The commit stamps the same number again.)
   */
  stagingRevision: number | undefined;

  /** Changes whenever a node is added or removed (cluster-wide node lists can cache on it). */
  get nodeSetVersion(): number {
    return this.nodeSlot.members;
  }

  /** Changes whenever an object of `kind` is added or removed (or the state is reloaded). */
  membershipVersion(kind: ObjectKind): number {
    return this.slot(kind).members;
  }

  get<K extends ObjectKind>(kind: K, id: string | undefined): ObjectOfKind<K> | undefined {
    return id === undefined ? undefined : (this.slots.get(kind)?.objects.get(id) as ObjectOfKind<K> | undefined);
  }

  all<K extends ObjectKind>(kind: K): IterableIterator<ObjectOfKind<K>> {
    return (this.slot(kind).objects as Map<string, ObjectOfKind<K>>).values();
  }

  count(kind: ObjectKind): number {
    return this.slots.get(kind)?.objects.size ?? 0;
  }

  ofTenant<K extends ObjectKind>(kind: K, tenantId: string): ObjectOfKind<K>[] {
    return this.resolve(kind, this.slots.get(kind)?.tenants.get(tenantId));
  }

  tenantIds(kind: ObjectKind): string[] {
    return [...(this.slots.get(kind)?.tenants.keys() ?? [])];
  }

  /**
   * The tenant's object of `kind` called `name`; namespaced kinds are looked up in
   * `namespace` (none without one). Another tenant's object is never returned.
   */
  byName<K extends ObjectKind>(
    kind: K,
    tenantId: string,
    name: string,
    namespace?: string,
  ): ObjectOfKind<K> | undefined {
    const slot = this.slot(kind);
    if (slot.scope === "namespace" && namespace === undefined) return undefined;
    const o = this.get(kind, this.names.get(nameKey(kind, slot.scope, tenantId, name, namespace)));
    return o && o.tenantId === tenantId ? o : undefined;
  }

  /** The namespace called `name`, whoever owns it (names are global). */
  namespaceNamed(name: string): Namespace | undefined {
    return this.get("Namespace", this.names.get(nameKey("Namespace", "global", "", name, undefined)));
  }

  /** The name of the tenant's default namespace, if it has one. */
  defaultNamespaceOf(tenantId: string): string | undefined {
    const ids = this.defaults.get(tenantId);
    if (ids) for (const id of ids) return this.get("Namespace", id)?.name;
    return undefined;
  }

  /** Objects of `kind` filed under `key` in its declared index `index` (KindIndex). */
  indexed<K extends ObjectKind>(kind: K, index: string, key: string): ObjectOfKind<K>[] {
    return this.resolve(kind, this.indexMap(kind, index).get(key));
  }

  /** How many objects of `kind` are filed under `key` in its declared index `index`. */
  indexedCount(kind: ObjectKind, index: string, key: string): number {
    return this.indexMap(kind, index).get(key)?.size ?? 0;
  }

  /** The declared sum `sum` of `kind` under `key` (KindSum); zero when nothing counts there. */
  sum(kind: ObjectKind, sum: string, key: string): Usage {
    return this.sumMap(kind, sum).get(key) ?? zero();
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

  replicaSetsOf(deploymentId: string): ReplicaSet[] {
    return this.resolve("ReplicaSet", this.rsByDeployment.get(deploymentId));
  }

  nodesOfPool(poolId: string): Node[] {
    return this.resolve("Node", this.nodesByPool.get(poolId));
  }

  /** Requests of pods holding resources on the node. */
  allocatedOn(nodeId: string): Usage {
    return this.allocated.get(nodeId) ?? zero();
  }

  /** Requests of the tenant's pods that count against quota. */
  usageOf(tenantId: string): Usage {
    return this.usage.get(tenantId) ?? zero();
  }

  /** Requests of the namespace's pods that count against quota. */
  usageOfNamespace(namespace: string): Usage {
    return this.namespaceUsage.get(namespace) ?? zero();
  }

  /** Stage a new version of an object (insert or replace). Returns the stored value. */
  put<T extends EngineObject>(obj: T): T {
    const slot = this.slot(obj.kind);
    const prev = slot.objects.get(obj.id);
    const next = { ...obj } as T;
    if (this.stagingRevision !== undefined) next.resourceVersion = this.stagingRevision;
    this.track(obj.kind, obj.id, prev);
    if (prev) this.unindex(slot, prev);
    else slot.members++;
    slot.objects.set(obj.id, next);
    this.index(slot, next);
    return next;
  }

  remove(kind: ObjectKind, id: string): void {
    const slot = this.slot(kind);
    const prev = slot.objects.get(id);
    if (!prev) return;
    this.track(kind, id, prev);
    this.unindex(slot, prev);
    slot.objects.delete(id);
    slot.members++;
  }

  hasStaged(): boolean {
    return this.dirty.size > 0;
  }

  /** Objects of `kind` that the staged writes create (not in the committed state yet). */
  *stagedCreations<K extends ObjectKind>(kind: K): IterableIterator<ObjectOfKind<K>> {
    const objects = this.slot(kind).objects;
    for (const [key, c] of this.dirty) {
      if (c.kind !== kind || c.before !== undefined) continue;
      const obj = objects.get(key.slice(key.indexOf("/") + 1));
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
      const after = this.slots.get(kind)?.objects.get(key.slice(slash + 1));
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
    for (const [key, c] of this.dirty) this.restore(c.kind, key, c.before);
    this.dirty = new Map();
    this.undo = undefined;
  }

  /**
   * Open a savepoint: the writes staged from now on can be undone alone (`rollbackToSavepoint`),
   * leaving the writes staged before it. One at a time; `releaseSavepoint` keeps the writes.
   * Grouped commands use it: each command's failure undoes that command only.
   */
  openSavepoint(): void {
    if (this.undo) throw new Error("engine state: a savepoint is already open");
    this.undo = new Map();
  }

  releaseSavepoint(): void {
    this.undo = undefined;
  }

  /** Undo the writes staged since the savepoint (restore each object as it was then) and close it. */
  rollbackToSavepoint(): void {
    const undo = this.undo;
    if (!undo) throw new Error("engine state: no savepoint is open");
    this.undo = undefined;
    for (const [key, u] of undo) {
      this.restore(u.kind, key, u.before);
      if (u.newlyDirty) this.dirty.delete(key);
    }
  }

  /** Put back the object under `key` (`kind/id`) as `before` was (absent when undefined), with its indexes. */
  private restore(kind: ObjectKind, key: string, before: EngineObject | undefined): void {
    const slot = this.slot(kind);
    const id = key.slice(key.indexOf("/") + 1);
    const cur = slot.objects.get(id);
    if (cur) this.unindex(slot, cur);
    if (!cur !== !before) slot.members++;
    if (before) {
      slot.objects.set(id, before);
      this.index(slot, before);
    } else slot.objects.delete(id);
  }

  /** Replace everything with a committed snapshot (start, or recovery after a failed commit). */
  load(s: Snapshot): void {
    for (const slot of this.slots.values()) {
      slot.objects.clear();
      slot.tenants.clear();
      for (const i of slot.indexes) i.map.clear();
      for (const i of slot.sums) i.map.clear();
      slot.members++;
    }
    this.names.clear();
    this.dirty = new Map();
    this.undo = undefined;
    // Namespaces load before namespaced kinds, replica sets before pods (OBJECT_KINDS order),
    // so legacy objects find their tenant's default namespace and pods can share from their replica set.
    const defaultOf = (tenantId: string) => this.defaultNamespaceOf(tenantId);
    for (const k of OBJECT_KINDS) {
      const slot = this.slot(k);
      // A store written before a kind existed has no list for it.
      for (const loaded of (s[k] ?? []) as EngineObject[]) {
        const current = withMetadata(loaded, defaultOf);
        const o = current.kind === "Pod" ? this.shareWithReplicaSet(current) : current;
        slot.objects.set(o.id, o);
        this.index(slot, o);
      }
    }
  }

  /**
   * The pod holding its replica set's labels, annotations and spec where they are equal (a
   * loaded pod here, a followed one in follower-apply.ts): one copy per replica set in memory.
   */
  shareWithReplicaSet(p: Pod): Pod {
    const rs = this.get("ReplicaSet", p.ownerReplicaSetId);
    const shared = (a: StringMap | undefined, b: StringMap) => (a === undefined || sameMap(a, b) ? b : a);
    const labels = rs ? shared(p.labels, rs.labels) : p.labels;
    const annotations = rs ? shared(p.annotations, rs.template.annotations) : p.annotations;
    const spec = rs && jsonEqual(p.spec, rs.template.spec) ? rs.template.spec : p.spec;
    return {
      ...p,
      labels: isEmpty(labels) ? EMPTY_MAP : labels,
      annotations: annotations === undefined || isEmpty(annotations) ? EMPTY_MAP : annotations,
      spec,
    };
  }

  private slot(kind: ObjectKind): KindSlot {
    const slot = this.slots.get(kind);
    if (!slot) throw new Error(`engine state: unknown kind ${kind}`);
    return slot;
  }

  private indexMap(kind: ObjectKind, index: string): Map<string, Set<string>> {
    const i = this.slot(kind).indexByName.get(index);
    if (!i) throw new Error(`engine state: ${kind} declares no index "${index}"`);
    return i.map;
  }

  private sumMap(kind: ObjectKind, sum: string): Map<string, Usage> {
    const i = this.slot(kind).sumByName.get(sum);
    if (!i) throw new Error(`engine state: ${kind} declares no sum "${sum}"`);
    return i.map;
  }

  private track(kind: ObjectKind, id: string, prev: EngineObject | undefined) {
    const key = `${kind}/${id}`;
    const newlyDirty = !this.dirty.has(key);
    if (this.undo && !this.undo.has(key)) this.undo.set(key, { kind, before: prev, newlyDirty });
    if (newlyDirty) this.dirty.set(key, { kind, before: prev, after: undefined });
  }

  private resolve<K extends ObjectKind>(kind: K, ids: Set<string> | undefined): ObjectOfKind<K>[] {
    const out: ObjectOfKind<K>[] = [];
    if (!ids) return out;
    const map = this.slot(kind).objects as Map<string, ObjectOfKind<K>>;
    for (const id of ids) {
      const o = map.get(id);
      if (o) out.push(o);
    }
    return out;
  }

  private index(slot: KindSlot, o: EngineObject) {
    addTo(slot.tenants, o.tenantId, o.id);
    this.names.set(nameKey(o.kind, slot.scope, o.tenantId, o.name, namespaceOf(o)), o.id);
    for (const i of slot.indexes) {
      const k = i.key(o);
      if (k !== undefined) addTo(i.map, k, o.id);
    }
    for (const i of slot.sums) {
      const k = i.key(o);
      if (k !== undefined) bump(i.map, k, i.amount(o), 1);
    }
  }

  private unindex(slot: KindSlot, o: EngineObject) {
    removeFrom(slot.tenants, o.tenantId, o.id);
    const key = nameKey(o.kind, slot.scope, o.tenantId, o.name, namespaceOf(o));
    if (this.names.get(key) === o.id) this.names.delete(key);
    for (const i of slot.indexes) {
      const k = i.key(o);
      if (k !== undefined) removeFrom(i.map, k, o.id);
    }
    for (const i of slot.sums) {
      const k = i.key(o);
      if (k !== undefined) bump(i.map, k, i.amount(o), -1);
    }
  }
}

/**
 * An object as stored before object metadata existed, completed in memory (it is written
 * back whole on its next change): empty labels and annotations, generation 1, Quota's and
 * Event's names, a deployment's selector (its template's labels), and the namespace, when the tenant's default namespace is known by then
 * (namespaces load before namespaced kinds); ensureTenantNamespace adopts the rest.
 */
function withMetadata(
  stored: EngineObject,
  defaultNamespaceOf: (tenantId: string) => string | undefined,
): EngineObject {
  // A deployment stored before selectors existed selects its template's labels (what its replica sets carry).
  const o: EngineObject =
    stored.kind === "Deployment" && stored.spec.selector === undefined
      ? { ...stored, spec: { ...stored.spec, selector: { matchLabels: stored.spec.template.labels } } }
      : stored;
  const legacy = o as Partial<EngineObject> & EngineObject;
  // "" is no namespace too (an event recorded while its tenant had none).
  const unplaced = NAMESPACED_KINDS.has(o.kind) && !(o as { namespace?: string }).namespace;
  const namespace = unplaced ? defaultNamespaceOf(o.tenantId) : undefined;
  if (
    legacy.labels !== undefined &&
    legacy.annotations !== undefined &&
    legacy.generation !== undefined &&
    legacy.name !== undefined &&
    namespace === undefined
  )
    return o;
  return {
    ...o,
    name: legacy.name ?? (o.kind === "Quota" ? TENANT_QUOTA_NAME : o.id),
    labels: legacy.labels ?? EMPTY_MAP,
    annotations: legacy.annotations ?? EMPTY_MAP,
    generation: legacy.generation ?? 1,
    createdAt: legacy.createdAt ?? 0,
    ...(namespace !== undefined ? { namespace } : {}),
  } as EngineObject;
}

const namespaceOf = (o: EngineObject): string | undefined => ("namespace" in o ? o.namespace : undefined);

/** The name index key: unique per (kind, namespace), per (kind, tenant) or per kind, as the kind's NameScope says. */
function nameKey(
  kind: ObjectKind,
  scope: NameScope,
  tenantId: string,
  name: string,
  namespace: string | undefined,
): string {
  if (scope === "global") return `${kind}\u0000\u0000${name}`;
  if (scope === "namespace") return `${kind}\u0000${namespace ?? ""}\u0000${name}`;
  return `${kind}\u0000${tenantId}\u0000${name}`;
}

function isEmpty(m: StringMap): boolean {
  for (const _ in m) return false;
  return true;
}

function sameMap(a: StringMap, b: StringMap): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
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

function bump(m: Map<string, Usage>, k: string, amount: Resources, sign: 1 | -1) {
  let u = m.get(k);
  if (!u) {
    u = zero();
    m.set(k, u);
  }
  u.cpuMillis += sign * amount.cpuMillis;
  u.memoryBytes += sign * amount.memoryBytes;
  u.pods += sign;
}
