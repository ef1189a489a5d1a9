/**
 * console-live benchmark: `npm run bench:console-live`.
 * Server cost of 50 open consoles on one tenant of 10,000 pods, the way the console used to
 * follow changes (every page polling its queries at its intervals) against the way it does now
 * (one live subscription per console; a page refetches a query only when a note of its kind
 * arrives, batched as the browser batches: components/live/invalidation.ts), in one run.
 * Everything is in-process and goes through the production tRPC handler
 * (server/http/trpc-handler.ts): sessions resolved, rate limits counted, answers serialized.
 * The engine, monitoring and billing run on a virtual clock moved forward at wall speed, so
 * modelled time passes as in production (ENGINE_TIME_SCALE=1).
 * Two scenarios: idle (nothing changes; monitoring samples still land every 10 s) and churn
 * (pods deleted at BENCH_CHURN pods/s and replaced by their replica sets, as restarts and
 * evictions do; the rate reached is reported). For each: a baseline window without consoles, the
 * polling window, another baseline, the live window; a mode's cost is its window's CPU less the
 * baseline just before it, per minute. The process is one thread: when the polling consoles
 * saturate it, they get fewer answers than they ask for, and the line says what answering them
 * all would cost at the measured CPU per call. CPU includes the simulated browsers' own work
 * (reading answers, parsing notes): small, and counted against both sides.
 * stdout: one JSON line. stderr: progress.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createBatcher, type Path, tenantRules } from "@/components/live/invalidation";
import { liveRefreshDue, minLiveRefresh } from "@/components/live/query-meta";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { createVirtualClock } from "@/server/engine";
import { createCallLimiter } from "@/server/http/rate-limit";
import { createTrpcHandler } from "@/server/http/trpc-handler";
import type { LiveNote } from "@/server/live/notes";
import { createServices } from "@/server/services";
import { cookieFrom } from "@/server/testing/harness";
import { createContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";

const CONSOLES = Number(process.env.BENCH_CONSOLES ?? 50);
const DEPLOYMENTS = 100;
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? 100);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 30);
const WARMUP_S = 5;
const CHURN = Number(process.env.BENCH_CHURN ?? 2);
const log = (m: string) => process.stderr.write(`[console-live ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const password = "bench-password-123";

/** A query a page shows: its polling interval before, its live throttle now (query-meta.ts). */
interface Query {
  path: string;
  input?: unknown;
  pollMs: number | false;
  liveMinMs?: number | false;
}

