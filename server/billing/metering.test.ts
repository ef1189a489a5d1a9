/**
 * Metering properties over a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL):
 * random pod lifetimes are committed through the engine store with the metering hook, with
 * random replays of earlier batches and month closes at every boundary.
 */
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import type { WriteBatch } from "../engine";
import { openTestDatabase } from "../testing/database";
import { closeMonth } from "./close";
import { ratePeriod } from "./invoicing";
import { monthStart, nextMonthStart, splitByMonth } from "./period";
import { makeNode, makePod, meteredStore, remove, resetBilling, upsert } from "./test-fixtures";
import { operatorScope } from "@/db/scope";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle.close());

const T0 = Date.UTC(2026, 0, 25);
const MIN = 60_000;
const tenants = ["t1", "t2"];

const lifeArb = fc.record({
  tenant: fc.constantFrom(...tenants),
  cpuMillis: fc.integer({ min: 1, max: 8000 }),
  memoryBytes: fc.integer({ min: 1, max: 16 * 2 ** 30 }),
  bind: fc.integer({ min: 0, max: 50 * 24 * 60 }).map((m) => T0 + m * MIN + (m % 7) * 13),
  duration: fc.integer({ min: 1, max: 40 * 24 * 60 }).map((m) => m * MIN - (m % 3) * 17),
  end: fc.constantFrom("terminal" as const, "delete" as const, "open" as const),
  updates: fc.integer({ min: 0, max: 2 }),
});

type Life = {
  tenant: string;
  cpuMillis: number;
  memoryBytes: number;
  bind: number;
  duration: number;
  end: "terminal" | "delete" | "open";
  updates: number;
};

function batchesOf(lives: Life[]): WriteBatch[] {
  const out: WriteBatch[] = [];
  lives.forEach((l, i) => {
    const id = `pod-${i}`;
    const bound = makePod({
      id,
      tenantId: l.tenant,
      cpuMillis: l.cpuMillis,
      memoryBytes: l.memoryBytes,
      scheduledAt: l.bind,
    });
    out.push(
      upsert(makePod({ id, tenantId: l.tenant, cpuMillis: l.cpuMillis, memoryBytes: l.memoryBytes }), l.bind - 1000),
    ); // pending: not billed
    out.push(upsert(bound, l.bind));
    for (let k = 1; k <= l.updates; k++)
      out.push(upsert({ ...bound, resourceVersion: 1 + k }, l.bind + Math.floor((l.duration * k) / (l.updates + 1))));
    if (l.end === "terminal")
      out.push(upsert({ ...bound, status: { ...bound.status, phase: "Failed" } }, l.bind + l.duration));
    if (l.end === "delete") out.push(remove("Pod", id, l.tenant, l.bind + l.duration));
  });
  return out.sort((a, b) => (a.at as number) - (b.at as number));
}

/** Commits batches in order, closing every month whose end is passed, plus the replays. */
async function play(batches: WriteBatch[], replays: number[], onBatch?: (at: number) => Promise<void>): Promise<void> {
  const store = meteredStore(handle.db);
  let open = monthStart(T0);
  for (let i = 0; i < batches.length; i++) {
    const b = batches[i] as WriteBatch;
    while (nextMonthStart(open) <= (b.at as number)) {
      await closeMonth(handle.db, open, nextMonthStart(open));
      open = nextMonthStart(open);
    }
    await store.commit(b);
    for (const r of replays)
      if (r % batches.length === i) await store.commit(batches[Math.floor(r / batches.length) % (i + 1)] as WriteBatch);
    await onBatch?.(b.at as number);
  }
}

async function usageRows() {
  const r = await handle.db.execute(
    sql`select id, meter_id, tenant_id, period, start_at, end_at, cpu_millis, memory_bytes from billing_usage order by id`,
  );
  return ((r as unknown as { rows: Record<string, unknown>[] }).rows ?? r) as Record<string, unknown>[];
}

async function billedMs(now: number): Promise<Map<string, number>> {
  const r = await handle.db.execute(sql`
    select resource_id, sum(ms)::text as ms from (
      select m.resource_id, u.end_at - u.start_at as ms from billing_usage u join billing_meter m on m.id = u.meter_id
      union all select resource_id, greatest(${now}::bigint - billed_from, 0) from billing_meter where end_at is null
    ) x group by resource_id`);
  const rows = ((r as unknown as { rows: Record<string, unknown>[] }).rows ?? r) as Record<string, unknown>[];
  return new Map(rows.map((x) => [String(x.resource_id), Number(x.ms)]));
}

