/**
 * Where one request's time goes, one request at a time (no queueing): the token's resolution
 * alone (server/kube-api/auth.ts: API key verification and its database reads and write), the
 * handler called in process with the caller already known (routing, engine read, conversion,
 * JSON), the same with the token resolved, and the whole round trip over HTTPS. Mean wall and
 * CPU ms per request over `n`, for a pod GET, the namespace's Table list and a strategic merge patch.
 */
import { performance } from "node:perf_hooks";
import { authenticate } from "@/server/kube-api/auth";
import { createKubeHandler } from "@/server/kube-api/handler";
import { createCallLimiter } from "@/server/http/rate-limit";
import { round } from "../lib";
import type { ApiClient } from "./https-client";
import { type Line, TABLE_ACCEPT } from "./ops";
import type { World } from "./world";

/** Mean wall and CPU ms per call (CPU is what a shared machine distorts least: nothing else runs here). */
const meanMs = async (n: number, fn: (i: number) => Promise<unknown>) => {
  await fn(-1);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  const cpu = process.cpuUsage(cpu0);
  return { wall_ms: round((performance.now() - t0) / n, 3), cpu_ms: round((cpu.user + cpu.system) / 1000 / n, 3) };
};

export async function costBreakdown(w: World, client: ApiClient, token: string, n: number): Promise<Line> {
  const { services } = w;
  const headers = new Headers({ authorization: `Bearer ${token}` });
  const caller = await authenticate(services, headers);
  const limiter = createCallLimiter({ reads: 1e9, writes: 1e9, windowSeconds: 60, maxBatchCalls: 50 });
  const known = createKubeHandler({ getServices: async () => services, limiter, caller });
  const byToken = createKubeHandler({ getServices: async () => services, limiter });
  const base = "https://127.0.0.1";
  const pod = `/api/v1/namespaces/${w.namespace}/pods/${w.podNames[0]}`;
  const table = `/api/v1/namespaces/${w.namespace}/pods`;
  const deployment = `/apis/apps/v1/namespaces/${w.namespace}/deployments/${w.deployments[0]}`;
  type Init = { method?: string; headers?: Record<string, string>; body?: string };
  const patch = (i: number): Init => ({
    method: "PATCH",
    headers: { "content-type": "application/strategic-merge-patch+json" },
    body: JSON.stringify({ metadata: { labels: { "kbench/breakdown": String(i + 1) } } }),
  });
  const tableInit: Init = { headers: { accept: TABLE_ACCEPT } };
  const call = async (handler: typeof known, path: string, init: Init = {}) => {
    const headers = { authorization: `Bearer ${token}`, ...init.headers };
    const res = await handler(new Request(base + path, { ...init, headers }));
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`breakdown ${path}: HTTP ${res.status}`);
  };
  const https = (path: string, init: Init = {}) => client.request(init.method ?? "GET", path, init);
  const few = Math.max(2, Math.round(n / 10));
  return {
    op: "cost-breakdown",
    clients: 1,
    n,
    note: "mean per request, one at a time (wall and process CPU); in-process = the handler without the listener (no TLS/HTTP)",
    auth_token_resolution: await meanMs(n, () => authenticate(services, headers)),
    get_pod: {
      in_process_caller_known: await meanMs(n, () => call(known, pod)),
      in_process_token: await meanMs(n, () => call(byToken, pod)),
      https: await meanMs(n, () => https(pod)),
    },
    list_table: {
      in_process_caller_known: await meanMs(few, () => call(known, table, tableInit)),
      https: await meanMs(few, () => https(table, tableInit)),
    },
    patch_deployment: {
      in_process_caller_known: await meanMs(n, (i) => call(known, deployment, patch(i))),
      in_process_token: await meanMs(n, (i) => call(byToken, deployment, patch(n + i))),
      https: await meanMs(n, (i) => https(deployment, patch(2 * n + i))),
    },
  };
}
