/**
 * The API benchmark's core (scripts/bench/api.ts is its command line; api.test.ts runs it
 * small): builds the world, opens one HTTPS client per simulated client, runs the selected
 * operations one after another and hands each JSON line to `emit`.
 */
import os from "node:os";
import { gcNow, rssMb } from "../lib";
import { type ApiClient, createApiClient } from "./https-client";
import { costBreakdown } from "./breakdown";
import { profiled } from "./profile";
import {
  createConfigMaps,
  getDeployments,
  getPods,
  type Line,
  type LoadShape,
  listPaged,
  listTable,
  patchDeployments,
} from "./ops";
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

export const TRANSPORT =
  "https (node:https, keep-alive agent per client, server CA verified, bearer API tokens); listener and clients in one process";

export async function runApiBench(config: ApiBenchConfig, emit: (line: Line) => void): Promise<Line[]> {
  const world = await buildWorld({ ...config, tenantTokens: config.clients + 1 });
  const lines: Line[] = [];
  const tenantClients = world.tenantTokens.map((t) => createApiClient(world.endpoint, t));
  const clients = tenantClients.slice(0, config.clients);
  const writer = tenantClients[config.clients] as ApiClient;
  const operator = createApiClient(world.endpoint, world.operatorToken);
  const context = {
    pods_namespace: world.pods.namespace,
    pods_cluster: world.pods.cluster,
    nodes: world.nodes,
    transport: TRANSPORT,
    engine_clock: "virtual, held while measuring (controllers run; timers and monitoring do not)",
    cpus: os.cpus().length,
  };
  const run: Record<Op, () => Promise<Line>> = {
    "get-pod": () => getPods(world, clients, config.load),
    "get-deployment": () => getDeployments(world, clients, config.load),
    "list-table": () => listTable(world, clients, config.load),
    "list-paged": () => listPaged(world, operator, config.paged.rounds, config.paged.pageSize),
    "create-configmap": () => createConfigMaps(world, clients, config.load),
    "patch-deployment": () => patchDeployments(world, clients, config.load),
    "watch-delivery": () => watchDelivery(world, clients, writer, config.watch),
    "cost-breakdown": () =>
      costBreakdown(world, writer, world.tenantTokens[config.clients] as string, config.load.perClient * 5),
  };
  try {
    for (const op of OPS) {
      if (!config.only.has(op)) continue;
      gcNow();
      const load0 = os.loadavg()[0] ?? 0;
      const measured = await profiled(process.env.BENCH_API_PROFILE, op, run[op]);
      const line = { ...measured, ...context, rss_mb: rssMb(), load_avg_1m: Math.round(load0 * 100) / 100 };
      lines.push(line);
      emit(line);
      // What a mutation started (replica set syncs, audit writes) is done before the next measurement.
      await world.services.engine.whenIdle();
    }
  } finally {
    for (const c of [...tenantClients, operator]) c.close();
    await world.close();
  }
  return lines;
}
