/**
 * Kind Event (core/v1), namespaced. Conversion: `involvedObject` (kind, name, namespace,
 * uid, apiVersion), reason, message, type, count, first/last timestamps in RFC 3339, the
 * first occurrence as `eventTime` (MicroTime) and the engine as source. Field selectors on
 * `involvedObject.*` (what `kubectl describe` sends). Printer columns as kubectl's (LAST SEEN
 * TYPE REASON OBJECT MESSAGE; wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME); LAST SEEN reads
 * `5m (x3 over 10m)` for a repeated event.
 *
 * The same stored events are served as `events.k8s.io/v1` Event too (eventsV1View): a second
 * shape of one object, as kube-apiserver converts both versions from one internal Event, so
 * the two never disagree (`note` is `message`, `regarding` is `involvedObject`, `deprecated*`
 * are the core timestamps and count).
 */
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import {
  compact,
  type ConversionContext,
  ENGINE_API_VERSION,
  ENGINE_COMPONENT,
  type KubeObject,
  objectMeta,
  rfc3339,
} from "./kubernetes";
import { age } from "./printers";
import type { EngineEvent } from "./types";

const API_VERSION_OF: Readonly<Record<string, string>> = {
  Pod: "v1",
  Node: "v1",
  Namespace: "v1",
  ResourceQuota: "v1",
  Deployment: "apps/v1",
  ReplicaSet: "apps/v1",
  NodePool: ENGINE_API_VERSION,
  PublicIP: ENGINE_API_VERSION,
};

/**
 * Events filed by reason, for the few reasons read across tenants without a scan: DDoS protection's
 * (the operators' list) and public address releases (the address holds a restart restores).
 */
export const EVENTS_BY_REASON = "reason";
export const DDOS_EVENT_REASONS: readonly string[] = ["DDoSBlackholed", "DDoSBlackholeEnded"];
export const PUBLIC_IP_RELEASED = "PublicIpReleased";
const INDEXED_REASONS: ReadonlySet<string> = new Set([...DDOS_EVENT_REASONS, PUBLIC_IP_RELEASED]);

export function involvedObject(e: EngineEvent): Record<string, string> {
  return compact({
    kind: e.objectKind,
    namespace: e.objectNamespace,
    name: e.objectName,
    uid: e.objectUid,
    apiVersion: API_VERSION_OF[e.objectKind],
  });
}

export function eventToKubernetes(e: EngineEvent): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: objectMeta(e),
    involvedObject: involvedObject(e),
    reason: e.reason,
    message: e.message,
    source: { component: ENGINE_COMPONENT },
    firstTimestamp: rfc3339(e.firstTime),
    lastTimestamp: rfc3339(e.lastTime),
    count: e.count,
    type: e.type,
    eventTime: microTime(e.firstTime),
    reportingComponent: ENGINE_COMPONENT,
    reportingInstance: "",
  };
}

/**
 * metav1.MicroTime's form (`2026-12-02T00:43:36.250000Z`). Always given, though upstream's old
 * core events leave it null: events.k8s.io/v1 calls it required, and generated clients
 * (Python's EventsV1Event) refuse an Event without it.
 */
