/**
 * Event recorder (like `kubectl get events`).
 * Guarantees: events with the same (tenant, object kind, object name, reason, message)
 * are one event whose count and lastTime grow; events whose lastTime is older than the
 * retention (default 1 h) are deleted by expire(). Events are staged like any object,
 * so they reach the store in the same batch as the change they describe.
 */
import type { Clock } from "./clock";
import { randomString, type Rng } from "./rng";
import type { EngineState } from "./state";
import type { EngineEvent } from "./types";

export interface EventInput {
  tenantId: string;
  objectKind: string;
  objectName: string;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export class EventRecorder {
  private byKey = new Map<string, string>();

  constructor(
    private readonly state: EngineState,
    private readonly clock: Clock,
    private readonly rng: Rng,
    readonly retentionMs: number,
  ) {}

  record(e: EventInput): void {
    const key = `${e.tenantId}\u0000${e.objectKind}\u0000${e.objectName}\u0000${e.reason}\u0000${e.message}`;
    const now = this.clock.now();
    const existing = this.state.get("Event", this.byKey.get(key));
    if (existing) {
      this.state.put({ ...existing, type: e.type, count: existing.count + 1, lastTime: now });
      return;
    }
    let id = `ev-${randomString(this.rng, 14)}`;
    while (this.state.get("Event", id)) id = `ev-${randomString(this.rng, 14)}`;
    this.byKey.set(key, id);
    const ev: EngineEvent = { kind: "Event", id, ...e, count: 1, firstTime: now, lastTime: now, version: 0 };
    this.state.put(ev);
  }

  /** Re-index after the state was loaded from the store. */
  rebuild(): void {
    this.byKey.clear();
    for (const e of this.state.all("Event")) {
      this.byKey.set(`${e.tenantId}\u0000${e.objectKind}\u0000${e.objectName}\u0000${e.reason}\u0000${e.message}`, e.id);
    }
  }

  /** Delete events past retention; returns how many were removed. */
  expire(): number {
    const cutoff = this.clock.now() - this.retentionMs;
    const old: EngineEvent[] = [];
    for (const e of this.state.all("Event")) if (e.lastTime < cutoff) old.push(e);
    for (const e of old) {
      this.state.remove("Event", e.id);
      this.byKey.delete(`${e.tenantId}\u0000${e.objectKind}\u0000${e.objectName}\u0000${e.reason}\u0000${e.message}`);
    }
    return old.length;
  }
}
