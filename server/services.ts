/**
 * The server's long-lived pieces, built once per process: the database, auth and the
 * orchestration engine (with its store over the same database). Tests build their own with
 * `createServices` on a throw-away database and a virtual clock.
 */
import type { DatabaseHandle } from "@/db/client";
import { createDatabaseEngineStore } from "@/db/engine-store";
import { type EngineLease, fencedDatabase, type LeaseStatus } from "@/db/lease";
import { createSecretSealer, deriveSecretsKey } from "@/db/secret-sealing";
import { createAuth, type Auth } from "./auth/auth";
import { createBilling, meteringHook, type Billing, type BillingOptions } from "./billing";
import { createClusterHistory, type ClusterHistory } from "./cluster/history";
import { createDatabaseMaintenance } from "./db-maintenance";
import {
  createEngine,
  createRealClock,
  createSimulatedRuntime,
  type Clock,
  type Orchestrator,
  type EngineConfig,
} from "./engine";
import type { FollowStatus } from "./engine/api/orchestrator";
import { createLeadership } from "./leadership/leadership";
import { guardStandby } from "./leadership/standby-guard";
import { createMonitoring, type Monitoring } from "./monitoring";
import { ensureTenantNamespaces } from "./tenancy/tenants";
import type { RetentionConfig } from "./monitoring/jobs";

export interface Services {
  db: DatabaseHandle["db"];
  database: DatabaseHandle;
  auth: Auth;
  engine: Orchestrator;
  clock: Clock;
  /** Scheduler throughput and queue depths over time, for the operators' charts. */
  clusterHistory: ClusterHistory;
  /** Metering (a hook in the engine's commits), invoices, balances and their jobs. */
  billing: Billing;
  /** cAdvisor-style collection, rollups and retention, on the engine clock. */
  monitoring: Monitoring;
  config: ServiceConfig;
  /**
   * Starts the engine (load from the database, reconcile), then the jobs around it: at once, or,
   * when another process holds the engine's lease, returns as a standby whose engine follows the
   * database's change log (reads answer from it, commands are refused), and starts them once this
   * process takes the lease over, promoting the followed engine (server/leadership/leadership.ts).
   */
  start(): Promise<void>;
  /**
   * Stops the jobs, lets their queued writes finish, then stops the engine (whatever it had
   * not committed is lost, as in a crash), and gives the lease up. The database stays open: its
   * owner closes it.
   */
  stop(): Promise<void>;
  /** This process's part: leader (runs the engine), standby (another process does), or lost. */
  role(): LeaseStatus;
  /** Resolves once the engine runs in this process (at once without a lease). */
  whenLeader(): Promise<void>;
  /** The engine's state for /api/health. */
  engineHealth(): EngineHealth;
}

export interface EngineHealth {
  status: "starting" | "running" | "standby" | "lost";
  role: LeaseStatus["role"];
  /** The lease epoch this process took (the holder's host and pid stay in the logs: this is public). */
  epoch?: number;
  /** What the engine holds: on a standby, what it follows (0 until its snapshot is loaded). */
  nodes: number;
  pods: number;
  queued: number;
  /** A standby following the change log: its state, the revision it holds and how many it is behind. */
  follower?: { state: FollowStatus["state"]; revision: number; lag: number };
}

export interface ServiceConfig {
  baseURL: string;
  secret: string;
  /** The key Secrets are encrypted with at rest (32 bytes); absent: derived from `secret` (tests). */
  secretsKey?: Buffer;
  operatorEmail?: string;
  trustedOrigins?: string[];
}

export interface ServiceOptions {
  clock?: Clock;
  engineConfig?: Partial<EngineConfig>;
  billing?: Partial<BillingOptions>;
  /** Seconds between samples (default 10). */
  monitoringIntervalMs?: number;
  monitoringRetention?: RetentionConfig;
  /**
   * The engine's lease (db/lease.ts): commits are fenced by it, and the engine runs only while it
   * is held. Without one, this process runs the engine at once and alone (tests).
   */
  lease?: EngineLease;
  /** The lease was lost and the engine stopped here; runtime.ts builds a standby in its place. */
  onLeaseLost?: (reason: string) => void;
}

