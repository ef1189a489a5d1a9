/**
 * The watch hub: fed by the engine core right after each commit (beside the informers'
 * dispatch), it hands every change to the watches that select it.
 * Guarantees:
 * - Order and exactly-once: a watch sees changes in commit order; a resume from revision R
 *   replays the changes after R, then live ones, with no change missed or doubled.
 *   From the in-memory cache (ring) when R is inside it: the replay is computed and the watch
 *   registered in the same synchronous step. From the store's change log when R is older
 *   than the ring but inside the store's window: the watch is registered at once (live
 *   changes and the ring's changes after its floor queue behind), the log is read in pages
 *   up to the ring's floor, then the queue is delivered minus every revision the log
 *   already covered (pages hold whole commits, so a revision comes from one side only).
 *   Events replayed from a database log appear once, at their latest count (a counted series).
 * - Gone: a resume from before the store's window (or before the ring, without a log) gets
 *   one ERROR 410 Expired and ends; so does a replay the store cannot serve.
 * - Selector transitions as Kubernetes' watch cache: a change that makes an object stop
 *   matching is DELETED (its previous state at the new revision), start matching is ADDED.
 *   A log replay knows an object's previous state only from the changes it replayed; before
 *   that, with a label or field selector, a modification that does not match is sent as
 *   DELETED (harmless to a client that did not hold the object) rather than risk a stale one.
 * - Cost: watches are indexed by tenant, so a change is matched against its tenant's watches
 *   and the cluster-wide ones only: O(changes × watches that could select them). Memory: the
 *   ring is bounded by changes and by estimated bytes (ring.ts).
 * - BOOKMARK every bookmarkIntervalMs of engine time with the current revision, on background
 *   timers (they never keep settle() busy); one timer per distinct interval, not per watch.
 * Events reach a watch synchronously except its replay and initial list, which are delivered
 * in a microtask (or as the log is read) so the caller holds the handle first; live changes
 * arriving before then queue behind.
 */
import type { Clock, TimerHandle } from "../queue/clock";
import type { TimerSet } from "../queue/timers";
import type { EngineObject, ObjectKind } from "../kinds/types";
import type { ChangeRecord } from "../store/store";
import { compileFilter, type ObjectMatcher } from "./filter";
import { type CachedChange, ChangeRing } from "./ring";
import { DEFAULT_BOOKMARK_INTERVAL_MS, type Watch, type WatchEvent, type WatchKind, type WatchOptions } from "./types";

export interface WatchHubDeps {
  clock: Clock;
  timers: TimerSet;
  /** The revision of the last commit. */
  revision: () => number;
  /** Every committed object of `kind` (of `tenantId` when given), for a watch's initial list. */
  list: (kind: ObjectKind | undefined, tenantId: string | undefined) => Iterable<EngineObject>;
  nodeName: (nodeId: string) => string | undefined;
  /** Changes the ring keeps (resumes from the ring reach this far back). */
  capacity: number;
  /** Estimated bytes of object versions the ring may keep alive (default: unbounded). */
  maxBytes?: number;
  /** The store's change log, for resumes older than the ring (absent: those are Gone). */
  changesSince?: (revision: number, limit: number) => Promise<ChangeRecord[] | "gone">;
  /** The oldest revision the store's log still holds (0: not known; the store's answer decides). */
  oldestLogged?: () => number;
  /** Changes read from the log per page (default 1,000). */
  replayPage?: number;
  log?: (message: string, error?: unknown) => void;
}

interface Watcher {
  match: ObjectMatcher;
  onEvent: (e: WatchEvent) => void;
  tenantId: string | undefined;
  interval: number;
  /** Label or field selector: matching can change with an object's state. */
  mutable: boolean;
  /** Deliveries wait here until the replay has run. */
  pending: WatchEvent[] | undefined;
  /** How many of `pending` are the watch's own start (initial list or cached changes), not live changes. */
  pendingStart: number;
  closed: boolean;
}

/** Live changes one watch may queue behind its replay from the store's log before it is expired. */
export const REPLAY_BACKLOG_CAP = 10_000;

export class WatchHub {
  private readonly byTenant = new Map<string, Set<Watcher>>();
  private readonly clusterWide = new Set<Watcher>();
  private readonly byInterval = new Map<number, { watchers: Set<Watcher>; timer: TimerHandle }>();
  private readonly ring: ChangeRing;

  constructor(private readonly deps: WatchHubDeps) {
    this.ring = new ChangeRing(deps.capacity, deps.revision(), deps.maxBytes);
  }

  private count = 0;

  get watchers(): number {
    return this.count;
  }

  /** The oldest revision a watch may resume from without reading the store's log. */
  get oldestResumable(): number {
    return this.ring.oldestResumable;
  }

  /** Changes and estimated bytes the in-memory cache holds now. */
  get cacheSize(): { changes: number; approxBytes: number } {
    return { changes: this.ring.size, approxBytes: this.ring.approxBytes };
  }

