/**
 * The benchmark's operations, each as a client sends it over HTTPS from the client process: get,
 * the namespace's pods as kubectl's Table, an operator's paged list of the whole cluster, create,
 * strategic merge patch. Each returns its JSON line (without the run's context fields).
 */
import { tableCache } from "@/server/kube-api/table-cache";
import { round } from "../lib";
import type { ClientPool } from "./client-pool";
import { cpuNow } from "./closed-loop";
import { measuredLoop, summary } from "./measure";
import { type LoadOp, type RequestPlan, REQUESTS, TABLE_ACCEPT, tablePath } from "./requests";
import type { World } from "./world";

export { TABLE_ACCEPT };

export type Line = Record<string, unknown>;

export interface LoadShape {
  /** Requests per client for the cheap operations (gets, create, patch) and for the Table list. */
  perClient: number;
  listPerClient: number;
  warmup: number;
}

export const TARGETS = { readP99Ms: 50, mutationP99Ms: 50, tableP99Ms: 200, pagedTotalS: 10, watchP99Ms: 100 };

export const planOf = (w: World): RequestPlan => ({
  namespace: w.namespace,
  podNames: w.podNames,
  deployments: w.deployments,
});

const REQUEST_TEXT: Record<Exclude<LoadOp, "list-table">, string> = {
  "get-pod": "GET …/pods/{name}",
  "get-deployment": "GET …/deployments/{name}",
  "create-configmap": "POST …/configmaps",
  "patch-deployment": "PATCH …/deployments/{name} (strategic merge patch of metadata.labels)",
};

/** get-pod, get-deployment, create-configmap or patch-deployment from every client. */
export async function loadOp(
  op: Exclude<LoadOp, "list-table">,
  w: World,
  pool: ClientPool,
  clients: number,
  load: LoadShape,
): Promise<Line> {
  const s = await measuredLoop(pool, op, planOf(w), { clients, count: load.perClient, warmup: load.warmup });
  const target = op.startsWith("get-") ? TARGETS.readP99Ms : TARGETS.mutationP99Ms;
  return { ...summary(op, clients, s, target), request: REQUEST_TEXT[op] };
}

/**
 * The whole namespace in one answer (kubectl get pods --chunk-size=0; by default kubectl asks 500
 * at a time), measured as kubectl's transport asks (Accept-Encoding: gzip, unless BENCH_API_GZIP=0)
 * and then, in `identity`, without compression. The engine clock is held while measuring, so after
 * the first request the answers come from the Table cache (`table_cache` counts); `miss` is a lone
 * request with the cache emptied first (what the first request of each second costs on a live clock).
 */
export async function listTable(w: World, pool: ClientPool, clients: number, load: LoadShape): Promise<Line> {
  const plan = planOf(w);
  const table = REQUESTS["list-table"].make(plan, 0, 0);
  const IDENTITY = { "accept-encoding": "identity" };
  const identity = await pool.once(0, { ...table, headers: { ...table.headers, ...IDENTITY } });
  const parsed = JSON.parse(identity.body.toString("utf8")) as { kind?: string; rows?: unknown[] };
  if (parsed.kind !== "Table") throw new Error(`list-table: answered ${parsed.kind ?? identity.status}, not a Table`);
  const asKubectl = await pool.once(0, table);
  if (!asKubectl.body.equals(identity.body)) throw new Error("list-table: the gzipped answer is not the same Table");
  const gzipped = asKubectl.contentEncoding === "gzip";
  const shape = { clients, count: load.listPerClient, warmup: Math.min(1, load.warmup) };
  const cache0 = tableCache.stats();
  w.serverLatency.reset();
  const s = await measuredLoop(pool, "list-table", plan, shape);
  const server = w.serverLatency.summary();
  const cache1 = tableCache.stats();
  w.serverLatency.reset();
  const plain = gzipped ? await measuredLoop(pool, "list-table", plan, { ...shape, headers: IDENTITY }) : undefined;
  const plainServer = w.serverLatency.summary();
  const misses: { ms: number; cpu: number }[] = [];
  for (let i = 0; i < 5; i++) {
    tableCache.clear();
    const cpu0 = cpuNow();
    const r = await pool.once(0, table);
    misses.push({ ms: r.ms, cpu: cpuNow() - cpu0 });
  }
  const mean = (xs: number[]) => round(xs.reduce((a, b) => a + b, 0) / xs.length, 2);
  const kb = (bytes: number) => Math.round(bytes / 1024);
  const line = summary("list-table", clients, s, TARGETS.tableP99Ms);
  return {
    ...line,
    ...server,
    items: parsed.rows?.length ?? 0,
    response_kb: kb(identity.body.length),
    response_gzip_kb: gzipped ? kb(asKubectl.wireBytes) : null,
    table_cache: { hits: cache1.hits - cache0.hits, misses: cache1.misses - cache0.misses },
    miss: { ms: mean(misses.map((m) => m.ms)), server_cpu_ms: mean(misses.map((m) => m.cpu)), n: misses.length },
    ...(plain
      ? {
          identity: (({ p50_ms, p99_ms, max_ms, per_s, met, errors, cpu_ms_per_req, client_cpu_ms_per_req }) => ({
            p50_ms,
            p99_ms,
            max_ms,
            per_s,
            met,
            errors,
            cpu_ms_per_req,
            client_cpu_ms_per_req,
            ...plainServer,
          }))(summary("list-table", clients, plain, TARGETS.tableP99Ms)),
        }
      : {}),
    request: `GET ${tablePath(plan)} (Accept: as=Table;v=v1;g=meta.k8s.io; Accept-Encoding: ${gzipped ? "gzip" : "identity"}; identity: without gzip)`,
  };
}

/**
 * An operator's list of every pod in the cluster, `pageSize` at a time, `rounds` times one after
 * another (paged-list.ts, in the client process): page latencies, and each round's total time.
 */
export async function listPaged(w: World, pool: ClientPool, rounds: number, pageSize: number): Promise<Line> {
  const cpu0 = cpuNow();
  const run = await pool.paged(rounds, pageSize);
  const cpuMs = cpuNow() - cpu0;
  for (const items of run.items)
    if (items !== w.pods.cluster) throw new Error(`list-paged: ${items} pods listed, ${w.pods.cluster} exist`);
  const worst = Math.max(...run.totals);
  const line = summary(
    "list-paged",
    1,
    { ms: run.ms, errors: 0, wallS: run.wallS, cpuMs, clientCpuMs: run.clientCpuMs },
    Number.POSITIVE_INFINITY,
  );
  return {
    ...line,
    target_p99_ms: undefined,
    target_total_s: TARGETS.pagedTotalS,
    met: worst <= TARGETS.pagedTotalS,
    total_s: round(run.totals.reduce((a, b) => a + b, 0) / run.totals.length, 2),
    total_max_s: round(worst, 2),
    rounds,
    page_size: pageSize,
    pages_per_round: run.ms.length / rounds,
    items: run.items.at(-1) ?? 0,
    client_parse_s: round(run.parseMs / 1000 / rounds, 2),
    request: `GET /api/v1/pods?limit=${pageSize}&continue=… (operator token, JSON)`,
  };
}
