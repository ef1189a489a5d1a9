/**
 * The server's long-lived pieces, built once per process: the database, auth and the
 * orchestration engine (with its store over the same database). Tests build their own with
 * `createServices` on a throw-away database and a virtual clock.
 */
import type { DatabaseHandle } from "@/db/client";
import { createDatabaseEngineStore } from "@/db/engine-store";
import { createAuth, type Auth } from "./auth/auth";
import { createClusterHistory, type ClusterHistory } from "./cluster/history";
import { createEngine, createRealClock, createSimulatedRuntime, type Clock, type Engine, type EngineConfig } from "./engine";

export interface Services {
  db: DatabaseHandle["db"];
  database: DatabaseHandle;
  auth: Auth;
  engine: Engine;
  clock: Clock;
  /** Scheduler throughput and queue depths over time, for the operators' charts. */
  clusterHistory: ClusterHistory;
  config: ServiceConfig;
  /** Starts the engine (load from the database, reconcile) and the history sampler. */
  start(): Promise<void>;
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
}

export function createServices(database: DatabaseHandle, config: ServiceConfig, options: ServiceOptions = {}): Services {
  const auth = createAuth({ db: database.db, ...config });
  const clock = options.clock ?? createRealClock();
  const engine = createEngine({
    store: createDatabaseEngineStore(database.db),
    clock,
    runtime: createSimulatedRuntime(),
    config: options.engineConfig,
  });
  const clusterHistory = createClusterHistory(engine, clock);
  let running = false;
  return {
    db: database.db,
    database,
    auth,
    engine,
    clock,
    clusterHistory,
    config,
    async start() {
      await engine.start();
      clusterHistory.start();
      running = true;
    },
    engineHealth() {
      if (!running) return { status: "starting", nodes: 0, pods: 0, queued: 0 };
      const s = engine.stats();
      const queued = Object.values(s.queues).reduce((sum, q) => sum + q.total, 0);
      return { status: "running", nodes: s.nodes, pods: s.pods, queued };
    },
  };
}
