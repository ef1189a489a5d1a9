/**
 * Monitoring end to end on the virtual clock and a real database: agents collect, rollups
 * run, charts read; a crash mid-rollup neither loses nor doubles; retention deletes exactly
 * what is old; a crash-looping container's restarts show.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR, MINUTE, readCursor, writeCursor } from "@/db/queries/monitoring";
import { runRetention } from "@/server/monitoring/jobs";
import { createHarness, type Harness, type TestUser } from "@/server/testing/harness";

let h: Harness;
let owner: TestUser;
const caller = () => owner.caller();
const count = async (query: ReturnType<typeof sql>) =>
  Number(((await h.services.db.execute(query)) as unknown as { rows: { n: string | number }[] }).rows[0]?.n ?? 0);

beforeAll(async () => {
  h = await createHarness();
  await h.signUp("ops@mon.test");
  owner = await h.signUp("owner@mon.test");
  await (await caller()).tenants.create({ name: "Mon", slug: "mon" });
  await (await caller()).deployments.create({
    name: "api",
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: "app",
            image: "nginx:1.27",
            env: [{ name: "SIM_CPU", value: "300" }],
            resources: { requests: { cpu: "500m", memory: "256Mi" }, limits: { cpu: "1" } },
          },
        ],
      },
    },
  });
  await h.services.engine.settle();
  // Twenty minutes of modelled time: 120 collection rounds, 20 rollup runs.
  await h.services.engine.runFor(20 * MINUTE);
  await h.services.monitoring.flush();
}, 120_000);
afterAll(async () => h.close());

describe("monitoring", () => {
  it("charts a running deployment's cpu near its demand", async () => {
    const series = await (await caller()).monitoring.series({
      target: { kind: "deployment", name: "api" },
      metric: "cpuMillis",
      range: "15m",
    });
    expect(series.stepMs).toBe(10_000);
    expect(series.points.length).toBeGreaterThanOrEqual(80);
    const avg = series.points.reduce((s, p) => s + p.value, 0) / series.points.length;
    expect(avg).toBeGreaterThan(2 * 300 * 0.85);
    expect(avg).toBeLessThan(2 * 300 * 1.15);
    const hourly = await (await caller()).monitoring.series({
      target: { kind: "tenant" },
      metric: "cpuMillis",
      range: "6h",
    });
    expect(hourly.stepMs).toBe(MINUTE);
    expect(hourly.points.length).toBeGreaterThanOrEqual(15);
  });

  it("shows usage against requests and limits", async () => {
    const usage = await (await caller()).monitoring.usage({ deployment: "api" });
    expect(usage).toHaveLength(2);
    const c = usage[0]?.containers[0];
    expect(c?.requests).toEqual({ cpuMillis: 500, memoryBytes: 256 * 2 ** 20 });
    expect(c?.limits.cpuMillis).toBe(1000);
    expect(c?.usage?.cpuMillis).toBeGreaterThan(200);
  });

  it("neither loses nor doubles a minute when it crashes mid-rollup", async () => {
    const db = h.services.db;
    const cursor = (await readCursor(db, "rollup_1m"))!;
    expect(cursor).toBeGreaterThan(0);
    const rows = async (before: number) =>
      (
        (await db.execute(
          sql`select level, key, bucket, points, cpu_millis_sum, net_rx_bytes_max from metric_rollup where resolution_ms = ${MINUTE} and bucket < ${before} order by 1, 2, 3`,
        )) as unknown as { rows: unknown[] }
      ).rows;
    const before = await rows(cursor);
    // A crash after the last five minutes were written but before the cursor moved: they run again.
    await h.crashAndRestart();
    await writeCursor(db, "rollup_1m", cursor - 5 * MINUTE);
    await h.services.monitoring.rollupNow();
    await h.services.monitoring.flush();
    expect(await rows(cursor)).toEqual(before);
    // No minute is missing between the first and the last one rolled up.
    const buckets = (
      (await db.execute(
        sql`select bucket from metric_rollup where level = 'cluster' and resolution_ms = ${MINUTE} order by bucket`,
      )) as unknown as { rows: { bucket: string | number }[] }
    ).rows.map((r) => Number(r.bucket));
    expect(buckets.length).toBeGreaterThanOrEqual(18);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]! - buckets[i - 1]!).toBe(MINUTE);
    expect((await readCursor(db, "rollup_1m"))!).toBeGreaterThanOrEqual(cursor);
  });

  it("keeps each series inside its tenant", async () => {
    const other = await h.signUp("other@mon.test");
    await (await other.caller()).tenants.create({ name: "Other", slug: "other-mon" });
    const series = await (await other.caller()).monitoring.series({
      target: { kind: "tenant" },
      metric: "cpuMillis",
      range: "15m",
    });
    expect(series.points).toEqual([]);
    const apiId = h.services.engine.listDeployments((await (await caller()).tenants.current()).id).items[0]!.id;
    await expect(
      (await other.caller()).monitoring.series({
        target: { kind: "deployment", name: apiId },
        metric: "cpuMillis",
        range: "15m",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("retention deletes exactly what is older than each tier keeps", async () => {
    const now = h.clock.now();
    const raw = (before: number) => count(sql`select count(*) as n from metric_sample where at < ${before}`);
    const oldRaw = await raw(now - 5 * MINUTE);
    const keptRaw = (await count(sql`select count(*) as n from metric_sample`)) - oldRaw;
    expect(oldRaw).toBeGreaterThan(0);
    await runRetention(h.services.db, now, { rawMs: 5 * MINUTE, minuteMs: 7 * 24 * HOUR, hourMs: 90 * 24 * HOUR });
    expect(await raw(now - 5 * MINUTE)).toBe(0);
    expect(await count(sql`select count(*) as n from metric_sample`)).toBe(keptRaw);
  });
});
