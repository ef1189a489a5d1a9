/**
 * Closed-loop load, run where the clients are (the client process): every client is an async
 * loop that sends its next request when the last one has answered. Latency is each request's,
 * measured at its client from sending to the last byte received (and decompressed).
 */
import { performance } from "node:perf_hooks";
import type { ApiClient, ApiResponse } from "./https-client";

export interface Samples {
  ms: number[];
  errors: number;
  firstError?: string;
  wallS: number;
  /** CPU of the process that `cpuMs` names (set by whoever measured it). */
  cpuMs: number;
  /** Requests resent on a new connection (the server had closed the kept-alive one). */
  retries?: number;
  /** Body bytes received, summed over the measured requests (compressed where they came gzipped). */
  wireBytes?: number;
}

export const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * `count` requests from each client; `call(client, c, k)` makes client c's k-th request (k = 0, 1, …,
 * or -1, -2, … for warm-up requests, which name their objects apart); a status other than `expect`
 * counts as an error. `cpuMs` is this process's CPU.
 */
export async function closedLoop(
  clients: ApiClient[],
  opts: { count: number; warmup: boolean; expect: number },
  call: (client: ApiClient, c: number, k: number) => Promise<ApiResponse>,
): Promise<Samples> {
  const s: Samples = { ms: [], errors: 0, wallS: 0, cpuMs: 0, wireBytes: 0 };
  const retries = () => clients.reduce((sum, c) => sum + c.retries, 0);
  const retries0 = retries();
  const cpu0 = cpuNow();
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = 0; i < opts.count; i++) {
        const r = await call(client, c, opts.warmup ? -1 - i : i);
        if (r.status === opts.expect) {
          s.ms.push(r.ms);
          s.wireBytes = (s.wireBytes ?? 0) + r.wireBytes;
          continue;
        }
        s.errors++;
        s.firstError ??= `HTTP ${r.status}: ${r.body.toString("utf8", 0, 300)}`;
      }
    }),
  );
  s.wallS = (performance.now() - t0) / 1000;
  s.cpuMs = cpuNow() - cpu0;
  s.retries = retries() - retries0;
  return s;
}
