/**
 * Engine core: wiring, the worker loop and the write path.
 * Guarantees:
 * - One writer: commands and controller passes run one at a time (a promise chain).
 * - Write path: controllers and commands stage writes in the state; a pass ends with ONE
 *   store commit of everything staged; informers fan out only after the commit.
 * - Admission: quota inside each command; growth (admission.ts) around every command,
 *   comparing a frozen tenant's claims before and after it, before anything is committed.
 * - A command that throws leaves nothing behind (its staged writes are undone); commands
 *   waiting together commit together (group commit, see `command`); a failed commit reloads
 *   from the store and re-queues everything, so the controllers converge again from the truth.
 * - Worker loop per controller: get -> sync -> done; a sync that throws is retried
 *   with back-off by its queue, never by the controller.
 * - Revisions: one per committed batch (the last one loaded from the store at start); every
 *   update or delete is conditional on the committed before-image's resourceVersion (a
 *   creation on the object's absence), so a second writer's commit is refused (CONFLICT)
 *   instead of overwriting. Events are exempt: they are most of the writes, and a lost
 *   race on an event's count is harmless.
 * - Watch: the same post-commit step that runs the informers feeds the watch hub, so a
 *   watch sees exactly the committed changes, in commit order.
 * - Compaction: a background timer trims the store's change log to changeLogWindow.
 * - Standby: `follow()` keeps the cache current from the store's change log without running
 *   anything (follower.ts); `start()` on a following engine promotes it: it catches up instead
 *   of loading everything, and its watches stay open.
 */
import { type Clock, isVirtualClock } from "../queue/clock";
import { GrowthAdmission } from "../admission/admission";
import { type Ctx, DEFAULT_CONFIG, type EngineConfig, type Queues } from "./context";
import { syncDeployment } from "../controllers/deployment-controller";
import { EngineError } from "./errors";
import { EventRecorder } from "./events";
import { syncGc } from "../controllers/gc";
import { createGlobalAlgorithm } from "../scheduler/global-scheduler";
import { dispatch } from "./informers";
import { monitorNodes, syncNode } from "../controllers/node-lifecycle";
import { syncProvisioner } from "../controllers/provisioner";
import { syncReplicaSet } from "../controllers/replicaset-controller";
import { syncEndpointSlices } from "../controllers/endpoint-slices";
import { syncPublicIpBinding } from "../controllers/public-ip-binding";
import { PublicIpNetwork } from "../network/public-ip-network";
import { measureDdos } from "../network/public-ip-ddos";
import { DdosProtection } from "../network/security/ddos";
import { ServiceNetwork } from "../network/service-network";
import { createRng, type Rng } from "../queue/rng";
import type { RuntimePort } from "../runtime/runtime";
import { isPending, PodScheduler, tenantAlgorithm } from "../scheduler/scheduler";
import { EngineSecurityState } from "../network/engine-security-state";
import { securityLimitsProblem } from "../network/security/limits";
import { SecurityCheckedAddresses } from "../network/security-checked-addresses";
import { createSimulatedRuntime } from "../runtime/simulated-runtime";
import { EngineState } from "./state";
import type { ChangeLogWindow, EngineStore, Snapshot, WriteBatch } from "../store/store";
import type { Change } from "./state";
import { OBJECT_KINDS, type EngineObject, type ObjectKind } from "../kinds/types";
import { WatchHub } from "../watch/hub";
import type { Watch, WatchEvent, WatchKind, WatchOptions } from "../watch/types";
import { createTimerSet } from "../queue/timers";
import { createWorkQueue, type WorkQueue } from "../queue/work-queue";
import { attachRuntime, bootstrap } from "./bootstrap";
import { Follower, type FollowStatus } from "./follower";

export interface EngineDeps {
  store: EngineStore;
  clock: Clock;
  rng?: Rng;
  runtime?: RuntimePort;
  /**
   * `changeLogWindow`: what compaction keeps of the store's log (default 10 min and 100,000 changes, the larger);
   * `watchCacheChanges` / `watchCacheBytes`: how many recent changes, and at most about how many bytes of
   * object versions, the watch's in-memory cache holds (default 10,000 and 32 MiB). Each cached change keeps
   * its object version alive, so this is the watch's memory bound; older resumes replay from the store's log.
   */
  config?: Partial<EngineConfig> & {
    changeLogWindow?: Partial<ChangeLogWindow>;
    watchCacheChanges?: number;
    watchCacheBytes?: number;
    /** Changes read from the store's log per page when a resume replays it (default 1,000). */
    watchReplayPage?: number;
  };
  /** Where internal failures are reported (default console.error). */
  log?: (message: string, error?: unknown) => void;
}

