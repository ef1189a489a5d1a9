/**
 * Closed-loop load and its summary line: every client is an async loop that sends its next
 * request when the last one has answered, so with C clients on one thread a request's latency
 * is about C × the CPU one request costs (cpu_ms_per_req says what that is).
 */
import { performance } from "node:perf_hooks";
import { percentile, round } from "../lib";
import type { ApiClient, ApiResponse } from "./https-client";

export interface Samples {
  ms: number[];
  errors: number;
  firstError?: string;
  wallS: number;
  cpuMs: number;
  /** Requests resent on a new connection (the server had closed the kept-alive one). */
  retries?: number;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * `perClient` requests from each client after `warmup` uncounted ones (connections opened,
 * code paths warm); `call(client, c, k)` makes client c's k-th request; a status other than
 * `expect` counts as an error.
 */
export async function closedLoop(
  clients: ApiClient[],
  opts: { perClient: number; warmup: number; expect: number },
  call: (client: ApiClient, c: number, k: number) => Promise<ApiResponse>,
): Promise<Samples> {
  const s: Samples = { ms: [], errors: 0, wallS: 0, cpuMs: 0 };
  const check = (r: ApiResponse) => {
    if (r.status === opts.expect) return true;
    s.errors++;
    s.firstError ??= `HTTP ${r.status}: ${r.body.toString("utf8", 0, 300)}`;
    return false;
  };
  await Promise.all(
    clients.map(async (client, c) => {
      for (let k = 0; k < opts.warmup; k++) check(await call(client, c, -1 - k));
    }),
  );
  s.errors = 0;
  s.firstError = undefined;
  const retries = () => clients.reduce((sum, c) => sum + c.retries, 0);
  const retries0 = retries();
  const cpu0 = cpuNow();
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (client, c) => {
      for (let k = 0; k < opts.perClient; k++) {
        const r = await call(client, c, k);
        if (check(r)) s.ms.push(r.ms);
      }
    }),
  );
  s.wallS = (performance.now() - t0) / 1000;
  s.cpuMs = cpuNow() - cpu0;
  s.retries = retries() - retries0;
  return s;
}

/** The common fields of an operation's line. */
export function summary(op: string, clients: number, s: Samples, targetP99Ms: number): Record<string, unknown> {
  const sorted = [...s.ms].sort((a, b) => a - b);
  const n = sorted.length;
  const p99 = percentile(sorted, 99);
  return {
    op,
    clients,
    n,
    p50_ms: round(percentile(sorted, 50), 2),
    p99_ms: round(p99, 2),
    max_ms: round(sorted[n - 1], 2),
    per_s: round(n / s.wallS, 1),
    target_p99_ms: targetP99Ms,
    met: p99 !== null && p99 <= targetP99Ms && s.errors === 0,
    errors: s.errors,
    retries: s.retries ?? 0,
    ...(s.firstError ? { first_error: s.firstError } : {}),
    cpu_ms_per_req: round(s.cpuMs / Math.max(1, n + s.errors), 2),
  };
}
