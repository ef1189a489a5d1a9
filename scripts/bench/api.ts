/**
 * Kubernetes API benchmark: `npm run bench:api [-- --only get,list-table,watch] [-- --quick]`.
 * Drives the HTTPS Kubernetes API (server/kube-api: the production handler behind its real
 * listener, in this process) with concurrent clients in child processes (api/client-process.ts):
 * get (pod, deployment), the namespace's 3,000 pods as kubectl's Table, an operator's list of all
 * 150,000 pods in pages of 500, create (config maps), strategic merge patch (deployment labels),
 * watch delivery, and a cost-breakdown line (one request at a time: token resolution, handler
 * alone, HTTPS; this and watch delivery keep their clients in this process).
 * Full scale: 50 clients, 3,000 pods in the namespace, 150,000 in the cluster; --quick: 300
 * and 3,000 pods, fewer requests (a smoke run in well under a minute).
 * BENCH_API_CLIENTS overrides the clients, BENCH_API_CLIENT_PROCESSES the processes they are split
 * between (default: one per CPU); BENCH_API_GZIP=0 makes clients that do not ask for gzip;
 * BENCH_DATABASE_URL puts the database on PostgreSQL;
 * BENCH_API_PROFILE=<folder> writes a CPU profile per operation (api/profile-summary.ts reads it).
 * stdout: one JSON line per operation. stderr: progress and a summary against the targets.
 */
import { register } from "node:module";
import type { ApiBenchConfig, Op } from "./api/run";

// server/kube-api/patch/json-patch.ts names fast-json-patch's exports, which only its ES module
// build has; node (unlike vitest and Next's bundler) would load the CommonJS main and fail.
const esmBuild =
  "export const resolve = (s, c, next) => next(s === 'fast-json-patch' ? 'fast-json-patch/index.mjs' : s, c);";
register(`data:text/javascript,${encodeURIComponent(esmBuild)}`);
const { OPS, runApiBench } = await import("./api/run");
const { log } = await import("./lib");

function parseOnly(argv: string[]): Set<Op> {
  const out = new Set<Op>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    let v: string | undefined;
    if (a === "--only") v = argv[++i];
    else if (a.startsWith("--only=")) v = a.slice(7);
    if (v === undefined) continue;
    for (const name of v.split(",")) {
      // A group name selects its operations: "get" is get-pod and get-deployment.
      const matched = OPS.filter((op) => op === name || op.startsWith(`${name}-`));
      if (matched.length === 0) throw new Error(`unknown operation "${name}" (one of ${OPS.join(", ")})`);
      for (const op of matched) out.add(op);
    }
  }
  return out.size ? out : new Set(OPS);
}

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const clients = Number(process.env.BENCH_API_CLIENTS ?? 50);
const config: ApiBenchConfig = quick
  ? {
      clients,
      namespacePods: 300,
      clusterPods: 3_000,
      load: { perClient: 10, listPerClient: 2, warmup: 2 },
      paged: { rounds: 1, pageSize: 500 },
      watch: { changes: 40, intervalMs: 20 },
      only: parseOnly(argv),
    }
  : {
      clients,
      namespacePods: 3_000,
      clusterPods: 150_000,
      load: { perClient: 40, listPerClient: 4, warmup: 3 },
      paged: { rounds: 3, pageSize: 500 },
      watch: { changes: 200, intervalMs: 20 },
      only: parseOnly(argv),
    };

runApiBench(config, (line) => process.stdout.write(`${JSON.stringify(line)}\n`))
  .then((lines) => {
    for (const l of lines) {
      if (l.op === "cost-breakdown") {
        log(`cost-breakdown: ${JSON.stringify({ ...l, op: undefined, clients: undefined, note: undefined })}`);
        continue;
      }
      const figure =
        l.op === "list-paged"
          ? `total ${l.total_max_s} s (≤ ${l.target_total_s} s)`
          : `p99 ${l.p99_ms} ms (≤ ${l.target_p99_ms} ms)`;
      log(
        `${String(l.op).padEnd(17)} p50 ${l.p50_ms} ms, ${figure}, ${l.per_s}/s: ${l.met ? "met" : "NOT met"}; at the server p50 ${l.server_p50_ms} ms, p99 ${l.server_p99_ms} ms`,
      );
      const plain = l.identity as { p50_ms: number; p99_ms: number; per_s: number; met: boolean } | undefined;
      if (plain)
        log(
          `${"  without gzip".padEnd(17)} p50 ${plain.p50_ms} ms, p99 ${plain.p99_ms} ms, ${plain.per_s}/s: ${plain.met ? "met" : "NOT met"}`,
        );
    }
    process.exit(0);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