type Sync = (ctx: Ctx, key: string) => void;

interface QueuedCommand {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** At most this many waiting commands share one commit (a bound on one commit's size and latency). */
const MAX_COMMAND_GROUP = 128;

/** The change log keeps at least 10 minutes of engine time and at least 100,000 changes (the larger). */
export const DEFAULT_CHANGE_LOG_WINDOW: ChangeLogWindow = { ms: 600_000, changes: 100_000 };
/** How often (engine time) the change log is compacted. */
const COMPACT_PERIOD_MS = 60_000;
/** The watch's in-memory cache: a short buffer in front of the store's log (resumes older than it read the log). */
export const DEFAULT_WATCH_CACHE_CHANGES = 10_000;
export const DEFAULT_WATCH_CACHE_BYTES = 32 * 1024 * 1024;

export class EngineCore {
  readonly ctx: Ctx;
  readonly store: EngineStore;
  /** Tenants that may not add capacity now, consulted by every command. */
  readonly growth = new GrowthAdmission();
  private chain: Promise<unknown> = Promise.resolve();
  private pumpScheduled = false;
  /** Commands waiting to run (one group of them is queued on the chain). */
  private readonly commandQueue: QueuedCommand[] = [];
  private running = false;
  private readonly controllers: [WorkQueue, Sync][];
  readonly counters = { passes: 0, commits: 0, commitFailures: 0, syncErrors: 0, opsCommitted: 0 };
  private readonly log: (message: string, error?: unknown) => void;
  /** The revision of the last committed batch. */
  private revision = 0;
  readonly changeLogWindow: ChangeLogWindow;
  readonly watches: WatchHub;
  /** The oldest revision the store's change log still holds (after the last compaction). */
  oldestLoggedRevision = 0;
  private lastCommitError: unknown;
  /** Set while this engine stands by, following the store (follower.ts). */
  private follower: Follower | undefined;

  constructor(deps: EngineDeps) {
    const config: EngineConfig = {
      ...DEFAULT_CONFIG,
      ...deps.config,
      vm: { ...DEFAULT_CONFIG.vm, ...deps.config?.vm },
    };
    const rng = deps.rng ?? createRng(1);
    const timers = createTimerSet(deps.clock, () => this.kick());
    const state = new EngineState();
    const q = (name: string) =>
      createWorkQueue({ name, timers, rng, mode: config.queueMode, onReady: () => this.kick() });
    const queues: Queues = {
      deployment: q("deployment"),
      replicaSet: q("replicaset"),
      node: q("node"),
      provisioner: q("provisioner"),
      gc: q("gc"),
      endpoints: q("endpoints"),
      publicIps: q("publicips"),
    };
    const events = new EventRecorder(state, deps.clock, rng, config.eventRetentionMs);
    const algorithm = config.scheduler === "global" ? createGlobalAlgorithm() : tenantAlgorithm;
    const addresses = new SecurityCheckedAddresses(state, config.vpcCidr);
    const limitsProblem = securityLimitsProblem(config.securityLimits);
    if (limitsProblem) throw new Error(`engine config securityLimits: ${limitsProblem}`);
    const ddos = new DdosProtection(config.ddosThresholds);
    const securityState = new EngineSecurityState(state, (t) => addresses.vpcOf(t), config.securityLimits, ddos);
    addresses.attach(securityState);
    const scheduler = new PodScheduler(
      state,
      events,
      () => deps.clock.now(),
      algorithm,
      (t) => queues.provisioner.add(t, "update"),
      config.podEvents,
      timers,
      addresses,
    );
    this.store = deps.store;
    this.log = deps.log ?? ((m, e) => console.error(m, e));
    const serviceNetwork = new ServiceNetwork(undefined, this.log);
    const publicIps = new PublicIpNetwork(state, ddos, config.publicIpHoldMs);
    securityState.attachPublicIps(publicIps, () => serviceNetwork.tables);
    this.ctx = {
      state,
      clock: deps.clock,
      timers,
      rng,
      config,
      events,
      runtime: deps.runtime ?? createSimulatedRuntime(),
      queues,
      scheduler,
      addresses,
      serviceNetwork,
      securityState,
      publicIps,
      heartbeats: new Map(),
      emptySince: new Map(),
      deadlineTimers: new Map(),
    };
    this.changeLogWindow = { ...DEFAULT_CHANGE_LOG_WINDOW, ...deps.config?.changeLogWindow };
    this.watches = new WatchHub({
      clock: deps.clock,
      timers,
      revision: () => this.revision,
      list: (kind, tenantId) => listCommitted(state, kind, tenantId),
      nodeName: (id) => state.get("Node", id)?.name,
      capacity: deps.config?.watchCacheChanges ?? DEFAULT_WATCH_CACHE_CHANGES,
      maxBytes: deps.config?.watchCacheBytes ?? DEFAULT_WATCH_CACHE_BYTES,
      changesSince: deps.store.changesSince?.bind(deps.store),
      oldestLogged: () => this.oldestLoggedRevision,
      replayPage: deps.config?.watchReplayPage,
      log: this.log,
    });
    this.controllers = [
      [queues.deployment, syncDeployment],
      [queues.replicaSet, syncReplicaSet],
      [queues.gc, syncGc],
      [queues.node, syncNode],
      [queues.provisioner, syncProvisioner],
      [queues.endpoints, syncEndpointSlices],
      [queues.publicIps, syncPublicIpBinding],
    ];
  }

  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Start: load everything from the store, or, following (a standby taking over), catch up with
   * the log from the followed revision; then reconcile everything as after any load. Resolves
   * with which it was ("running": it already ran).
   */
  async start(): Promise<"loaded" | "followed" | "running"> {
    if (this.running) return "running";
    let from: "loaded" | "followed" = "followed";
    await this.exclusive(async () => {
      const follower = this.follower;
      if (!(await follower?.promote())) {
        from = "loaded";
        // A follower whose revision the log no longer reaches: its watches may miss a change, so they end.
        if (follower) this.watches.closeAll("the watch ended: the engine reloaded its state; list again");
        this.load(await this.store.loadAll());
        this.watches.reset(this.revision);
      }
      this.running = true;
      attachRuntime(this.ctx, () => this.kick());
      bootstrap(this.ctx, true);
      this.ctx.timers.after(this.ctx.config.nodeMonitorPeriodMs, () => this.periodicMonitor(), { background: true });
      this.ctx.timers.after(this.ctx.config.resyncPeriodMs, () => this.periodicResync(), { background: true });
      this.ctx.timers.after(60_000, () => this.periodicExpire(), { background: true });
      this.ctx.timers.after(this.ctx.config.ddosIntervalMs, () => this.periodicDdos(), { background: true });
      if (this.store.compact)
        this.ctx.timers.after(COMPACT_PERIOD_MS, () => this.periodicCompact(), { background: true });
      // Until here a promoted follower's cache answered reads (queries see a standby or a leader, never neither).
      if (this.follower === follower) this.follower = undefined;
    });
    this.kick();
    return from;
  }

  /**
   * Stand by: load the store and follow its change log (follower.ts), answering queries and
   * watches, until start() promotes this engine. Resolves once the cache answers.
   */
  async follow(): Promise<void> {
    if (this.running || this.follower) return;
    this.follower = new Follower({
      store: this.store,
      state: this.ctx.state,
      watches: this.watches,
      timers: this.ctx.timers,
      getRevision: () => this.revision,
      setRevision: (revision) => {
        this.revision = revision;
      },
      load: (snapshot, revision) => {
        this.ctx.state.load(snapshot);
        this.revision = revision;
      },
      exclusive: (fn) => this.exclusive(fn),
      log: this.log,
    });
    const follower = this.follower;
    try {
      await follower.start();
    } catch (e) {
      if (this.follower === follower) this.follower = undefined;
      throw e;
    }
  }

  /** How current a following engine is; undefined unless it follows (or is loading to). */
  get followStatus(): FollowStatus | undefined {
    return this.follower?.status();
  }

  /** Stop: no more passes, timers or runtime activity. Uncommitted work is simply lost. */
  async stop(): Promise<void> {
    this.running = false;
    const follower = this.follower;
    this.follower = undefined;
    await follower?.stop();
    await this.chain.catch(() => undefined);
    this.watches.closeAll();
    this.ctx.timers.cancelAll();
    this.ctx.runtime.shutdown();
    for (const q of Object.values(this.ctx.queues)) q.shutDown();
  }

  /**
   * Run `fn` (validate + stage) as one atomic command: commit, then fan out. Commands that
   * arrive while the engine is busy wait together and run as one group: each in its own
   * savepoint (one that throws is undone alone and rejected), then ONE commit for all that
   * succeeded: if it fails, every command of the group fails and nothing of them is kept.
   * Each command still sees the writes of those before it, as if committed one by one.
   */
  command<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.commandQueue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.commandQueue.length === 1) void this.exclusive(() => this.runCommandGroup());
    }).finally(() => this.kick());
  }

  /** The queued commands, at most MAX_COMMAND_GROUP of them, as one group (see `command`). */
  private async runCommandGroup(): Promise<void> {
    // Let the requests already received reach their commands first (their I/O callbacks run
    // before an immediate): concurrent commands then share this commit instead of queueing.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const group = this.commandQueue.splice(0, MAX_COMMAND_GROUP);
    if (this.commandQueue.length > 0) void this.exclusive(() => this.runCommandGroup());
    if (!this.running) {
      const e = new EngineError("UNAVAILABLE", "the engine is not running; call start() first");
      for (const c of group) c.reject(e);
      return;
    }
    const state = this.ctx.state;
    if (state.hasStaged() && !(await this.flush())) {
      const e = this.commitRefusal();
      for (const c of group) c.reject(e);
      return;
    }
    const staged: { command: QueuedCommand; result: unknown }[] = [];
    state.stagingRevision = this.revision + 1;
    try {
      for (const command of group) {
        state.openSavepoint();
        try {
          const claimsBefore = this.growth.before(state);
          const result = command.fn();
          this.growth.admit(state, claimsBefore);
          state.releaseSavepoint();
          staged.push({ command, result });
        } catch (e) {
          // Only this command's writes are undone. (Event de-dup keys that now point at a
          // discarded event are harmless: a missing event is simply created again.)
          state.rollbackToSavepoint();
          command.reject(e);
        }
      }
    } finally {
      state.stagingRevision = undefined;
    }
    if (staged.length === 0) return;
    let committed: boolean;
    try {
      committed = await this.flush();
    } catch (e) {
      // flush reports the store's refusals by its result; anything else must still answer every caller.
      for (const { command } of staged) command.reject(e);
      throw e;
    }
    if (!committed) {
      const e = this.commitRefusal();
      for (const { command } of staged) command.reject(e);
      return;
    }
    for (const { command, result } of staged) command.resolve(result);
  }

  /** What a command whose commit failed is told: CONFLICT as the store said it, else try again. */
  private commitRefusal(): EngineError {
    const e = this.lastCommitError;
    if (e instanceof EngineError && e.code === "CONFLICT") return e;
    return new EngineError("UNAVAILABLE", "the store did not accept the change; nothing was changed, try again");
  }

  kick(): void {
    if (this.pumpScheduled || !this.running) return;
    this.pumpScheduled = true;
    void this.exclusive(async () => {
      this.pumpScheduled = false;
      await this.drain();
    });
  }

  /** Resolves when no pass is running or scheduled and nothing is queued. */
  async whenIdle(): Promise<void> {
    for (let i = 0; i < 1_000_000; i++) {
      await this.chain.catch(() => undefined);
      if (!this.pumpScheduled) {
        if (!this.running || (!this.hasQueuedWork() && !this.ctx.state.hasStaged())) return;
        this.kick();
      }
    }
  }

  hasQueuedWork(): boolean {
    return this.controllers.some(([q]) => q.len().total > 0) || this.ctx.scheduler.hasWork();
  }

  /** Advance the virtual clock until nothing is queued and no work timer is pending. */
  async settle(maxMs = 3_600_000): Promise<{ idle: boolean; elapsedMs: number }> {
    const clock = this.ctx.clock;
    if (!isVirtualClock(clock))
      throw new EngineError("INVALID", "settle() needs a virtual clock; use whenIdle() with a real clock");
    const start = clock.now();
    const deadline = start + maxMs;
    for (;;) {
      await this.whenIdle();
      if (this.ctx.timers.pendingWork() === 0) return { idle: true, elapsedMs: clock.now() - start };
      const next = clock.nextTimerAt();
      if (next === undefined || next > deadline) return { idle: false, elapsedMs: clock.now() - start };
      clock.advanceTo(Math.min(deadline, next + this.ctx.config.settleQuantumMs));
    }
  }

  /** Advance the virtual clock by `ms`, running controllers at every timer on the way. */
  async runFor(ms: number, onStep?: () => void): Promise<void> {
    const clock = this.ctx.clock;
    if (!isVirtualClock(clock)) throw new EngineError("INVALID", "runFor() needs a virtual clock");
    const target = clock.now() + ms;
    for (;;) {
      await this.whenIdle();
      onStep?.();
      const next = clock.nextTimerAt();
      if (next === undefined || next > target) break;
      clock.advanceTo(Math.min(target, next + this.ctx.config.settleQuantumMs));
    }
    clock.advanceTo(target);
    await this.whenIdle();
    onStep?.();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async drain(): Promise<void> {
    while (this.running) {
      // Real-time work first: a command that arrived while a long drain (a full resync of
      // every key) was committing runs before the next pass, not after the whole drain.
      if (this.commandQueue.length > 0) return this.kick();
      this.counters.passes++;
      let did = 0;
      for (const [q, sync] of this.controllers) {
        let background = 0;
        for (let i = 0; i < this.ctx.config.keysPerPass; i++) {
          if (q.peekPriority() === "syncAll" && background++ >= this.ctx.config.syncAllPerPass) break;
          const key = q.get();
          if (key === undefined) break;
          did++;
          try {
            sync(this.ctx, key);
          } catch (e) {
            this.counters.syncErrors++;
            this.log(`engine: ${q.name} sync ${key} failed`, e);
            q.addRateLimited(key);
          } finally {
            q.done(key);
          }
        }
      }
      did += this.ctx.scheduler.runCycle(this.ctx.config.schedulerBudget + this.admitStagedPods());
      if (this.ctx.state.hasStaged()) {
        did++;
        if (!(await this.flush())) return;
      }
      if (did === 0) return;
    }
  }

  /**
   * Hand the pods this pass created to the scheduler, so each is written once with its
   * binding (or its Unschedulable condition) instead of once created and once placed. Safe
   * before the commit: the placement is staged in the same batch as the creation. Returns
   * how many were admitted: they get budget of their own, on top of the pods already waiting.
   */
  private admitStagedPods(): number {
    let admitted = 0;
    for (const pod of this.ctx.state.stagedCreations("Pod")) {
      if (!isPending(pod)) continue;
      this.ctx.scheduler.admit(pod);
      admitted++;
    }
    return admitted;
  }

  /** Commit everything staged as one batch; fan out on success, reload on failure. */
  private async flush(): Promise<boolean> {
    const { batch, changes } = this.ctx.state.takeBatch();
    if (batch.ops.length === 0) return true;
    batch.at = this.ctx.clock.now();
    batch.revision = this.revision + 1;
    // The staged objects are this pass's own new values, seen by nothing outside the engine yet.
    for (const op of batch.ops) if (op.op === "upsert") op.object.resourceVersion = batch.revision;
    conditionOnBeforeImages(batch, changes);
    try {
      await this.store.commit(batch);
      this.revision = batch.revision;
    } catch (e) {
      this.lastCommitError = e;
      this.counters.commitFailures++;
      this.log("engine: store commit failed; reloading committed state", e);
      await this.reload();
      return false;
    }
    this.counters.commits++;
    this.counters.opsCommitted += batch.ops.length;
    this.ctx.securityState.committed(changes);
    dispatch(this.ctx, changes);
    this.watches.publish(batch.revision, batch.at, changes);
    return true;
  }

  /** Watch committed changes (watch/types.ts has the contract). Invalid selectors throw INVALID. */
  watch(kind: WatchKind, opts: WatchOptions, onEvent: (e: WatchEvent) => void): Watch {
    return this.watches.watch(kind, opts, onEvent);
  }

  /** The revision of the last commit. */
  get currentRevision(): number {
    return this.revision;
  }

  private load(snapshot: Snapshot): void {
    this.ctx.state.load(snapshot);
    this.revision = snapshot.revision ?? maxResourceVersion(snapshot);
  }

  /** Throw away the cache and rebuild it from the store, then reconcile everything. */
  private async reload(): Promise<void> {
    const published = this.revision;
    this.load(await this.store.loadAll());
    // A commit that failed to report but landed (a connection lost during COMMIT) was never
    // published: the watches would miss it, so they end and their clients list again.
    if (this.revision !== published) {
      this.watches.closeAll("the watch ended: the engine reloaded its state; list again");
      this.watches.reset(this.revision);
    }
    bootstrap(this.ctx, false);
  }

  private periodicMonitor(): void {
    monitorNodes(this.ctx);
    this.ctx.timers.after(this.ctx.config.nodeMonitorPeriodMs, () => this.periodicMonitor(), { background: true });
  }

  private periodicResync(): void {
    const { state, queues } = this.ctx;
    for (const d of state.all("Deployment")) queues.deployment.add(d.id, "syncAll");
    for (const r of state.all("ReplicaSet")) queues.replicaSet.add(r.id, "syncAll");
    for (const t of state.tenantIds("NodePool")) queues.provisioner.add(t, "syncAll");
    for (const s of state.all("Service")) queues.endpoints.add(s.id, "syncAll");
    queues.gc.add("all", "syncAll");
    this.ctx.timers.after(this.ctx.config.resyncPeriodMs, () => this.periodicResync(), { background: true });
  }

  private periodicExpire(): void {
    this.ctx.events.expire();
    this.kick();
    this.ctx.timers.after(60_000, () => this.periodicExpire(), { background: true });
  }

  /** DDoS protection's measuring interval (network/public-ip-ddos.ts): its writes go with the next pass. */
  private periodicDdos(): void {
    void this.exclusive(async () => {
      if (!this.running) return;
      measureDdos(this.ctx);
      if (this.ctx.state.hasStaged()) await this.flush();
    });
    this.ctx.timers.after(this.ctx.config.ddosIntervalMs, () => this.periodicDdos(), { background: true });
  }

  private periodicCompact(): void {
    const compact = this.store.compact?.bind(this.store);
    if (!compact) return;
    const now = this.ctx.clock.now();
    void this.exclusive(async () => {
      try {
        this.oldestLoggedRevision = (await compact(now, this.changeLogWindow)).oldestRevision;
      } catch (e) {
        this.log("engine: change-log compaction failed; it is retried at the next period", e);
      }
    });
    this.ctx.timers.after(COMPACT_PERIOD_MS, () => this.periodicCompact(), { background: true });
  }

  queueDepths(): Record<string, ReturnType<WorkQueue["len"]>> {
    return Object.fromEntries(this.controllers.map(([q]) => [q.name, q.len()]));
  }
}

