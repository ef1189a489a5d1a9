/**
 * A real Prometheus (Debian's /usr/bin/prometheus) scraping /api/metrics over HTTP with a
 * tenant's bearer token answers a standard cAdvisor query, `sum by (pod)
 * (rate(container_cpu_usage_seconds_total[1m]))`, with that tenant's pods and no other tenant's;
 * and `promtool check metrics` is clean on the body served over HTTP. The test server's clock
 * runs 50 times faster than the wall clock, so collection rounds (10 s of engine time) land every
 * 0.2 s and each 1 s scrape sees the counters grow. Skipped, saying so, without Prometheus.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/http-server";
import { hasPromtool, parseExposition, promtoolCheck } from "./exposition.test-kit";

const prometheusPath = "/usr/bin/prometheus";
const hasPrometheus = existsSync(prometheusPath);
if (!hasPrometheus) console.warn(`prometheus-scrape.test.ts: skipped, ${prometheusPath} is missing`);

/** Ports this test may use (the team's range for it). */
const portRange = [9090, 9099] as const;

let server: TestServer;
let prometheus: ChildProcess | undefined;
let prometheusLog = "";
let promUrl = "";
let dir = "";
const tenants = {} as Record<"a" | "b", { token: string; podNames: () => Promise<string[]> }>;

function freePort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function pickPort(): Promise<number> {
  for (let port = portRange[0]; port <= portRange[1]; port++) if (await freePort(port)) return port;
  throw new Error(`no free port in ${portRange[0]}-${portRange[1]} for Prometheus`);
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs` with what `describeState` says. */
async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  describeState: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${await describeState()}`);
    await new Promise((resolve) => setTimeout(resolve, 250)); // a poll interval, not a wait for an outcome
  }
}

interface VectorResult {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(promql: string): Promise<VectorResult[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data?: { result: VectorResult[] }; error?: string };
  if (body.status !== "success") throw new Error(`query failed: ${body.error}`);
  return body.data?.result ?? [];
}

const targetsState = async () => {
  const res = await fetch(`${promUrl}/api/v1/targets`).catch(() => undefined);
  return res ? JSON.stringify(await res.json()).slice(0, 2000) : `prometheus not answering; log: ${prometheusLog}`;
};

beforeAll(async () => {
  if (!hasPrometheus) return;
  server = await startTestServer({ timeScale: 50 });
  for (const key of ["a", "b"] as const) {
    const { token, caller } = await server.tenantWithToken(`owner@scrape-${key}.test`, `scrape-${key}`);
    await caller.deployments.create({
      name: "web",
      replicas: 2,
      template: {
        spec: { containers: [{ name: "app", image: "nginx:1.27", env: [{ name: "SIM_CPU", value: "100" }] }] },
      },
    });
    const tenantId = (await caller.tenants.current()).id;
    tenants[key] = {
      token,
      podNames: async () => server.services.engine.listPods(tenantId, { phase: "Running" }).items.map((p) => p.name),
    };
  }
  // Both tenants' pods run (the clock is real, so this waits on the engine, not on a guess).
  await waitFor(
    async () => ((await tenants.a.podNames()).length === 2 && (await tenants.b.podNames()).length === 2) || undefined,
    30_000,
    async () => `running pods: a ${await tenants.a.podNames()}, b ${await tenants.b.podNames()}`,
  );

  dir = await mkdtemp(join(tmpdir(), "kmetrics-prometheus-"));
  const port = await pickPort();
  promUrl = `http://127.0.0.1:${port}`;
  const target = new URL(server.url).host;
  await writeFile(
    join(dir, "prometheus.yml"),
    [
      "global:",
      "  scrape_interval: 1s",
      "  scrape_timeout: 1s",
      "scrape_configs:",
      "  - job_name: tenant-a",
      "    metrics_path: /api/metrics",
      "    authorization:",
      "      type: Bearer",
      `      credentials: ${tenants.a.token}`,
      "    static_configs:",
      `      - targets: ["${target}"]`,
      "",
    ].join("\n"),
  );
  prometheus = spawn(
    prometheusPath,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const keepLog = (chunk: Buffer) => {
    prometheusLog = `${prometheusLog}${chunk.toString()}`.slice(-4000);
  };
  prometheus.stdout?.on("data", keepLog);
  prometheus.stderr?.on("data", keepLog);
}, 90_000);

afterAll(async () => {
  const child = prometheus;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 30_000);

describe.skipIf(!hasPrometheus)("a real Prometheus scraping /api/metrics with a tenant's token", () => {
  it("answers sum by (pod) (rate(container_cpu_usage_seconds_total[1m])) with that tenant's pods only", async () => {
    const promql = "sum by (pod) (rate(container_cpu_usage_seconds_total[1m]))";
    const podsA = (await tenants.a.podNames()).sort();
    const podsB = await tenants.b.podNames();
    const result = await waitFor(
      async () => {
        const r = await query(promql);
        return r.length >= podsA.length && r.every((x) => Number(x.value[1]) > 0) ? r : undefined;
      },
      40_000,
      async () =>
        `last answer ${JSON.stringify(await query(promql).catch((e) => String(e)))}; targets ${await targetsState()}`,
    );
    expect(result.map((r) => r.metric.pod).sort()).toEqual(podsA);
    for (const r of result) expect(podsB).not.toContain(r.metric.pod);
    // The scrape carried the tenant's series only: no series of Prometheus' store names another tenant's pod.
    const everyPod = await query('count by (pod) ({job="tenant-a", pod!=""})');
    const seen = new Set(everyPod.map((r) => r.metric.pod));
    for (const pod of podsA) expect(seen).toContain(pod);
    for (const pod of podsB) expect(seen).not.toContain(pod);
    // Typed as a counter in Prometheus' metadata, so rate() is what it is meant for.
    const meta = (await (
      await fetch(`${promUrl}/api/v1/metadata?metric=container_cpu_usage_seconds_total`)
    ).json()) as {
      data: Record<string, { type: string }[]>;
    };
    expect(meta.data.container_cpu_usage_seconds_total?.[0]?.type).toBe("counter");
  }, 60_000);

  it.skipIf(!hasPromtool)("serves a body over HTTP that promtool check metrics passes", async () => {
    const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${tenants.a.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await res.text();
    expect(parseExposition(body).get("container_cpu_usage_seconds_total")?.samples.length).toBe(2);
    expect(promtoolCheck(body)).toEqual({ status: 0, output: "" });
  });
});