  /** After a (re)load from the store: history before `revision` is no longer known. */
  reset(revision: number): void {
    this.ring.reset(revision);
  }

  /** A committed batch: remember it and hand it to the watches that select each change. */
  publish(
    revision: number,
    at: number,
    changes: readonly { kind: ObjectKind; before?: EngineObject; after?: EngineObject }[],
  ): void {
    const cached: CachedChange[] = changes.map((c) => ({
      revision,
      at,
      kind: c.kind,
      before: c.before,
      after: c.after,
    }));
    if (this.watchers > 0)
      for (const c of cached) {
        const tenantId = ((c.after ?? c.before) as EngineObject).tenantId;
        const own = this.byTenant.get(tenantId);
        if (own) for (const w of own) this.offer(w, c);
        for (const w of this.clusterWide) this.offer(w, c);
      }
    // After the fan-out (nothing can interleave: this is synchronous), so sizing the ring's entries adds no latency.
    this.ring.push(cached);
  }

  watch(kind: WatchKind, opts: WatchOptions, onEvent: (e: WatchEvent) => void): Watch {
    const match = compileFilter(kind, opts, this.deps.nodeName);
    const w: Watcher = {
      match,
      onEvent,
      tenantId: opts.tenantId,
      interval: opts.bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS,
      mutable: opts.labelSelector !== undefined || opts.fieldSelector !== undefined,
      pending: [],
      pendingStart: 0,
      closed: false,
    };
    const handle: Watch = { close: () => this.remove(w) };
    const from = opts.resourceVersion;
    const floor = this.ring.oldestResumable;
    if (from !== undefined && from < floor) {
      const oldest = this.deps.oldestLogged?.() ?? 0;
      if (!this.deps.changesSince || (oldest > 0 && from < oldest - 1)) {
        const message = `too old resource version: ${from} (${oldest > 0 ? oldest - 1 : floor})`;
        queueMicrotask(() => {
          if (!w.closed) this.call(w, { type: "ERROR", code: 410, reason: "Expired", message });
        });
        return handle;
      }
    }
    const initial: WatchEvent[] = [];
    if (from === undefined) {
      const k = kind === "*" ? undefined : kind;
      for (const o of this.deps.list(k, opts.tenantId))
        if (match(o))
          initial.push({ type: "ADDED", object: o, resourceVersion: o.resourceVersion, at: this.deps.clock.now() });
    } else {
      for (const c of this.ring.since(Math.max(from, floor)) ?? []) {
        const e = eventFor(w.match, c);
        if (e) initial.push(e);
      }
    }
    w.pending = initial;
    w.pendingStart = initial.length;
    this.add(w);
    if (from !== undefined && from < floor) void this.replay(w, from, floor);
    else queueMicrotask(() => this.release(w));
    return handle;
  }

  /**
   * Read the store's log after `from` up to the ring's `floor` (at least), delivering as it
   * goes, then release the queue minus what the log covered.
   */
  private async replay(w: Watcher, from: number, floor: number): Promise<void> {
    const read = this.deps.changesSince;
    if (!read) return;
    const page = Math.max(1, this.deps.replayPage ?? 1000);
    const seen = new Map<string, EngineObject>();
    let done = from;
    try {
      while (done < floor && !w.closed) {
        const changes = await read(done, page);
        if (w.closed) return;
        if (changes === "gone") return this.expire(w, `too old resource version: ${from} (compacted)`);
        if (changes.length === 0) break;
        for (const c of changes) {
          if (c.revision <= done) continue; // pages start after `done`; never deliver a revision twice
          const e = loggedEventFor(w, c, seen);
          if (e) this.call(w, e);
          if (w.closed) return;
        }
        done = Math.max(done, (changes[changes.length - 1] as ChangeRecord).revision);
      }
    } catch (error) {
      (this.deps.log ?? ((m, x) => console.error(m, x)))("engine: a watch's replay from the change log failed", error);
      return this.expire(w, `could not replay from resource version ${from}; list again`);
    }
    this.release(w, done);
  }

  /** End a registered watch with ERROR 410 (the client lists again). */
  private expire(w: Watcher, message: string): void {
    if (w.closed) return;
    w.pending = undefined;
    this.call(w, { type: "ERROR", code: 410, reason: "Expired", message });
    this.remove(w);
  }

  /** Close every watch (the engine stops). */
  /**
   * The engine stops (or reloaded past what it published): every watch gets one ERROR (410, as
   * for a resume too old) and ends, so a consumer re-lists, elsewhere if need be, instead of
   * waiting on a feed that went silent or missing a change it was never sent.
   */
  closeAll(message = "the watch ended: the engine stopped in this process"): void {
    const ended: WatchEvent = { type: "ERROR", code: 410, reason: "Expired", message };
    const all = [...this.clusterWide, ...[...this.byTenant.values()].flatMap((s) => [...s])];
    for (const w of all) {
      if (!w.closed) this.call(w, ended);
      this.remove(w);
    }
  }

