/**
 * Billing benchmark: `npm run bench:billing`.
 * Models one month (January 2026, virtual clock) for 1,000 tenants and 30,000 pods with
 * churn: every hour some tenants replace pods (restarts, rollouts), scale up or down, and
 * running pods report status. Every change is committed through the engine's real store
 * (`createDatabaseEngineStore` on PGlite in a temp folder) with the metering hook, one batch
 * per engine pass, as the engine would; then the month is closed for every tenant.
 * The engine's controllers are not run: a month of 10 s heartbeats for 1,000 nodes would
 * measure the engine, not billing (see bench:engine for that).
 * stdout: one JSON line. stderr: progress.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { closeMonth } from "@/server/billing/close";
import { createOrganizations, makeNode, makePod, meteredStore } from "@/server/billing/test-fixtures";
import { createRng, type Pod, type WriteBatch, type WriteOp } from "@/server/engine";

const TENANTS = Number(process.env.BENCH_TENANTS ?? 1000);
const PODS_PER_TENANT = 30;
const START = Date.UTC(2026, 0, 1);
const END = Date.UTC(2026, 1, 1);
const TICK = 3_600_000;
const log = (m: string) => process.stderr.write(`${m}\n`);

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-billing-"));
  const handle = await openDatabase({ dataDir: dir });
  await migrateDatabase(handle);
  const db = handle.db;
  const store = meteredStore(db);
  const rng = createRng(42);
  const int = (n: number) => Math.floor(rng.next() * n);
  const tenants = Array.from({ length: TENANTS }, (_, i) => `tenant-${String(i).padStart(4, "0")}`);
  await createOrganizations(db, tenants);

  const live = new Map<string, Pod[]>(tenants.map((t) => [t, []]));
  let seq = 0;
  let batches = 0;
  let ops = 0;
  const newPod = (t: string, at: number): Pod => {
    const k = int(3);
    return makePod({
      id: `p${(seq++).toString(36).padStart(7, "0")}`,
      tenantId: t,
      cpuMillis: [100, 250, 500][k] as number,
      memoryBytes: [128, 256, 512][k]! * 2 ** 20,
      scheduledAt: at,
      deployment: `d${int(3)}`,
    });
  };
  const commit = async (batch: WriteBatch) => {
    if (batch.ops.length === 0) return;
    for (let i = 0; i < batch.ops.length; i += 5000) {
      await store.commit({ ops: batch.ops.slice(i, i + 5000), at: batch.at });
      batches++;
    }
    ops += batch.ops.length;
  };

  const t0 = performance.now();
  // Boot: a VM per tenant, then 30 pods each, bound over the first minutes.
  await commit({
    ops: tenants.map((t) => ({
      op: "upsert",
      object: makeNode({
        id: `node-${t}`,
        tenantId: t,
        machineType: (["2c4g", "4c8g", "8c16g"] as const)[int(3)] ?? "2c4g",
        createdAt: START,
      }),
    })),
    at: START,
  });
  for (let i = 0; i < tenants.length; i += 100) {
    const at = START + 60_000 + i * 1000;
    const batch: WriteOp[] = [];
    for (const t of tenants.slice(i, i + 100)) {
      const pods = Array.from({ length: PODS_PER_TENANT }, () => newPod(t, at));
      live.set(t, pods);
      for (const p of pods) batch.push({ op: "upsert", object: p });
    }
    await commit({ ops: batch, at });
  }
  log(`boot: ${seq} pods on ${tenants.length} nodes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Churn: every hour, 40 tenants replace 1–3 pods, 5 scale ±, 300 running pods report status.
  for (let at = START + TICK; at < END; at += TICK) {
    const batch: WriteOp[] = [];
    const touched = new Set<string>();
    for (let k = 0; k < 45; k++) {
      const t = tenants[int(tenants.length)] as string;
      if (touched.has(t)) continue;
      touched.add(t);
      const pods = live.get(t) as Pod[];
      const replace = k < 40 ? 1 + int(3) : 0;
      const scale = k >= 40 ? int(11) - 5 : 0;
      for (let r = 0; r < replace + Math.max(0, -scale) && pods.length > 0; r++) {
        const [gone] = pods.splice(int(pods.length), 1) as [Pod];
        batch.push(
          int(2) === 0
            ? { op: "delete", kind: "Pod", id: gone.id, tenantId: t }
            : {
                op: "upsert",
                object: {
                  ...gone,
                  status: { ...gone.status, phase: "Succeeded" },
                  resourceVersion: gone.resourceVersion + 1,
                },
              },
        );
      }
      for (let r = 0; r < replace + Math.max(0, scale); r++) {
        const p = newPod(t, at);
        pods.push(p);
        batch.push({ op: "upsert", object: p });
      }
    }
    for (let k = 0; k < 300; k++) {
      const t = tenants[int(tenants.length)] as string;
      const pods = live.get(t) as Pod[];
      const p = pods[int(pods.length)];
      if (p && !touched.has(t) && !batch.some((o) => o.op === "upsert" && o.object.id === p.id))
        batch.push({ op: "upsert", object: { ...p, resourceVersion: p.resourceVersion + 1 } });
    }
    await commit({ ops: batch, at });
    if ((at - START) % (7 * 86_400_000) === 0) log(`day ${(at - START) / 86_400_000}: ${batches} batches, ${ops} ops`);
  }
  const meteredS = (performance.now() - t0) / 1000;

  const c0 = performance.now();
  const closed = await closeMonth(db, START, END);
  const closeS = (performance.now() - c0) / 1000;
  const count = async (table: string) =>
    Number(
      ((await db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows: { n: number }[] })
        .rows[0]?.n,
    );
  const usage = await count("billing_usage");
  const invoices = await count("billing_invoice");
  const lines = await count("billing_invoice_line");
  const wallS = (performance.now() - t0) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      bench: "billing",
      database: "pglite",
      tenants: TENANTS,
      pods_created: seq,
      batches,
      ops,
      usage_records: usage,
      invoices,
      invoice_lines: lines,
      cut_meters: closed.cutMeters,
      wall_s: Number(wallS.toFixed(2)),
      metering_s: Number(meteredS.toFixed(2)),
      records_per_s: Math.round(usage / wallS),
      close_month_s: Number(closeS.toFixed(2)),
    })}\n`,
  );
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
}

void main();
