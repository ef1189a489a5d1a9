/**
 * A load operation measured: its closed loop runs in the client process (closed-loop.ts), and
 * this (the server's) process measures its own CPU meanwhile, so `cpu_ms_per_req` is what one
 * request costs the server (listener, TLS, handler, engine, database), and
 * `client_cpu_ms_per_req` what it costs the client process. With C clients and the server on
 * one thread, a request's latency is about C × the server's CPU per request.
 */
import { percentile, round } from "../lib";
import type { ClientPool } from "./client-pool";
import { cpuNow, type Samples } from "./closed-loop";
import type { LoadOp, RequestPlan } from "./requests";

export type { Samples };

export interface Measured extends Samples {
  /** The client process's CPU over the measured requests (`cpuMs` is the server's). */
  clientCpuMs?: number;
}

/** `warmup` uncounted requests from each client (connections opened, code paths warm), then `count` measured. */
export async function measuredLoop(
  pool: ClientPool,
  op: LoadOp,
  plan: RequestPlan,
  opts: { clients: number; count: number; warmup: number; headers?: Record<string, string> },
): Promise<Measured> {
  const { warmup, ...rest } = opts;
  if (warmup > 0) await pool.loop(op, plan, { ...rest, count: warmup, warmup: true });
  const cpu0 = cpuNow();
  const s = await pool.loop(op, plan, { ...rest, warmup: false });
  return { ...s, cpuMs: cpuNow() - cpu0, clientCpuMs: s.cpuMs };
}

/** The common fields of an operation's line. */
export function summary(op: string, clients: number, s: Measured, targetP99Ms: number): Record<string, unknown> {
  const sorted = [...s.ms].sort((a, b) => a - b);
  const n = sorted.length;
  const p99 = percentile(sorted, 99);
  const per = (ms: number) => round(ms / Math.max(1, n + s.errors), 2);
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
    cpu_ms_per_req: per(s.cpuMs),
    ...(s.clientCpuMs !== undefined
      ? { cpu_of: "server process", client_cpu_ms_per_req: per(s.clientCpuMs) }
      : { cpu_of: "server and client (one process)" }),
  };
}