  private offer(w: Watcher, c: CachedChange): void {
    const e = eventFor(w.match, c);
    if (e) this.deliver(w, e);
  }

  private deliver(w: Watcher, e: WatchEvent): void {
    if (w.closed) return;
    if (!w.pending) {
      this.call(w, e);
      return;
    }
    // Live changes queue behind a replay from the store's log, bounded: a slow replay under a
    // busy engine ends that watch (the client lists again) rather than grow without end.
    if (w.pending.length - w.pendingStart >= REPLAY_BACKLOG_CAP) {
      this.expire(w, "too many changes while replaying; list again");
      return;
    }
    w.pending.push(e);
  }

  private call(w: Watcher, e: WatchEvent): void {
    try {
      w.onEvent(e);
    } catch (error) {
      // A consumer's failure must not stop the fan-out to the others, nor the commit path.
      (this.deps.log ?? ((m, x) => console.error(m, x)))("engine: a watch callback threw; the watch is closed", error);
      this.remove(w);
    }
  }

  /** Deliver what queued during the replay, skipping revisions up to `covered` (already replayed). */
  private release(w: Watcher, covered = Number.NEGATIVE_INFINITY): void {
    const queued = w.pending ?? [];
    w.pending = undefined;
    for (const e of queued) {
      if (w.closed) return;
      if (e.type !== "ERROR" && e.resourceVersion <= covered) continue;
      this.call(w, e);
    }
  }

  private add(w: Watcher): void {
    this.count++;
    if (w.tenantId === undefined) this.clusterWide.add(w);
    else {
      let s = this.byTenant.get(w.tenantId);
      if (!s) {
        s = new Set();
        this.byTenant.set(w.tenantId, s);
      }
      s.add(w);
    }
    let group = this.byInterval.get(w.interval);
    if (!group) {
      const interval = w.interval;
      const timer = this.deps.timers.after(interval, () => this.bookmark(interval), { background: true });
      group = { watchers: new Set(), timer };
      this.byInterval.set(interval, group);
    }
    group.watchers.add(w);
  }

  private remove(w: Watcher): void {
    if (w.closed) return;
    w.closed = true;
    w.pending = undefined;
    // An expired watch (ERROR 410) was never added.
    if (!this.clusterWide.has(w) && !this.byTenant.get(w.tenantId ?? "")?.has(w)) return;
    this.count--;
    if (w.tenantId === undefined) this.clusterWide.delete(w);
    else {
      const s = this.byTenant.get(w.tenantId);
      s?.delete(w);
      if (s?.size === 0) this.byTenant.delete(w.tenantId);
    }
    const group = this.byInterval.get(w.interval);
    if (!group) return;
    group.watchers.delete(w);
    if (group.watchers.size === 0) {
      this.deps.timers.cancel(group.timer);
      this.byInterval.delete(w.interval);
    }
  }

  private bookmark(interval: number): void {
    const group = this.byInterval.get(interval);
    if (!group) return;
    const e: WatchEvent = { type: "BOOKMARK", resourceVersion: this.deps.revision(), at: this.deps.clock.now() };
    for (const w of group.watchers) this.deliver(w, e);
    group.timer = this.deps.timers.after(interval, () => this.bookmark(interval), { background: true });
  }
}

/** What a watch with matcher `match` sees of one change, if anything. */
function eventFor(match: ObjectMatcher, c: CachedChange): WatchEvent | undefined {
  const was = c.before !== undefined && match(c.before);
  const is = c.after !== undefined && match(c.after);
  if (is)
    return { type: was ? "MODIFIED" : "ADDED", object: c.after as EngineObject, resourceVersion: c.revision, at: c.at };
  if (!was) return undefined;
  // Kubernetes sends the last state that matched, stamped with the revision of the change.
  const last = c.before as EngineObject;
  return { type: "DELETED", object: { ...last, resourceVersion: c.revision }, resourceVersion: c.revision, at: c.at };
}

/**
 * What a watch sees of one change read from the store's log (after-images only): the
 * previous state is the one this replay last saw of the object, if any (`seen`, updated).
 */
function loggedEventFor(w: Watcher, c: ChangeRecord, seen: Map<string, EngineObject>): WatchEvent | undefined {
  const key = `${c.kind}/${c.object.id}`;
  const prior = seen.get(key);
  if (c.type === "DELETED") {
    seen.delete(key);
    return eventFor(w.match, { revision: c.revision, at: c.at, kind: c.kind, before: c.object, after: undefined });
  }
  seen.set(key, c.object);
  let before: EngineObject | undefined;
  if (c.type === "MODIFIED") before = prior ?? c.object;
  if (c.type === "MODIFIED" && prior === undefined && w.mutable && !w.match(c.object))
    // Unknown previous state under a selector: it may have matched; say it no longer does.
    return { type: "DELETED", object: c.object, resourceVersion: c.revision, at: c.at };
  return eventFor(w.match, { revision: c.revision, at: c.at, kind: c.kind, before, after: c.object });
}
