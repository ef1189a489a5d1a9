/**
 * Shared pieces of the Kubernetes conversion: wire types, RFC 3339 times, quantities,
 * object metadata and controller owner references.
 *
 * Guarantees: times are RFC 3339 in UTC with second precision (metav1.Time's form,
 * `2026-12-02T00:43:36Z`); `resourceVersion` is a decimal string; empty label, annotation,
 * finalizer, owner and managed-fields lists are omitted (Kubernetes' `omitempty`); the engine's `tenantId`
 * never appears on the wire. Nothing here mutates its input or keeps a reference to it that
 * the caller could later see change (maps are copied where annotations are merged in).
 */
import { z } from "zod";
import type { Condition, EngineObject, ManagedFields, ObjectKind, ObjectOfKind, Pod } from "./types";

/** An object as the Kubernetes API shows it; kinds add `spec`, `status` or fields of their own. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeObjectMeta;
  [field: string]: unknown;
}

export interface KubeOwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: true;
  blockOwnerDeletion: true;
}

export interface KubeObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: KubeOwnerReference[];
  finalizers?: string[];
  managedFields?: Record<string, unknown>[];
}

/**
 * The managed fields a command may carry (types.ts ManagedFields): entries as objects, kept as given
 * (the Kubernetes API writes and checks them; the engine only stores them). Bounded: upstream keeps
 * at most ten Update entries besides the appliers. An empty list clears them.
 */
export const managedFieldsInput = z
  .array(z.record(z.string().max(64), z.unknown()))
  .max(64)
  .optional();

/**
 * What a conversion may look up besides the object itself. `EngineState` satisfies it
 * structurally (`get`, `podsOfReplicaSet`); `now` is engine time, for printer columns (AGE).
 */
export interface ConversionContext {
  get<K extends ObjectKind>(kind: K, id: string | undefined): ObjectOfKind<K> | undefined;
  /** A replica set's pods, for its status (replicas, ready, available); absent: status counts 0. */
  podsOfReplicaSet?(rsId: string): Iterable<Pod>;
  /** Engine time (epoch ms), for ages in printer columns. */
  now?(): number;
}

/** The engine's own kinds (NodePool, TenantQuota) are served under this group. */
export const ENGINE_API_GROUP = "cloud.tenant.io";
export const ENGINE_API_VERSION = `${ENGINE_API_GROUP}/v1`;
/** The component events and node info name as their source. */
export const ENGINE_COMPONENT = "tenant-cloud-engine";

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
export const DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas";
export const CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause";
export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";

/** metav1.Time: RFC 3339, UTC, whole seconds. */
/** Formatted seconds, recently asked for: a list's objects share few distinct seconds, and Date formatting is most of a pod's conversion. */
const rfc3339Memo = new Map<number, string>();
const RFC3339_MEMO_SIZE = 4096;

export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  let text = rfc3339Memo.get(second);
  if (text === undefined) {
    text = new Date(second * 1000).toISOString().replace(".000Z", "Z");
    if (rfc3339Memo.size >= RFC3339_MEMO_SIZE) rfc3339Memo.clear();
    rfc3339Memo.set(second, text);
  }
  return text;
}

export function optionalRfc3339(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : rfc3339(ms);
}

/** A copy of `m` when it has entries, else undefined (so `omitempty` drops it). */
export function nonEmpty(m: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (m === undefined) return undefined;
  for (const _ in m) return { ...m };
  return undefined;
}

/** Drop the keys whose value is undefined, so JSON and deep-equality agree. */
export function compact<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

export function controllerRef(apiVersion: string, kind: string, name: string, uid: string): KubeOwnerReference {
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}

export interface MetaExtras {
  /** Annotations the conversion derives (revision, change cause): they win over the object's own, as their controller owns them. */
  annotations?: Record<string, string | undefined>;
  labels?: Record<string, string>;
  ownerReferences?: KubeOwnerReference[];
  generateName?: string;
  deletionGracePeriodSeconds?: number;
}

/** ObjectMeta from the flat fields every engine object has. */
export function objectMeta(obj: EngineObject, extras: MetaExtras = {}): KubeObjectMeta {
  const derived: Record<string, string> = {};
  for (const [k, v] of Object.entries(extras.annotations ?? {})) if (v !== undefined) derived[k] = v;
  const annotations = nonEmpty({ ...obj.annotations, ...derived });
  return {
    name: obj.name,
    ...compact({ generateName: extras.generateName, namespace: "namespace" in obj ? obj.namespace : undefined }),
    uid: obj.id,
    resourceVersion: String(obj.resourceVersion),
    generation: obj.generation,
    creationTimestamp: rfc3339(obj.createdAt),
    ...compact({
      deletionTimestamp: optionalRfc3339(obj.deletionTimestamp),
      deletionGracePeriodSeconds: extras.deletionGracePeriodSeconds,
      labels: nonEmpty(extras.labels ?? obj.labels),
      annotations,
      ownerReferences: extras.ownerReferences && extras.ownerReferences.length > 0 ? extras.ownerReferences : undefined,
      finalizers: obj.finalizers && obj.finalizers.length > 0 ? [...obj.finalizers] : undefined,
      managedFields: kubeManagedFields((obj as { managedFields?: ManagedFields }).managedFields),
    }),
  };
}

/** A copy (the caller may change what it gets; the stored entries stay as they were), or undefined when empty. */
function kubeManagedFields(m: ManagedFields | undefined): Record<string, unknown>[] | undefined {
  return m && m.length > 0 ? (structuredClone(m) as Record<string, unknown>[]) : undefined;
}

/** The managed fields to store from a command's input: undefined keeps what is stored, [] clears it. */
export function managedFieldsOf(input: ManagedFields | undefined, stored: ManagedFields | undefined) {
  if (input === undefined) return stored;
  return input.length > 0 ? input : undefined;
}

/** A condition with Kubernetes' time fields; pods' conditions carry lastProbeTime, not lastUpdateTime. */
export function kubeCondition(c: Condition, style: "pod" | "node" | "workload"): Record<string, unknown> {
  const base = { type: c.type, status: c.status, reason: c.reason || undefined, message: c.message || undefined };
  if (style === "pod")
    return compact({ ...base, lastProbeTime: null, lastTransitionTime: rfc3339(c.lastTransitionTime) });
  if (style === "node")
    return compact({
      ...base,
      lastHeartbeatTime: rfc3339(c.lastUpdateTime),
      lastTransitionTime: rfc3339(c.lastTransitionTime),
    });
  return compact({
    ...base,
    lastUpdateTime: rfc3339(c.lastUpdateTime),
    lastTransitionTime: rfc3339(c.lastTransitionTime),
  });
}