describe("metering", () => {
  it("bills exactly each pod's life, split at month boundaries, whatever is replayed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lifeArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(10_000), { maxLength: 10 }),
        async (lives, replays) => {
          const batches = batchesOf(lives);
          const horizon = Math.max(...batches.map((b) => b.at as number)) + 1;

          await resetBilling(handle.db);
          await play(batches, []);
          const clean = await usageRows();
          const billed = await billedMs(horizon);

          await resetBilling(handle.db);
          await play(batches, replays);
          expect(await usageRows()).toEqual(clean); // replays and duplicates change nothing

          lives.forEach((l, i) => {
            const end = l.end === "open" ? horizon : l.bind + l.duration;
            expect(billed.get(`pod-${i}`) ?? 0).toBe(end - l.bind); // seconds (ms) exact
          });
          for (const u of clean) {
            const life = lives[Number(String(u.meter_id).split("@")[0]?.split("-")[1])] as Life;
            const start = Number(u.start_at);
            const end = Number(u.end_at);
            expect(start).toBeGreaterThanOrEqual(life.bind); // nothing outside the pod's life
            expect(end).toBeLessThanOrEqual(life.end === "open" ? horizon : life.bind + life.duration);
            expect(Number(u.period)).toBe(monthStart(start)); // never crosses a month boundary
            expect(end).toBeLessThanOrEqual(nextMonthStart(start));
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);

  it("month-so-far totals never go down within a period", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lifeArb, { minLength: 1, maxLength: 5 }), async (lives) => {
        await resetBilling(handle.db);
        const last = new Map<string, bigint>();
        await play(batchesOf(lives), [], async (at) => {
          const period = monthStart(at);
          const rated = await ratePeriod(handle.db, { period, now: at, scope: operatorScope });
          for (const t of tenants) {
            const key = `${t}@${period}`;
            const total = rated.get(t)?.totalMinor ?? 0n;
            expect(total).toBeGreaterThanOrEqual(last.get(key) ?? 0n);
            last.set(key, total);
          }
        });
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it("splits at a month boundary exactly, to the millisecond", async () => {
    const end = Date.UTC(2026, 2, 1, 0, 0, 0, 1);
    const segments = splitByMonth(Date.UTC(2026, 0, 31, 23, 59, 59, 999), end);
    expect(segments.map((s) => [s.start, s.end])).toEqual([
      [Date.UTC(2026, 0, 31, 23, 59, 59, 999), Date.UTC(2026, 1, 1)],
      [Date.UTC(2026, 1, 1), Date.UTC(2026, 2, 1)],
      [Date.UTC(2026, 2, 1), end],
    ]);
    expect(segments.reduce((s, x) => s + (x.end - x.start), 0)).toBe(end - Date.UTC(2026, 0, 31, 23, 59, 59, 999));
  });

  it("meters VMs (warm standbys too) by machine type from boot to deletion", async () => {
    await resetBilling(handle.db);
    const store = meteredStore(handle.db);
    const boot = Date.UTC(2026, 0, 31, 23);
    await store.commit(
      upsert(makeNode({ id: "n1", tenantId: "t1", machineType: "8c16g", createdAt: boot, warm: true }), boot),
    );
    await store.commit(
      upsert(makeNode({ id: "n1", tenantId: "t1", machineType: "8c16g", createdAt: boot }), boot + 50_000),
    );
    await store.commit(remove("Node", "n1", "t1", boot + 2 * 3_600_000));
    const rows = await usageRows();
    expect(rows.map((r) => [Number(r.start_at), Number(r.end_at)])).toEqual([
      [boot, Date.UTC(2026, 1, 1)],
      [Date.UTC(2026, 1, 1), boot + 2 * 3_600_000],
    ]);
    const rated = await ratePeriod(handle.db, {
      period: Date.UTC(2026, 0, 1),
      now: Date.UTC(2026, 1, 1),
      scope: operatorScope,
    });
    expect(rated.get("t1")?.lines.map((l) => [l.resource, l.quantity])).toEqual([["node:8c16g", 3_600_000n]]);
  });
});
