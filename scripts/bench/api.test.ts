/**
 * The API benchmark's core at a tiny scale (50 pods in the namespace, 120 in the cluster, two
 * clients), so that `npm run bench:api` cannot rot: every operation runs over the real HTTPS
 * listener, its clients in the client processes, and prints a line of the expected shape. No
 * timing is asserted.
 */
import { describe, expect, it } from "vitest";
import { type Op, OPS, runApiBench } from "./api/run";

describe("bench:api core", () => {
  it("runs every operation over HTTPS and prints one well-formed JSON line each", async () => {
    const printed: string[] = [];
    const lines = await runApiBench(
      {
        clients: 2,
        namespacePods: 50,
        clusterPods: 120,
        load: { perClient: 3, listPerClient: 1, warmup: 1 },
        paged: { rounds: 1, pageSize: 25 },
        watch: { changes: 3, intervalMs: 5 },
        only: new Set<Op>(OPS),
      },
      (line) => printed.push(JSON.stringify(line)),
    );
    expect(lines.map((l) => l.op)).toEqual([...OPS]);
    expect(printed.map((p) => JSON.parse(p).op)).toEqual([...OPS]);
    for (const line of lines) {
      expect(line.clients, String(line.op)).toBeTypeOf("number");
      expect(line.transport).toMatch(/^https/);
      if (line.op === "cost-breakdown") {
        expect((line.auth_token_resolution as { cpu_ms: number }).cpu_ms).toBeGreaterThan(0);
        continue;
      }
      for (const field of ["n", "p50_ms", "p99_ms", "per_s"])
        expect(line[field], `${line.op} ${field}`).toBeGreaterThan(0);
      expect(line.met, String(line.op)).toBeTypeOf("boolean");
      expect(line.errors, `${line.op}: ${line.first_error}`).toBe(0);
    }
    const byOp = Object.fromEntries(lines.map((l) => [l.op, l]));
    expect(byOp["get-pod"]).toMatchObject({ clients: 2, n: 6, target_p99_ms: 50, cpu_of: "server process" });
    expect(byOp["get-pod"]?.client_cpu_ms_per_req).toBeGreaterThan(0);
    expect(byOp["create-configmap"]).toMatchObject({ n: 6, errors: 0 });
    // 50 pods are a Table under the gzip threshold: answered plain, from the Table cache after the first.
    expect(byOp["list-table"]).toMatchObject({ items: 50, target_p99_ms: 200, response_gzip_kb: null });
    expect(byOp["list-table"]?.table_cache).toMatchObject({ hits: expect.any(Number) });
    expect((byOp["list-table"]?.table_cache as { hits: number } | undefined)?.hits ?? 0).toBeGreaterThan(0);
    expect(byOp["list-paged"]).toMatchObject({ clients: 1, items: 120, pages_per_round: 5, target_total_s: 10 });
    expect(byOp["watch-delivery"]).toMatchObject({ watchers: 2, missing: 0, target_p99_ms: 100 });
    expect(byOp["watch-delivery"]?.n).toBeGreaterThanOrEqual(6);
  }, 180_000);
});