const dep = "web-000";
const series = (metric: string): Query => ({
  path: "monitoring.series",
  input: { target: { kind: "deployment", name: dep }, metric, range: "15m" },
  pollMs: 5_000,
  liveMinMs: 5_000,
});
/** The console's pages as they stood before the live layer, with their intervals (git history has them). */
const pages: Record<string, Query[]> = {
  overview: [
    { path: "deployments.list", input: { limit: 500 }, pollMs: 3_000 },
    { path: "pods.list", input: { limit: 500 }, pollMs: 3_000 },
    { path: "nodes.list", input: { limit: 500 }, pollMs: 3_000 },
    { path: "events.list", input: { limit: 10 }, pollMs: 3_000 },
    { path: "quota.get", pollMs: 3_000 },
    { path: "session.clock", pollMs: 3_000 },
  ],
  workloads: [
    { path: "deployments.list", input: { limit: 50 }, pollMs: 2_000 },
    { path: "session.clock", pollMs: 2_000 },
  ],
  pods: [
    { path: "pods.list", input: { limit: 50 }, pollMs: 2_000 },
    { path: "deployments.list", input: { limit: 500 }, pollMs: false, liveMinMs: 10_000 },
    { path: "nodes.list", input: { limit: 500 }, pollMs: false, liveMinMs: 10_000 },
    { path: "session.clock", pollMs: 2_000 },
  ],
  deployment: [
    { path: "deployments.get", input: { name: dep }, pollMs: 4_000 },
    { path: "session.clock", pollMs: 4_000 },
    { path: "events.list", input: { objectName: dep, limit: 50, objectKind: "Deployment" }, pollMs: 4_000 },
    { path: "monitoring.usage", input: { deployment: dep }, pollMs: 15_000 },
    series("cpuMillis"),
    series("memoryWorkingSetBytes"),
    series("memoryRssBytes"),
    series("netRxBytes"),
    series("netTxBytes"),
    {
      path: "monitoring.compareRevisions",
      input: { deployment: dep, metric: "cpuMillis", range: "15m" },
      pollMs: 5_000,
      liveMinMs: 5_000,
    },
    { path: "alerts.list", pollMs: 15_000, liveMinMs: 15_000 },
  ],
  nodes: [
    { path: "nodes.list", input: { limit: 500 }, pollMs: 3_000 },
    { path: "nodePools.list", input: { limit: 100 }, pollMs: 3_000 },
    { path: "session.clock", pollMs: 3_000 },
  ],
};
// The clock query is gone with polling: the engine time rides on the notes.
const liveQueries = (page: Query[]) => page.filter((q) => q.path !== "session.clock");

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-console-live-"));
  const database = await openDatabase({ dataDir: dir });
  await migrateDatabase(database);
  const clock = createVirtualClock(Date.UTC(2026, 11, 2));
  const services = createServices(
    database,
    { baseURL: "http://localhost:3000", secret: "bench-secret-bench-secret-bench-secret" },
    { clock },
  );
  await services.start();
  const { engine } = services;
  const limiter = createCallLimiter({ reads: 1e9, writes: 1e9, windowSeconds: 60, maxBatchCalls: 50 });
  const handle = createTrpcHandler({ getServices: async () => services, limiter });

  // One tenant, its owner signed in once per console (50 sessions).
  await services.auth.api.signUpEmail({ body: { email: "owner@bench.test", password, name: "owner" } });
  const signIn = async () =>
    cookieFrom(
      (await services.auth.api.signInEmail({ body: { email: "owner@bench.test", password }, returnHeaders: true }))
        .headers,
    );
  const first = await signIn();
  const caller = createCaller(await createContext(services, new Headers({ cookie: first })));
  const tenant = await caller.tenants.create({ name: "Bench", slug: "bench" });
  await engine.setQuota(tenant.id, { cpu: "1000", memory: "4000Gi", pods: 20_000, nodes: 500 });
  await engine.createNodePool(tenant.id, { name: "big", machineType: "8c16g", minSize: 0, maxSize: 200 });
  const t0 = performance.now();
  for (let i = 0; i < DEPLOYMENTS; i++) {
    await engine.createDeployment(tenant.id, {
      name: `web-${String(i).padStart(3, "0")}`,
      replicas: REPLICAS,
      template: {
        spec: {
          containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "50m", memory: "64Mi" } } }],
        },
      },
    });
  }
  await engine.settle();
  const pods = engine.stats().pods;
  log(`seeded ${pods} pods on ${engine.stats().nodes} nodes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const cookies: string[] = [first];
  while (cookies.length < CONSOLES) {
    const cookie = await signIn();
    await createCaller(await createContext(services, new Headers({ cookie }))).tenants.switch({ id: tenant.id });
    cookies.push(cookie);
  }

  // Modelled time at wall speed: the engine, monitoring's collector and billing run as in production.
  let pumping = true;
  const pump = (async () => {
    let last = performance.now();
    while (pumping) {
      await new Promise((r) => setTimeout(r, 50));
      const now = performance.now();
      await engine.runFor(Math.round(now - last));
      last = now;
    }
  })();

  // Churn: pods deleted at random, replaced by their replica sets (each: several commits).
  let churning = false;
  let replaced = 0;
  let owed = 0;
  const churn = setInterval(() => {
    if (!churning) return;
    const page = engine.listPods(tenant.id, { limit: 500 }).items.filter((p) => p.deletionTimestamp === undefined);
    owed += CHURN / 4;
    for (; owed >= 1; owed--) {
      const pod = page[Math.floor(Math.random() * page.length)];
      if (pod) void engine.deletePod(tenant.id, pod.name, { gracePeriodSeconds: 0 }).then(() => replaced++);
    }
  }, 250);

  /** Answered calls per query (path and input) in the current window. */
  const answered = new Map<string, number>();
  const keyOf = (q: Query) => `${q.path} ${JSON.stringify(q.input ?? null)}`;
  const request = (q: Query[], cookie: string) => {
    const input = Object.fromEntries(q.flatMap((x, i) => (x.input === undefined ? [] : [[i, { json: x.input }]])));
    const url = `http://localhost/api/trpc/${q.map((x) => x.path).join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`;
    return handle(new Request(url, { headers: { cookie } })).then(async (r) => {
      const body = await r.text();
      if (r.status !== 200) throw new Error(`${q.map((x) => x.path)}: HTTP ${r.status} ${body.slice(0, 300)}`);
      requests += q.length;
      for (const x of q) answered.set(keyOf(x), (answered.get(keyOf(x)) ?? 0) + 1);
    });
  };
  const pageOf = (i: number) => Object.keys(pages)[i % Object.keys(pages).length] as string;
  let requests = 0;

  /** Today's console: every page's queries at their intervals, batched per tick as httpBatchLink does. */
  function startPolling(): () => void {
    const timers: ReturnType<typeof setInterval>[] = [];
    for (let c = 0; c < CONSOLES; c++) {
      const page = pages[pageOf(c)] as Query[];
      const byInterval = new Map<number, Query[]>();
      for (const q of page) if (q.pollMs) byInterval.set(q.pollMs, [...(byInterval.get(q.pollMs) ?? []), q]);
      void request(page, cookies[c] as string);
      for (const [ms, qs] of byInterval) {
        // Consoles opened at different moments: their ticks do not line up.
        const offset = Math.random() * ms;
        // As TanStack Query's refetchInterval: a tick while the last fetch is still out is skipped.
        let inFlight = false;
        const start = setTimeout(() => {
          timers.push(
            setInterval(() => {
              if (inFlight) return;
              inFlight = true;
              void request(qs, cookies[c] as string)
                .catch((e: unknown) => log(String(e)))
                .finally(() => {
                  inFlight = false;
                });
            }, ms),
          );
        }, offset);
        timers.push(start as unknown as ReturnType<typeof setInterval>);
      }
    }
    return () => {
      for (const t of timers) clearInterval(t);
    };
  }

  let notes = 0;
  const noteTypes = new Map<string, number>();
  /** Now: one subscription per console; each note invalidates that console's queries of its kind. */
  function startLive(): () => void {
    const stops: (() => void)[] = [];
    for (let c = 0; c < CONSOLES; c++) {
      const page = liveQueries(pages[pageOf(c)] as Query[]);
      const cookie = cookies[c] as string;
      const state = page.map(() => ({ fetching: false, updatedAt: Date.now() }));
      const refetch = (i: number) => {
        const s = state[i];
        const q = page[i];
        if (!s || !q || s.fetching) return;
        s.fetching = true;
        // One call per request: the browser batches calls made in the same tick, which these rarely are.
        void request([q], cookie)
          .catch((e: unknown) => log(String(e)))
          .finally(() => {
            s.fetching = false;
            s.updatedAt = Date.now();
          });
      };
      const batcher = createBatcher({
        invalidate: (p: Path) => {
          const prefix = p.join(".");
          const now = Date.now();
          page.forEach((q, i) => {
            const s = state[i];
            if (!s || !(q.path === prefix || q.path.startsWith(`${prefix}.`))) return;
            const query = {
              meta: q.liveMinMs === undefined ? undefined : minLiveRefresh(q.liveMinMs),
              state: { status: "success", dataUpdatedAt: s.updatedAt, errorUpdatedAt: 0 },
            };
            if (liveRefreshDue(query, now)) refetch(i);
          });
        },
        invalidateAll: () => {
          for (let i = 0; i < page.length; i++) refetch(i);
        },
        isFetching: (p: Path) => page.some((q, i) => q.path.startsWith(p.join(".")) && state[i]?.fetching),
        schedule: (ms, fn) => {
          const t = setTimeout(fn, ms);
          return () => clearTimeout(t);
        },
        now: () => performance.now(),
      });
      void request(page, cookie);
      let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
      let closed = false;
      void (async () => {
        const res = await handle(new Request("http://localhost/api/trpc/live.changes", { headers: { cookie } }));
        reader = (res.body as ReadableStream<Uint8Array>).getReader();
        if (closed) return void reader.cancel();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf("\n\n");
          while (end >= 0) {
            const lines = buffer.slice(0, end).split("\n");
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf("\n\n");
            // Notes are the events without a name (tRPC's own are "connected", "ping", "restore-id"...).
            const data = lines.some((l) => l.startsWith("event: "))
              ? undefined
              : lines.find((l) => l.startsWith("data: {"));
            if (!data) continue;
            const note = JSON.parse(data.slice(6)).json as LiveNote;
            notes++;
            const type = note.type === "resync" ? "resync" : "kind" in note ? note.kind : note.type;
            noteTypes.set(type, (noteTypes.get(type) ?? 0) + 1);
            batcher.note(note, tenantRules);
          }
        }
      })();
      // As a closed tab: the browser drops the connection, the server's stream is cancelled.
      stops.push(() => {
        closed = true;
        void reader?.cancel();
        batcher.stop();
      });
    }
    return () => {
      for (const s of stops) s();
    };
  }

  /** CPU of the process over a window, after a warm-up, with `start` running. */
  async function measure(label: string, start: () => () => void) {
    const stop = start();
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
    const r0 = requests;
    const n0 = notes;
    noteTypes.clear();
    answered.clear();
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    const cpu = process.cpuUsage(c0);
    const wall = (performance.now() - w0) / 1000;
    stop();
    await new Promise((r) => setTimeout(r, 2000));
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const perMin = (x: number) => Math.round((x / wall) * 60 * 100) / 100;
    const result = {
      cpuSPerMin: perMin(cpuS),
      callsPerMin: perMin(requests - r0),
      notesPerMin: perMin(notes - n0),
      utilisation: Math.round((cpuS / wall) * 100) / 100,
      notesByType: Object.fromEntries(noteTypes),
      callsByQuery: new Map([...answered].map(([k, n]) => [k, (n / wall) * 60])),
    };
    log(`${label}: ${JSON.stringify({ ...result, callsByQuery: undefined })}`);
    return result;
  }

  // What the polling consoles ask for per minute; a saturated server answers fewer.
  const offeredPerMin = Array.from({ length: CONSOLES }, (_, c) => pages[pageOf(c)] as Query[])
    .flat()
    .reduce((sum, q) => sum + (q.pollMs ? 60_000 / q.pollMs : 0), 0);

  /**
   * CPU per call of every query the pages ask, one at a time on an otherwise quiet process (the
   * engine's clock held): what a call costs when the server is not saturated.
   */
  async function calibrate(): Promise<Map<string, number>> {
    const cost = new Map<string, number>();
    const distinct = new Map(Object.values(pages).flatMap((p) => p.map((q) => [keyOf(q), q] as const)));
    for (const [key, q] of distinct) {
      await request([q], cookies[0] as string); // warm
      const c0 = process.cpuUsage();
      for (let i = 0; i < 5; i++) await request([q], cookies[0] as string);
      const used = process.cpuUsage(c0);
      cost.set(key, (used.user + used.system) / 1e6 / 5);
    }
    return cost;
  }
  const demand = (rates: Map<string, number>, cost: Map<string, number>) =>
    Math.round([...rates].reduce((sum, [key, perMin]) => sum + perMin * (cost.get(key) ?? 0), 0) * 100) / 100;
  /** Calls per minute per query the polling consoles ask for (all of them, saturated or not). */
  const offered = new Map<string, number>();
  for (let c = 0; c < CONSOLES; c++)
    for (const q of pages[pageOf(c)] as Query[])
      if (q.pollMs) offered.set(keyOf(q), (offered.get(keyOf(q)) ?? 0) + 60_000 / q.pollMs);

  /** Each mode beside a baseline of its own (the engine alone, just before), so drift in churn cancels. */
  const scenario = async (name: "idle" | "churn") => {
    churning = name === "churn";
    const r0 = replaced;
    const t0 = performance.now();
    const base1 = await measure(`${name} baseline`, () => () => {});
    const polling = await measure(`${name} polling`, startPolling);
    const base2 = await measure(`${name} baseline`, () => () => {});
    const live = await measure(`${name} live`, startLive);
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      engine_cpu_s_per_min: round((base1.cpuSPerMin + base2.cpuSPerMin) / 2),
      measured: {
        polling_cpu_s_per_min: round(polling.cpuSPerMin - base1.cpuSPerMin),
        live_cpu_s_per_min: round(live.cpuSPerMin - base2.cpuSPerMin),
        polling_utilisation: polling.utilisation,
        live_utilisation: live.utilisation,
      },
      polling_calls_per_min: { offered: Math.round(offeredPerMin), answered: polling.callsPerMin },
      live_calls_per_min: live.callsPerMin,
      live_notes_per_min: live.notesPerMin,
      live_notes: live.notesByType,
      liveRates: live.callsByQuery,
      ...(name === "churn" ? { pods_replaced_per_s: round((replaced - r0) / ((performance.now() - t0) / 1000)) } : {}),
    };
  };

  const idleRun = await scenario("idle");
  const churnRun = await scenario("churn");
  churning = false;
  clearInterval(churn);
  pumping = false;
  await pump;
  await new Promise((r) => setTimeout(r, 3000));
  const cost = await calibrate();
  log(
    `cpu ms per call: ${JSON.stringify(Object.fromEntries([...cost].map(([k, v]) => [k, Math.round(v * 1e4) / 10])))}`,
  );
  // Demand: what serving every call the consoles ask for costs at unsaturated CPU per call.
  const withDemand = ({ liveRates, ...run }: typeof idleRun) => ({
    ...run,
    demand: { polling_cpu_s_per_min: demand(offered, cost), live_cpu_s_per_min: demand(liveRates, cost) },
  });
  const idle = withDemand(idleRun);
  const churnResult = withDemand(churnRun);
  process.stdout.write(
    `${JSON.stringify({
      bench: "console-live",
      consoles: CONSOLES,
      pods,
      window_s: WINDOW_S,
      churn_pods_per_s_asked: CHURN,
      pages: Object.keys(pages),
      idle,
      churn: churnResult,
      note: "cpu-s per minute of wall time for all consoles together, engine baseline subtracted (measured: one thread, capped by saturation; demand: calls asked for × unsaturated cpu per call, requests only, no stream cost)",
    })}\n`,
  );
  await services.stop();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