export function microTime(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export function lastSeenText(e: EngineEvent, ctx: ConversionContext): string {
  const last = age(e.lastTime, ctx);
  return e.count > 1 ? `${last} (x${e.count} over ${age(e.firstTime, ctx)})` : last;
}

export const eventKind: KindDefinition<"Event"> = {
  kind: "Event",
  apiKind: "Event",
  group: "",
  version: "v1",
  apiVersion: "v1",
  plural: "events",
  singular: "event",
  shortNames: ["ev"],
  namespaced: true,
  nameScope: "namespace",
  categories: [],
  fieldGetters: {
    ...metadataFieldGetters<EngineEvent>(),
    "involvedObject.kind": (e) => e.objectKind,
    "involvedObject.name": (e) => e.objectName,
    "involvedObject.namespace": (e) => e.objectNamespace ?? "",
    "involvedObject.uid": (e) => e.objectUid ?? "",
    "involvedObject.apiVersion": (e) => API_VERSION_OF[e.objectKind] ?? "",
    "involvedObject.fieldPath": () => "",
    "involvedObject.resourceVersion": () => "",
    reason: (e) => e.reason,
    type: (e) => e.type,
    source: () => ENGINE_COMPONENT,
    reportingComponent: () => ENGINE_COMPONENT,
  },
  printerColumns: [
    {
      name: "Last Seen",
      type: "string",
      priority: 0,
      description: "The time at which the most recent occurrence of this event was recorded.",
      cell: lastSeenText,
    },
    {
      name: "Type",
      type: "string",
      priority: 0,
      description: "Type of this event (Normal, Warning).",
      cell: (e) => e.type,
    },
    {
      name: "Reason",
      type: "string",
      priority: 0,
      description:
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      cell: (e) => e.reason,
    },
    {
      name: "Object",
      type: "string",
      priority: 0,
      description: "The object that this event is about.",
      cell: (e) => `${e.objectKind.toLowerCase()}/${e.objectName}`,
    },
    {
      name: "Subobject",
      type: "string",
      priority: 1,
      description: "The field of the object the event is about.",
      cell: () => "",
    },
    {
      name: "Source",
      type: "string",
      priority: 1,
      description: "The component reporting this event.",
      cell: () => ENGINE_COMPONENT,
    },
    {
      name: "Message",
      type: "string",
      priority: 0,
      description: "A human-readable description of the status of this operation.",
      cell: (e) => e.message,
    },
    {
      name: "First Seen",
      type: "string",
      priority: 1,
      description: "The time at which the event was first recorded.",
      cell: (e, ctx) => age(e.firstTime, ctx),
    },
    {
      name: "Count",
      type: "string",
      priority: 1,
      description: "The number of times this event has occurred.",
      cell: (e) => String(e.count),
    },
    {
      name: "Name",
      type: "string",
      format: "name",
      priority: 1,
      description: "Name must be unique within a namespace.",
      cell: (e) => e.name,
    },
  ],
  toKubernetes: eventToKubernetes,
  indexes: [{ name: EVENTS_BY_REASON, key: (e) => (INDEXED_REASONS.has(e.reason) ? e.reason : undefined) }],
};

/** events.k8s.io/v1 Event: the stored Event in that version's field names (upstream's conversion). */
export function eventV1ToKubernetes(e: EngineEvent): KubeObject {
  return {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: objectMeta(e),
    eventTime: microTime(e.firstTime),
    reportingController: ENGINE_COMPONENT,
    reportingInstance: "",
    reason: e.reason,
    regarding: involvedObject(e),
    note: e.message,
    type: e.type,
    deprecatedSource: { component: ENGINE_COMPONENT },
    deprecatedFirstTimestamp: rfc3339(e.firstTime),
    deprecatedLastTimestamp: rfc3339(e.lastTime),
    deprecatedCount: e.count,
  };
}

/**
 * events.k8s.io/v1 field labels → the stored kind's (upstream's field label conversion for
 * that version): a selector is renamed to these before it is matched, so list and watch filter
 * as for core events.
 */
export const EVENT_V1_FIELD_LABELS: Readonly<Record<string, string>> = {
  "metadata.name": "metadata.name",
  "metadata.namespace": "metadata.namespace",
  "regarding.kind": "involvedObject.kind",
  "regarding.name": "involvedObject.name",
  "regarding.namespace": "involvedObject.namespace",
  "regarding.uid": "involvedObject.uid",
  "regarding.apiVersion": "involvedObject.apiVersion",
  "regarding.fieldPath": "involvedObject.fieldPath",
  "regarding.resourceVersion": "involvedObject.resourceVersion",
  reason: "reason",
  type: "type",
  reportingController: "reportingComponent",
  source: "source",
};

/**
 * The stored Event as served under events.k8s.io/v1: not a kind of the registry (one stored
 * kind, one registry entry) but a view of it with its own identity and conversion; the same
 * printer columns, as kube-apiserver prints both versions with one printer.
 */
export const eventsV1View: KindDefinition<"Event"> = {
  ...eventKind,
  group: "events.k8s.io",
  version: "v1",
  apiVersion: "events.k8s.io/v1",
  toKubernetes: eventV1ToKubernetes,
};