export function createServices(
  database: DatabaseHandle,
  config: ServiceConfig,
  options: ServiceOptions = {},
): Services {
  const auth = createAuth({ db: database.db, ...config });
  const clock = options.clock ?? createRealClock();
  const runtime = createSimulatedRuntime();
  const engine = createEngine({
    // Fenced: a commit of a process that has lost the lease is refused before it writes anything.
    store: createDatabaseEngineStore(
      options.lease ? fencedDatabase(database.db, options.lease) : database.db,
      [meteringHook],
      { sealer: createSecretSealer(config.secretsKey ?? deriveSecretsKey(config.secret)) },
    ),
    clock,
    runtime,
    config: options.engineConfig,
  });
  const clusterHistory = createClusterHistory(engine, clock);
  const monitoring = createMonitoring({
    db: database.db,
    engine,
    runtime,
    clock,
    intervalMs: options.monitoringIntervalMs,
    retention: options.monitoringRetention,
  });
  const billing = createBilling({ db: database.db, clock, engine, options: options.billing });
  const maintenance = createDatabaseMaintenance({ database, clock });
  const leadership = createLeadership({
    lease: options.lease,
    // A standby on a PostgreSQL server follows the change log while it waits (LISTEN/NOTIFY, no
    // polling), so it serves reads and its promotion catches up instead of loading everything. On
    // PGlite there is no such standby: a second process waits on the data folder's lock before it
    // opens anything (runtime.ts), and starts cold once it has it.
    standBy: () => engine.follow(),
    async lead() {
      const started = performance.now();
      const from = await engine.start();
      if (options.lease)
        console.log(
          `[tenant-cloud] engine: started ${from === "followed" ? "from the followed state" : "from the database"} in ${Math.round(performance.now() - started)} ms`,
        );
      // Tenants made before namespaces existed get their first namespace (and their objects move into it).
      await ensureTenantNamespaces(database.db, engine);
      clusterHistory.start();
      monitoring.start();
      await billing.start();
      maintenance.start();
    },
    async stepDown() {
      clusterHistory.stop();
      monitoring.stop();
      billing.stop();
      maintenance.stop();
      await monitoring.flush();
      await billing.idle();
      await maintenance.idle();
      await engine.stop();
    },
    onLost: options.onLeaseLost,
  });
  return {
    db: database.db,
    database,
    auth,
    // Requests see the engine through the guard: on a standby, reads while it follows the store, and
    // UNAVAILABLE for commands (and for reads before it follows), never empty lists.
    engine: guardStandby(engine, {
      isLeader: leadership.isLeader,
      servesReads: () => engine.isRunning() || servesReads(engine.followStatus()),
    }),
    clock,
    clusterHistory,
    billing,
    monitoring,
    config,
    start: () => leadership.start(),
    async stop() {
      await leadership.stop();
      if (engine.followStatus()) await engine.stop(); // a standby's follower (its LISTEN connection)
    },
    role: () => leadership.status(),
    whenLeader: () => leadership.whenLeader(),
    engineHealth() {
      const { role, epoch } = leadership.status();
      if (!leadership.isLeader()) {
        const status = role === "leader" ? "starting" : role;
        const f = engine.followStatus();
        if (!f) return { status, role, epoch, nodes: 0, pods: 0, queued: 0 };
        const follower = { state: f.state, revision: f.revision, lag: f.lag };
        return { status, role, epoch, nodes: f.nodes, pods: f.pods, queued: 0, follower };
      }
      const s = engine.stats();
      const queued = Object.values(s.queues).reduce((sum, q) => sum + q.total, 0);
      return { status: "running", role, epoch, nodes: s.nodes, pods: s.pods, queued };
    },
  };
}

/** A standby's cache answers while it follows, and while it is handed over to the starting engine. */
function servesReads(f: FollowStatus | undefined): boolean {
  return f?.state === "following" || f?.state === "promoted";
}
