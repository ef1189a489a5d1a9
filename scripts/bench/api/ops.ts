/**
 * The benchmark's operations, each as a client sends it over HTTPS: get, the namespace's pods
 * as kubectl's Table, an operator's paged list of the whole cluster, create, strategic merge
 * patch. Each returns its JSON line (without the run's context fields).
 */
import { performance } from "node:perf_hooks";
import { round } from "../lib";
import type { ApiClient } from "./https-client";
import { closedLoop, type Samples, summary } from "./measure";
import type { World } from "./world";

export type Line = Record<string, unknown>;

export interface LoadShape {
  /** Requests per client for the cheap operations (gets, create, patch) and for the Table list. */
  perClient: number;
  listPerClient: number;
  warmup: number;
}

export const TARGETS = { readP99Ms: 50, mutationP99Ms: 50, tableP99Ms: 200, pagedTotalS: 10, watchP99Ms: 100 };

/** kubectl's Table request (kubectl get sends this Accept, then falls back to JSON). */
export const TABLE_ACCEPT =
  "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

const pick = <T>(xs: T[], c: number, k: number): T => xs[(c * 7919 + Math.abs(k)) % xs.length] as T;

export async function getPods(w: World, clients: ApiClient[], load: LoadShape): Promise<Line> {
  const s = await closedLoop(clients, { perClient: load.perClient, warmup: load.warmup, expect: 200 }, (cl, c, k) =>
    cl.request("GET", `/api/v1/namespaces/${w.namespace}/pods/${pick(w.podNames, c, k)}`),
  );
  return { ...summary("get-pod", clients.length, s, TARGETS.readP99Ms), request: "GET …/pods/{name}" };
}

export async function getDeployments(w: World, clients: ApiClient[], load: LoadShape): Promise<Line> {
  const s = await closedLoop(clients, { perClient: load.perClient, warmup: load.warmup, expect: 200 }, (cl, c, k) =>
    cl.request("GET", `/apis/apps/v1/namespaces/${w.namespace}/deployments/${pick(w.deployments, c, k)}`),
  );
  return { ...summary("get-deployment", clients.length, s, TARGETS.readP99Ms), request: "GET …/deployments/{name}" };
}

/** The whole namespace in one answer (kubectl get pods --chunk-size=0; by default kubectl asks 500 at a time). */
export async function listTable(w: World, clients: ApiClient[], load: LoadShape): Promise<Line> {
  const path = `/api/v1/namespaces/${w.namespace}/pods`;
  const first = await (clients[0] as ApiClient).request("GET", path, { headers: { accept: TABLE_ACCEPT } });
  const table = JSON.parse(first.body.toString("utf8")) as { kind?: string; rows?: unknown[] };
  if (table.kind !== "Table") throw new Error(`list-table: answered ${table.kind ?? first.status}, not a Table`);
  const s = await closedLoop(
    clients,
    { perClient: load.listPerClient, warmup: Math.min(1, load.warmup), expect: 200 },
    (cl) => cl.request("GET", path, { headers: { accept: TABLE_ACCEPT } }),
  );
  return {
    ...summary("list-table", clients.length, s, TARGETS.tableP99Ms),
    items: table.rows?.length ?? 0,
    response_kb: Math.round(first.body.length / 1024),
    request: `GET ${path} (Accept: as=Table;v=v1;g=meta.k8s.io)`,
  };
}

/**
 * An operator's list of every pod in the cluster, `pageSize` at a time (limit/continue until no
 * continue), `rounds` times one after another: page latencies, and each round's total time.
 * The client parses every page (it needs the continue token, as client-go does).
 */
export async function listPaged(w: World, client: ApiClient, rounds: number, pageSize: number): Promise<Line> {
  const s: Samples = { ms: [], errors: 0, wallS: 0, cpuMs: 0 };
  const totals: number[] = [];
  let items = 0;
  let parseMs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    let token: string | undefined;
    let rv: string | undefined;
    items = 0;
    do {
      const q = `limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ""}`;
      const res = await client.request("GET", `/api/v1/pods?${q}`);
      if (res.status !== 200) throw new Error(`list-paged: HTTP ${res.status} ${res.body.toString("utf8", 0, 300)}`);
      s.ms.push(res.ms);
      const p0 = performance.now();
      const page = JSON.parse(res.body.toString("utf8")) as {
        metadata: { continue?: string; resourceVersion: string };
        items: unknown[];
      };
      parseMs += performance.now() - p0;
      rv ??= page.metadata.resourceVersion;
      if (page.metadata.resourceVersion !== rv)
        throw new Error("list-paged: a page changed the list's resourceVersion");
      items += page.items.length;
      token = page.metadata.continue || undefined;
    } while (token);
    totals.push((performance.now() - started) / 1000);
    if (items !== w.pods.cluster) throw new Error(`list-paged: ${items} pods listed, ${w.pods.cluster} exist`);
  }
  s.wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  s.cpuMs = (cpu.user + cpu.system) / 1000;
  const worst = Math.max(...totals);
  const line = summary("list-paged", 1, s, Number.POSITIVE_INFINITY);
  return {
    ...line,
    target_p99_ms: undefined,
    target_total_s: TARGETS.pagedTotalS,
    met: worst <= TARGETS.pagedTotalS,
    total_s: round(totals.reduce((a, b) => a + b, 0) / totals.length, 2),
    total_max_s: round(worst, 2),
    rounds,
    page_size: pageSize,
    pages_per_round: s.ms.length / rounds,
    items,
    client_parse_s: round(parseMs / 1000 / rounds, 2),
    request: `GET /api/v1/pods?limit=${pageSize}&continue=… (operator token, JSON)`,
  };
}

export async function createConfigMaps(w: World, clients: ApiClient[], load: LoadShape): Promise<Line> {
  const s = await closedLoop(clients, { perClient: load.perClient, warmup: load.warmup, expect: 201 }, (cl, c, k) =>
    cl.request("POST", `/api/v1/namespaces/${w.namespace}/configmaps`, {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `kbench-${c}-${k < 0 ? `w${-k}` : k}`, labels: { app: "kbench" } },
        data: { "app.properties": `client=${c}\nrequest=${k}\n`, mode: "bench" },
      }),
    }),
  );
  return { ...summary("create-configmap", clients.length, s, TARGETS.mutationP99Ms), request: "POST …/configmaps" };
}

export async function patchDeployments(w: World, clients: ApiClient[], load: LoadShape): Promise<Line> {
  const s = await closedLoop(clients, { perClient: load.perClient, warmup: load.warmup, expect: 200 }, (cl, c, k) =>
    cl.request("PATCH", `/apis/apps/v1/namespaces/${w.namespace}/deployments/${pick(w.deployments, c, k)}`, {
      headers: { "content-type": "application/strategic-merge-patch+json" },
      body: JSON.stringify({
        metadata: { labels: { "kbench/client": String(c), "kbench/request": k < 0 ? `w${-k}` : String(k) } },
      }),
    }),
  );
  return {
    ...summary("patch-deployment", clients.length, s, TARGETS.mutationP99Ms),
    request: "PATCH …/deployments/{name} (strategic merge patch of metadata.labels)",
  };
}
