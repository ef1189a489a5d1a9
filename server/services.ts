/**
 * The server's long-lived pieces, built once per process: the database, auth and the
 * orchestration engine (with its store over the same database). Tests build their own with
 * `createServices` on a throw-away database and a virtual clock.
 */
import type { DatabaseHandle } from "@/db/client";
import { createDatabaseEngineStore } from "@/db/engine-store";
import { createAuth, type Auth } from "./auth/auth";
import { createBilling, meteringHook, type Billing, type BillingOptions } from "./billing";
import { createClusterHistory, type ClusterHistory } from "./cluster/history";
import { createDatabaseMaintenance } from "./db-maintenance";
import {
  createEngine,
  createRealClock,
  createSimulatedRuntime,
  type Clock,
  type Engine,
  type EngineConfig,
} from "./engine";
import { createMonitoring, type Monitoring } from "./monitoring";
import type { RetentionConfig } from "./monitoring/jobs";

export interface Services {
  db: DatabaseHandle["db"];
  database: DatabaseHandle;
  auth: Auth;
  engine: Engine;
  clock: Clock;
  /** Scheduler throughput and queue depths over time, for the operators' charts. */
  clusterHistory: ClusterHistory;
  /** Metering (a hook in the engine's commits), invoices, balances and their jobs. */
  billing: Billing;
  /** cAdvisor-style collection, rollups and retention, on the engine clock. */
  monitoring: Monitoring;
  config: ServiceConfig;
  /** Starts the engine (load from the database, reconcile), then the jobs around it. */
  start(): Promise<void>;
  /**
   * Stops the jobs, lets their queued writes finish, then stops the engine (whatever it had
   * not committed is lost, as in a crash). The database stays open: its owner closes it.
   */
  stop(): Promise<void>;
  /** The engine's state for /api/health. */
  engineHealth(): { status: "starting" | "running"; nodes: number; pods: number; queued: number };
}

export interface ServiceConfig {
  baseURL: string;
  secret: string;
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
    store: createDatabaseEngineStore(database.db, [meteringHook]),
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
  let running = false;
  return {
    db: database.db,
    database,
    auth,
    engine,
    clock,
    clusterHistory,
    billing,
    monitoring,
    config,
    async start() {
      await engine.start();
      clusterHistory.start();
      monitoring.start();
      await billing.start();
      maintenance.start();
      running = true;
    },
    async stop() {
      running = false;
      clusterHistory.stop();
      monitoring.stop();
      billing.stop();
      maintenance.stop();
      await monitoring.flush();
      await billing.idle();
      await maintenance.idle();
      await engine.stop();
    },
    engineHealth() {
      if (!running) return { status: "starting", nodes: 0, pods: 0, queued: 0 };
      const s = engine.stats();
      const queued = Object.values(s.queues).reduce((sum, q) => sum + q.total, 0);
      return { status: "running", nodes: s.nodes, pods: s.pods, queued };
    },
  };
}
