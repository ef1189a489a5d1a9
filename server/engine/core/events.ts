/**
 * Event recorder (like `kubectl get events`).
 * Guarantees: events with the same (tenant, object namespace, kind, name, reason, message)
 * are one event whose count and lastTime grow; an event lives in its object's namespace (the
 * tenant's default namespace for cluster-scoped objects) and names the object's uid; events whose lastTime is older than the
 * retention (default 1 h) are deleted by expire(). Events are staged like any object,
 * so they reach the store in the same batch as the change they describe.
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

export class EventRecorder {
  private byKey = new Map<string, string>();

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
    const key = keyOf(e, aggregate === true);
    const now = this.clock.now();
    const existing = this.state.get("Event", this.byKey.get(key));
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