/**
 * Make each op conditional on what it replaces: the committed before-image's resourceVersion,
 * or absence for a creation; give deletes their last state for the change log. `changes` is
 * the batch's ops in the same order (state.takeBatch builds both in one loop).
 */
function conditionOnBeforeImages(batch: WriteBatch, changes: readonly Change[]): void {
  batch.ops.forEach((op, i) => {
    const c = changes[i];
    const id = op.op === "upsert" ? op.object.id : op.id;
    if (!c || ((c.after ?? c.before) as EngineObject).id !== id) return;
    if (op.op === "delete") op.object = c.before;
    else if (c.before !== undefined) op.previousResourceVersion = c.before.resourceVersion;
    if (c.kind === "Event") return;
    op.expectResourceVersion = c.before === undefined ? 0 : c.before.resourceVersion;
  });
}

/** Committed objects for a watch's initial list: every kind for "*", one tenant's when given. */
function* listCommitted(
  state: EngineState,
  kind: ObjectKind | undefined,
  tenantId: string | undefined,
): Iterable<EngineObject> {
  for (const k of kind === undefined ? OBJECT_KINDS : [kind]) {
    if (tenantId === undefined) yield* state.all(k);
    else yield* state.ofTenant(k, tenantId);
  }
}

/** For stores without a change log: the newest revision any surviving object carries. */
function maxResourceVersion(snapshot: Snapshot): number {
  let max = 0;
  for (const objects of Object.values(snapshot))
    if (Array.isArray(objects)) for (const o of objects) if (o.resourceVersion > max) max = o.resourceVersion;
  return max;
}
