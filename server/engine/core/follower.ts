/**
 * Follower: a standby's engine, kept current from the store's change log instead of by running
 * the controllers, so the standby answers queries and watches, and a promotion starts from what
 * it holds instead of loading everything again.
 * Guarantees:
 * - Reads only: it never commits, starts no controller, scheduler, runtime or timer that
 *   writes. The core refuses commands meanwhile (the engine does not run).
 * - Committed changes, in commit order, each once: it loads a snapshot, then on each revision
 *   the store reports (`subscribe`: LISTEN/NOTIFY on a PostgreSQL server) reads `changesSince`
 *   its own revision in pages and applies them (follower-apply.ts), publishing each commit to
 *   the watch hub as the leader's commit did. Reports arriving during a read are coalesced into
 *   one more read. It polls, on a slow background timer, only a store that cannot report.
 * - Gaps cannot happen: every read starts from the revision applied last, whatever the reports
 *   said (a lost LISTEN connection reports the current revision when it is back).
 * - Gone (the follower fell behind compaction): it loads the snapshot again and ends every watch
 *   with the ERROR 410 a reload sends, so their clients list again.
 * - Promotion (`promote`, by EngineCore.start once the lease is taken and the old leader can no
 *   longer commit): stops following, reads the log up to the store's current revision and hands
 *   the state over, watches still open; "gone" then answers false and the core loads cold.
 * All of it runs on the core's exclusive chain, so a read never interleaves with a promotion.
 */
import type { TimerSet } from "../queue/timers";
import type { EngineStore, Snapshot, Subscription } from "../store/store";
import type { WatchHub } from "../watch/hub";
import { applyChanges } from "./follower-apply";
import type { EngineState } from "./state";

/** What a follower is doing: loading its snapshot, following the log, handed over, or stopped. */
export type FollowState = "loading" | "following" | "promoted" | "stopped";

/** A standby's view of how current it is (for /api/health). */
export interface FollowStatus {
  state: FollowState;
  /** The revision the cache holds. */
  revision: number;
  /** The newest revision the store reported: `lag` is how many revisions the cache is behind it. */
  storeRevision: number;
  lag: number;
  pods: number;
  nodes: number;
  /** Changes applied from the log since the snapshot, and snapshots loaded (1 + reloads after "gone"). */
  applied: number;
  loads: number;
}

/** What the follower needs of the core (the core owns the revision and the exclusive chain). */
export interface FollowerHost {
  store: EngineStore;
  state: EngineState;
  watches: WatchHub;
  timers: TimerSet;
  getRevision(): number;
  setRevision(revision: number): void;
  /** Replace the cache with a snapshot; `revision` is where the log is read from next. */
  load(snapshot: Snapshot, revision: number): void;
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  log(message: string, error?: unknown): void;
}

/** Changes read from the log per page. */
export const FOLLOW_PAGE = 5_000;
/** Engine time between reads of a store that cannot report its commits. */
export const FOLLOW_POLL_MS = 5_000;

export class Follower {
  private state: FollowState = "loading";
  private storeRevision = 0;
  private subscription: Subscription | undefined;
  private scheduled = false;
  private applied = 0;
  private loads = 0;

  constructor(private readonly host: FollowerHost) {}

  status(): FollowStatus {
    const revision = this.host.getRevision();
    const storeRevision = Math.max(this.storeRevision, revision);
    return {
      state: this.state,
      revision,
      storeRevision,
      lag: storeRevision - revision,
      pods: this.host.state.count("Pod"),
      nodes: this.host.state.count("Node"),
      applied: this.applied,
      loads: this.loads,
    };
  }

  /** Subscribe, load, catch up: resolves once the cache answers queries. */
  async start(): Promise<void> {
    const { store } = this.host;
    if (!store.changesSince) throw new Error("engine: this store keeps no change log; a standby cannot follow it");
    // Subscribed before the snapshot, so no commit after it goes unreported.
    if (store.subscribe) this.subscription = await store.subscribe((r) => this.reported(r));
    if (this.state !== "loading") return this.closeSubscription(); // stopped meanwhile
    try {
      await this.host.exclusive(async () => {
        if (this.state !== "loading") return;
        await this.loadCaughtUp();
        if (this.state === "loading") this.state = "following";
      });
    } catch (e) {
      this.state = "stopped";
      await this.closeSubscription();
      throw e;
    }
    if (!store.subscribe) this.poll();
    else this.scheduleIfBehind();
  }

