/**
 * Event recorder (like `kubectl get events`).
 * Guarantees: events with the same (tenant, object namespace, kind, name, reason, message)
 * are one event whose count and lastTime grow; an event lives in its object's namespace (the
 * tenant's default namespace for cluster-scoped objects) and names the object's uid; events whose lastTime is older than the
 * retention (default 1 h) are deleted by expire(). Events are staged like any object,
 * so they reach the store in the same batch as the change they describe.
 * Similar events are combined as client-go's event correlator does (EventAggregator): once one
 * object has had SIMILAR_MAX events of one reason with different messages each within
 * SIMILAR_WINDOW_MS of the last, later ones are counted on one "(combined from similar events): …" event
 * (a replica set creating 30 pods: 9 SuccessfulCreate events and one combined, counted 21).
 */
import type { Clock } from "../queue/clock";
import { randomString, type Rng } from "../queue/rng";
import type { EngineState } from "./state";
import { EMPTY_MAP, type EngineEvent, type EngineObject } from "../kinds/types";

export interface EventInput {
  tenantId: string;
  objectKind: string;
  objectName: string;
  /** The involved object's namespace (namespaced kinds) and uid, when it has them. */
  objectNamespace?: string;
  objectUid?: string;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  /**
   * Aggregate by (tenant, object, reason) regardless of message, keeping the latest
   * message: for reasons whose text changes on every retry (FailedScheduling counts nodes),
   * like Kubernetes' event correlator, so a pending pod does not grow an event per retry.
   */
  aggregate?: boolean;
}

/** client-go's defaults (tools/record/events_cache.go): 10 distinct messages in 10 minutes, 4096 cached objects. */
const SIMILAR_MAX = 10;
const SIMILAR_WINDOW_MS = 600_000;
const SIMILAR_CACHE_ENTRIES = 4096;
const COMBINED_PREFIX = "(combined from similar events): ";

/** How many distinct messages one (object, reason) has had, and when the last came (the window slides). */
interface SimilarRecord {
  messages: number;
  last: number;
}

export class EventRecorder {
  private byKey = new Map<string, string>();
  /** Per (object, reason), least recently used first: bounded like client-go's LRU cache. */
  private similar = new Map<string, SimilarRecord>();

  constructor(
    private readonly state: EngineState,
    private readonly clock: Clock,
    private readonly rng: Rng,
    readonly retentionMs: number,
  ) {}

  /** Record an event about `obj` (its tenant, kind, name, namespace and uid). */
  recordFor(
    obj: EngineObject,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
    opts: { aggregate?: boolean } = {},
  ): void {
    this.record({
      tenantId: obj.tenantId,
      objectKind: obj.kind,
      objectName: obj.name,
      ...("namespace" in obj ? { objectNamespace: obj.namespace } : {}),
      objectUid: obj.id,
      type,
      reason,
      message,
      ...opts,
    });
  }

  record(input: EventInput): void {
    const { aggregate, ...e } = input;
    const now = this.clock.now();
    let key = keyOf(e, aggregate === true);
    let existing = this.state.get("Event", this.byKey.get(key));
    if (!existing && aggregate !== true && this.isSimilarBurst(keyOf(e, true), now)) {
      key = keyOf(e, true);
      e.message = COMBINED_PREFIX + e.message;
      existing = this.state.get("Event", this.byKey.get(key));
    }
    if (existing) {
      this.state.put({
        ...existing,
        type: e.type,
        message: e.message,
        count: existing.count + 1,
        lastTime: now,
        // The same name may be a new object since (deleted and created again): name the latest.
        ...(e.objectUid !== undefined && e.objectUid !== existing.objectUid ? { objectUid: e.objectUid } : {}),
      });
      return;
    }
    let id = `ev-${randomString(this.rng, 14)}`;
    while (this.state.get("Event", id)) id = `ev-${randomString(this.rng, 14)}`;
    this.byKey.set(key, id);
    const ev: EngineEvent = {
      kind: "Event",
      id,
      name: id,
      namespace: e.objectNamespace ?? this.state.defaultNamespaceOf(e.tenantId) ?? "",
      labels: EMPTY_MAP,
      annotations: EMPTY_MAP,
      generation: 1,
      createdAt: now,
      ...e,
      count: 1,
      firstTime: now,
      lastTime: now,
      resourceVersion: 0,
    };
    this.state.put(ev);
  }

  /**
   * Count one more distinct message for (object, reason); true once there have been
   * SIMILAR_MAX of them inside the window, when the event is to be combined.
   */
  private isSimilarBurst(similarKey: string, now: number): boolean {
    let rec = this.similar.get(similarKey);
    if (rec) this.similar.delete(similarKey);
    if (!rec || now - rec.last > SIMILAR_WINDOW_MS) rec = { messages: 0, last: now };
    rec.messages = Math.min(SIMILAR_MAX, rec.messages + 1);
    rec.last = now;
    this.similar.set(similarKey, rec);
    if (this.similar.size > SIMILAR_CACHE_ENTRIES) {
      for (const oldest of this.similar.keys()) {
        this.similar.delete(oldest);
        break;
      }
    }
    return rec.messages >= SIMILAR_MAX;
  }

  /** Re-index after the state was loaded from the store. */
  rebuild(): void {
    this.byKey.clear();
    for (const e of this.state.all("Event")) {
      this.byKey.set(keyOf(e, false), e.id);
      this.byKey.set(keyOf(e, true), e.id);
    }
  }

  /** Delete events past retention; returns how many were removed. */
  expire(): number {
    const cutoff = this.clock.now() - this.retentionMs;
    const old: EngineEvent[] = [];
    for (const e of this.state.all("Event")) if (e.lastTime < cutoff) old.push(e);
    for (const e of old) {
      this.state.remove("Event", e.id);
      for (const agg of [false, true]) if (this.byKey.get(keyOf(e, agg)) === e.id) this.byKey.delete(keyOf(e, agg));
    }
    return old.length;
  }
}

function keyOf(e: Omit<EventInput, "aggregate">, aggregate: boolean): string {
  const base = `${e.tenantId}\u0000${e.objectNamespace ?? ""}\u0000${e.objectKind}\u0000${e.objectName}\u0000${e.reason}`;
  return aggregate ? `${base}\u0000*` : `${base}\u0000=${e.message}`;
}
