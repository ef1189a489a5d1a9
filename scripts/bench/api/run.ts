/**
 * The API benchmark's core (scripts/bench/api.ts is its command line; api.test.ts runs it
 * small): builds the world (the server, in this process), forks the client processes with one
 * HTTPS client per simulated client, runs the selected operations one after another and hands
 * each JSON line to `emit`.
 */
import os from "node:os";
import { gcNow, rssMb } from "../lib";
import { type ApiClient, createApiClient } from "./https-client";
import { costBreakdown } from "./breakdown";
import { startClientPool } from "./client-pool";
import { profiled } from "./profile";
import { type Line, type LoadShape, listPaged, listTable, loadOp } from "./ops";
import { watchDelivery, type WatchShape } from "./watch-delivery";
import { buildWorld, type WorldScale } from "./world";

export const OPS = [
  "get-pod",
  "get-deployment",
  "list-table",
  "list-paged",
  "create-configmap",
  "patch-deployment",
  "watch-delivery",
  "cost-breakdown",
] as const;
export type Op = (typeof OPS)[number];

export interface ApiBenchConfig extends Omit<WorldScale, "tenantTokens"> {
  clients: number;
  load: LoadShape;
  paged: { rounds: number; pageSize: number };
  watch: WatchShape;
  only: ReadonlySet<Op>;
}

/** BENCH_API_GZIP=0: clients that do not ask for gzip (Go's transport does, so kubectl does). */
const GZIP = process.env.BENCH_API_GZIP !== "0";
/** BENCH_API_CLIENT_PROCESSES: how many processes the clients are split between (default: one per CPU). */
const CLIENT_PROCESSES = Number(process.env.BENCH_API_CLIENT_PROCESSES ?? os.cpus().length);

export const TRANSPORT =
  "https (node:https, keep-alive agent per client, server CA verified, bearer API tokens" +
  (GZIP ? ", Accept-Encoding: gzip as kubectl's transport, decompressed as it arrives" : ", no Accept-Encoding") +
  `); clients split between ${CLIENT_PROCESSES} child processes (latency at the client: request sent to last byte received and decompressed),` +
  " server in the measuring process (cpu_ms_per_req is its CPU); watch-delivery and cost-breakdown clients in the server's process";

export async function runApiBench(config: ApiBenchConfig, emit: (line: Line) => void): Promise<Line[]> {
  const world = await buildWorld({ ...config, tenantTokens: config.clients + 1 });
  const lines: Line[] = [];
  const pool = await startClientPool({
    endpoint: world.endpoint,
    tenantTokens: world.tenantTokens.slice(0, config.clients),
    operatorToken: world.operatorToken,
    gzip: GZIP,
    processes: CLIENT_PROCESSES,
  });
  // Watch delivery times arrivals against commits seen in this process, so its clients are here.
  const tenantClients = world.tenantTokens.map((t) => createApiClient(world.endpoint, t, { gzip: GZIP }));
  const watchers = tenantClients.slice(0, config.clients);
  const writer = tenantClients[config.clients] as ApiClient;
  const n = config.clients;
  const context = {
    pods_namespace: world.pods.namespace,
    pods_cluster: world.pods.cluster,
    nodes: world.nodes,
    transport: TRANSPORT,
    engine_clock: "virtual, held while measuring (controllers run; timers and monitoring do not)",
    cpus: os.cpus().length,
    client_processes: pool.processes,
  };
  const run: Record<Op, () => Promise<Line>> = {
    "get-pod": () => loadOp("get-pod", world, pool, n, config.load),
    "get-deployment": () => loadOp("get-deployment", world, pool, n, config.load),
    "list-table": () => listTable(world, pool, n, config.load),
    "list-paged": () => listPaged(world, pool, config.paged.rounds, config.paged.pageSize),
    "create-configmap": () => loadOp("create-configmap", world, pool, n, config.load),
    "patch-deployment": () => loadOp("patch-deployment", world, pool, n, config.load),
    "watch-delivery": () => watchDelivery(world, watchers, writer, config.watch),
    "cost-breakdown": () =>
      costBreakdown(world, writer, world.tenantTokens[config.clients] as string, config.load.perClient * 5),
  };
  try {
    for (const op of OPS) {
      if (!config.only.has(op)) continue;
      gcNow();
      const load0 = os.loadavg()[0] ?? 0;
      world.serverLatency.reset();
      const engine0 = world.services.engine.stats().engine;
      const measured = await profiled(process.env.BENCH_API_PROFILE, op, run[op]);
      const engine1 = world.services.engine.stats().engine;
      const line = {
        // Unless the operation measured its own phases (list-table).
        ...world.serverLatency.summary(),
        ...measured,
        // Store commits while measuring (warm-up included): concurrent writes share them (group commit).
        engine_commits: engine1.commits - engine0.commits,
        ops_committed: engine1.opsCommitted - engine0.opsCommitted,
        ...context,
        rss_mb: rssMb(),
        load_avg_1m: Math.round(load0 * 100) / 100,
      };
      lines.push(line);
      emit(line);
      // What a mutation started (replica set syncs, audit writes) is done before the next measurement.
      await world.services.engine.whenIdle();
    }
  } finally {
    for (const c of tenantClients) c.close();
    await pool.close();
    await world.close();
  }
  return lines;
}
