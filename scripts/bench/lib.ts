/**
 * Helpers for the engine benchmark (scripts/bench/engine.ts): database set-up, a store
 * wrapper that observes every commit, memory and percentile helpers, output.
 * Nothing here changes engine behaviour; the wrapper only forwards to the real store.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { createDatabaseEngineStore } from "@/db/engine-store";
import {
  createEngine,
  createRng,
  createSimulatedRuntime,
  createVirtualClock,
  type Engine,
  type EngineConfig,
  type EngineStore,
  type Pod,
  type WriteBatch,
} from "@/server/engine";
import type { Orchestrator } from "@/server/engine/api/orchestrator";

export const log = (...a: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

export function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export const round = (n: number | null | undefined, d = 3): number | null =>
  n === null || n === undefined || !Number.isFinite(n) ? null : Math.round(n * 10 ** d) / 10 ** d;

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function gcNow(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) return;
  g();
  g();
}

export function heapAfterGc(): number {
  gcNow();
  return process.memoryUsage().heapUsed;
}

export const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);

// ---------------------------------------------------------------- database

export interface BenchDb {
  handle: DatabaseHandle;
  dir: string;
  store: EngineStore;
  close(): Promise<void>;
  remove(): void;
}

/**
 * The benchmark's database: PGlite in a temp folder by default; with BENCH_DATABASE_URL (a
 * PostgreSQL server), a fresh database on that server. `dir` re-opens an earlier one (recovery).
 */
export async function openBenchDb(dir?: string): Promise<BenchDb> {
  const server = process.env.BENCH_DATABASE_URL;
  if (server) return openServerBenchDb(server, dir);
  const folder = dir ?? mkdtempSync(path.join(os.tmpdir(), "engine-bench-"));
  const handle = await openDatabase({ dataDir: folder });
  await migrateDatabase(handle);
  return {
    handle,
    dir: folder,
    store: createDatabaseEngineStore(handle.db),
    close: () => handle.close(),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

async function openServerBenchDb(server: string, existing?: string): Promise<BenchDb> {
  const { default: pg } = await import("pg");
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    await c.query(statement);
    await c.end();
  };
  const name = existing ?? `engine_bench_${Date.now().toString(36)}`;
  if (!existing) await admin(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  await migrateDatabase(handle);
  return {
    handle,
    dir: name,
    store: createDatabaseEngineStore(handle.db),
    close: () => handle.close(),
    remove: () => void admin(`drop database if exists ${name} with (force)`).catch(() => undefined),
  };
}

// ---------------------------------------------------------------- store observer

export interface ObservedStore extends EngineStore {
  commits: number;
  ops: number;
  commitMs: number;
  loadMs: number;
  /** Called after every successful commit with the batch (read-only). */
  onCommit?: (batch: WriteBatch, endedAt: number) => void;
}

export function observe(inner: EngineStore): ObservedStore {
  const s: ObservedStore = {
    commits: 0,
    ops: 0,
    commitMs: 0,
    loadMs: 0,
    async loadAll() {
      const t = performance.now();
      const snap = await inner.loadAll();
      s.loadMs += performance.now() - t;
      return snap;
    },
    async commit(batch) {
      const t = performance.now();
      await inner.commit(batch);
      const end = performance.now();
      s.commitMs += end - t;
      s.commits++;
      s.ops += batch.ops.length;
      s.onCommit?.(batch, end);
    },
  };
  // The change-log methods pass straight through (compaction runs in the benchmarks as in production).
  if (inner.currentRevision) s.currentRevision = inner.currentRevision.bind(inner);
  if (inner.changesSince) s.changesSince = inner.changesSince.bind(inner);
  if (inner.subscribe) s.subscribe = inner.subscribe.bind(inner);
  if (inner.compact) s.compact = inner.compact.bind(inner);
  return s;
}

// ---------------------------------------------------------------- engine

export const START_MS = Date.UTC(2026, 0, 1);

export function newEngine(store: EngineStore, config: Partial<EngineConfig>, seed = 1): Engine {
  return createEngine({
    store,
    clock: createVirtualClock(START_MS),
    rng: createRng(seed),
    runtime: createSimulatedRuntime(),
    config,
    log: (m, e) => console.error(m, e),
  });
}

/** Read-only view of every pod in the engine's cache. */
export function allPods(engine: Orchestrator): IterableIterator<Pod> {
  return engine.eachObject("Pod");
}

export function template(cpu = "250m", memory = "256Mi", image = "nginx:1.27") {
  return {
    labels: { app: "web" },
    spec: { containers: [{ name: "app", image, resources: { requests: { cpu, memory } } }] },
  };
}

/** Run commands with bounded concurrency (they serialise in the engine anyway). */
export async function inParallel<T>(items: T[], fn: (t: T) => Promise<unknown>, width = 256): Promise<void> {
  let i = 0;
  const worker = async () => {
    while (i < items.length) {
      const t = items[i++] as T;
      await fn(t);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

export function latencies(pods: Iterable<Pod>, filter: (p: Pod) => boolean = () => true) {
  const xs: number[] = [];
  let running = 0;
  let total = 0;
  for (const p of pods) {
    if (!filter(p)) continue;
    total++;
    if (p.runningAt !== undefined) {
      running++;
      xs.push((p.runningAt - p.createdAt) / 1000);
    }
  }
  xs.sort((a, b) => a - b);
  return {
    total,
    running,
    p50: percentile(xs, 50),
    p99: percentile(xs, 99),
    max: xs.length ? (xs[xs.length - 1] as number) : null,
  };
}

export const tenantName = (i: number) => `t${String(i).padStart(5, "0")}`;

export async function settleOrWarn(engine: Orchestrator, label: string, maxMs = 3_600_000) {
  const r = await engine.settle(maxMs);
  if (!r.idle) log(`WARNING ${label}: settle() did not reach idle within ${maxMs / 1000}s modelled`);
  return r;
}