  /** Stop following; the cache stays as it is (the core stops or promotes). */
  async stop(): Promise<void> {
    if (this.state === "stopped" || this.state === "promoted") return;
    this.state = "stopped";
    await this.closeSubscription();
  }

  /**
   * Hand over (on the core's chain): read everything up to the store's current revision. True
   * when the cache is the committed state; false when the log no longer reaches back to it.
   */
  async promote(): Promise<boolean> {
    if (this.state !== "following") return false;
    this.state = "promoted";
    await this.closeSubscription();
    return (await this.catchUp()) !== "gone";
  }

  private reported(revision: number): void {
    if (revision > this.storeRevision) this.storeRevision = revision;
    this.schedule();
  }

  /** One more read, after the one running now (reports during a read coalesce into it). */
  private schedule(): void {
    if (this.scheduled || this.state !== "following") return;
    this.scheduled = true;
    void this.host.exclusive(async () => {
      this.scheduled = false;
      if (this.state !== "following") return;
      try {
        if ((await this.catchUp()) === "gone") await this.reload();
      } catch (e) {
        // The next report (or poll) reads again from the same revision: nothing is skipped.
        this.host.log("engine: a standby's read of the change log failed; it reads again at the next commit", e);
      }
    });
  }

  private poll(): void {
    if (this.state !== "following") return;
    this.schedule();
    this.host.timers.after(FOLLOW_POLL_MS, () => this.poll(), { background: true });
  }

  /**
   * Read and apply pages until the log has nothing after the cache's revision. A page shorter
   * than asked for is the end of what was committed when it was read.
   */
  private async catchUp(): Promise<"done" | "gone"> {
    const read = this.host.store.changesSince?.bind(this.host.store);
    if (!read) return "gone";
    for (;;) {
      const since = this.host.getRevision();
      const reportedBefore = this.storeRevision;
      const page = await read(since, FOLLOW_PAGE);
      if (page === "gone") return "gone";
      const { revision, applied } = applyChanges(this.host.state, this.host.watches, since, page);
      this.applied += applied;
      this.host.setRevision(revision);
      if (page.length === 0) {
        // Nothing after `since`: every revision reported before this read is in the cache.
        if (reportedBefore > revision) this.host.setRevision(reportedBefore);
        return "done";
      }
      if (page.length < FOLLOW_PAGE) return "done";
    }
  }

  /**
   * The snapshot, then the log from the revision the store had before it was read: a snapshot
   * of several statements may mix revisions, and the replay (monotonic) brings it level. The
   * watch cache starts after the replay: what the snapshot already held was never published.
   */
  private async loadCaughtUp(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const { store } = this.host;
      const before = store.currentRevision ? await store.currentRevision() : undefined;
      const snapshot = await store.loadAll();
      const revision = Math.min(before ?? Number.POSITIVE_INFINITY, snapshot.revision ?? 0);
      this.host.load(snapshot, revision);
      this.storeRevision = Math.max(this.storeRevision, snapshot.revision ?? 0);
      this.loads++;
      // Gone right after a snapshot: compaction raced the read; a second snapshot is newer.
      if ((await this.catchUp()) === "done" || attempt >= 2) break;
    }
    this.host.watches.reset(this.host.getRevision());
  }

  /** Gone: nothing answers while the snapshot is loaded again, and every watch ends (their clients list again). */
  private async reload(): Promise<void> {
    this.host.log("engine: a standby fell behind the change log's compaction; loading the snapshot again");
    const was = this.state;
    this.state = "loading";
    this.host.watches.closeAll("the watch ended: the engine reloaded its state; list again");
    await this.loadCaughtUp();
    if (this.state === "loading") this.state = was;
    this.scheduleIfBehind();
  }

  /** Reports that arrived while nothing was read from them (loading) are read now. */
  private scheduleIfBehind(): void {
    if (this.storeRevision > this.host.getRevision()) this.schedule();
  }

  private async closeSubscription(): Promise<void> {
    const s = this.subscription;
    this.subscription = undefined;
    await s?.close().catch((e: unknown) => this.host.log("engine: closing a standby's subscription failed", e));
  }
}
