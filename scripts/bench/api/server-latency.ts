/**
 * Latency as the server sees it, the way Kubernetes' API SLIs measure it (on the apiserver, not
 * at the client): from the request reaching the HTTPS server's handler to the last byte of its
 * answer handed to the socket. Beside the clients' own figure, it separates what the server
 * costs from what 50 clients sharing this machine's two cores add (their TLS, decompression and
 * waiting for a core).
 */
import type { Server } from "node:https";
import { performance } from "node:perf_hooks";
import { percentile, round } from "../lib";

/** Marks a warm-up request (sent by the client process), which the server's figures leave out. */
export const WARMUP_HEADER = "x-kbench-warmup";

export interface ServerLatency {
  /** Forget what was recorded: the next operation starts from nothing. */
  reset(): void;
  /** p50/p99 (ms) of the requests answered since the last reset; watches and warm-up requests are not counted. */
  summary(): { server_p50_ms: number | null; server_p99_ms: number | null; server_n: number };
}

export function recordServerLatency(server: Server): ServerLatency {
  let ms: number[] = [];
  server.on("request", (req, res) => {
    if (req.url?.includes("watch=") || req.headers[WARMUP_HEADER] !== undefined) return;
    const started = performance.now();
    res.on("finish", () => ms.push(performance.now() - started));
  });
  return {
    reset: () => {
      ms = [];
    },
    summary() {
      const sorted = [...ms].sort((a, b) => a - b);
      return {
        server_p50_ms: round(percentile(sorted, 50), 2),
        server_p99_ms: round(percentile(sorted, 99), 2),
        server_n: sorted.length,
      };
    },
  };
}
