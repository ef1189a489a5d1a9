/**
 * Rollups against the raw samples they summarise: sums, averages, maxima and counter rates
 * must come out exactly, at every level and both resolutions; re-running changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { SAMPLE_FIELDS, type ContainerSample } from "@/server/engine/runtime/workload-profile";
import { openTestDatabase } from "@/server/testing/database";
import type { DatabaseHandle } from "../client";
import { ensureSeries, HOUR, insertSamples, MINUTE, rollupHours, rollupMinutes } from "./monitoring";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle.close());

const sampleOf = (v: number): ContainerSample =>
  Object.fromEntries(SAMPLE_FIELDS.map((f, i) => [f, v * (i + 1)])) as unknown as ContainerSample;
const t0 = Date.UTC(2026, 5, 1, 10, 0, 0);

async function rows(query: ReturnType<typeof sql>) {
  return (await handle.db.execute(query)) as unknown as { rows: Record<string, unknown>[] };
}

describe("monitoring rollups", () => {
  it("equal what the raw samples give, at every level and resolution", async () => {
    const db = handle.db;
    // Two pods of one revision on two nodes, pod a with two containers.
    const ids = await ensureSeries(
      db,
      [
        {
          tenantId: "t1",
          podId: "a",
          podName: "web-1",
          container: "app",
          replicaSetId: "rs1",
          revision: 1,
          deploymentId: "d1",
          deploymentName: "web",
          nodeId: "n1",
        },
        {
          tenantId: "t1",
          podId: "a",
          podName: "web-1",
          container: "sidecar",
          replicaSetId: "rs1",
          revision: 1,
          deploymentId: "d1",
          deploymentName: "web",
          nodeId: "n1",
        },
        {
          tenantId: "t1",
          podId: "b",
          podName: "web-2",
          container: "app",
          replicaSetId: "rs1",
          revision: 1,
          deploymentId: "d1",
          deploymentName: "web",
          nodeId: "n2",
        },
      ],
      t0,
    );
    const samples = [];
    // 2 hours of 10 s samples with values that vary by container and instant.
    for (let at = t0 + 10_000; at <= t0 + 2 * HOUR; at += 10_000) {
      const i = (at - t0) / 10_000;
      samples.push({ seriesId: ids.get("a/app")!, at, sample: sampleOf(i % 7) });
      samples.push({ seriesId: ids.get("a/sidecar")!, at, sample: sampleOf(1) });
      samples.push({ seriesId: ids.get("b/app")!, at, sample: sampleOf((i * 3) % 5) });
    }
    await insertSamples(db, samples);
    await insertSamples(db, samples.slice(0, 50)); // a replayed push is ignored

    await rollupMinutes(db, t0, t0 + 2 * HOUR + MINUTE);
    await rollupHours(db, t0, t0 + 2 * HOUR);
    const before = await rows(sql`select * from metric_rollup order by level, key, resolution_ms, bucket`);
    await rollupMinutes(db, t0, t0 + 2 * HOUR + MINUTE);
    await rollupHours(db, t0, t0 + 2 * HOUR);
    expect((await rows(sql`select * from metric_rollup order by level, key, resolution_ms, bucket`)).rows).toEqual(
      before.rows,
    );

    // Reference from the raw samples, in plain TypeScript.
    const bucket = t0 + 5 * MINUTE;
    const inBucket = samples.filter((s) => s.at >= bucket && s.at < bucket + MINUTE);
    const instants = [...new Set(inBucket.map((s) => s.at))];
    const podA = [ids.get("a/app"), ids.get("a/sidecar")];
    const totals = (members: (number | undefined)[]) =>
      instants.map((at) =>
        inBucket
          .filter((s) => s.at === at && members.includes(s.seriesId))
          .reduce((sum, s) => sum + s.sample.cpuMillis, 0),
      );
    const podTotals = totals(podA);
    const deploymentTotals = totals([...podA, ids.get("b/app")]);

    const pick = async (level: string, key: string, resolution: number, b: number) =>
      (
        await rows(
          sql`select points, cpu_millis_sum, cpu_millis_max, net_rx_bytes_sum from metric_rollup where level = ${level} and key = ${key} and resolution_ms = ${resolution} and bucket = ${b}`,
        )
      ).rows[0];

    const pod = await pick("pod", "a", MINUTE, bucket);
    expect(Number(pod?.points)).toBe(6);
    expect(Number(pod?.cpu_millis_sum)).toBe(podTotals.reduce((a, b) => a + b, 0));
    expect(Number(pod?.cpu_millis_max)).toBe(Math.max(...podTotals));

    const deployment = await pick("deployment", "d1", MINUTE, bucket);
    expect(Number(deployment?.cpu_millis_sum) / Number(deployment?.points)).toBeCloseTo(
      deploymentTotals.reduce((a, b) => a + b, 0) / 6,
      10,
    );
    // A counter's rate: the bytes of the minute over its seconds.
    const rxBytes = inBucket.reduce((sum, s) => sum + s.sample.netRxBytes, 0);
    const cluster = await pick("cluster", "cluster", MINUTE, bucket);
    expect(Number(cluster?.net_rx_bytes_sum) / 60).toBeCloseTo(rxBytes / 60, 10);

    // An hour is the sum and max of its minutes.
    const hour = await pick("tenant", "t1", HOUR, t0);
    const minutes = (
      await rows(
        sql`select cpu_millis_sum, cpu_millis_max, points from metric_rollup where level = 'tenant' and key = 't1' and resolution_ms = ${MINUTE} and bucket >= ${t0} and bucket < ${t0 + HOUR}`,
      )
    ).rows;
    expect(Number(hour?.points)).toBe(minutes.reduce((a, m) => a + Number(m.points), 0));
    expect(Number(hour?.cpu_millis_sum)).toBe(minutes.reduce((a, m) => a + Number(m.cpu_millis_sum), 0));
    expect(Number(hour?.cpu_millis_max)).toBe(Math.max(...minutes.map((m) => Number(m.cpu_millis_max))));
  });

  it("files a first round of thousands of containers at once", async () => {
    const keys = Array.from({ length: 12_000 }, (_, i) => ({
      tenantId: "big",
      podId: `big-${i}`,
      podName: `big-${i}`,
      container: "app",
      nodeId: `n${i % 40}`,
    }));
    const ids = await ensureSeries(handle.db, keys, t0);
    expect(ids.size).toBe(12_000);
    expect((await ensureSeries(handle.db, keys.slice(0, 10), t0)).get("big-3/app")).toBe(ids.get("big-3/app"));
  });

  it("keeps one cluster row per minute when tenants come and go within it", async () => {
    const db = handle.db;
    const base = t0 + 10 * HOUR;
    const ids = await ensureSeries(
      db,
      [
        { tenantId: "alpha", podId: "pa", podName: "pa", container: "app", nodeId: "na" },
        { tenantId: "zulu", podId: "pz", podName: "pz", container: "app", nodeId: "nz" },
      ],
      base,
    );
    const batch = [];
    for (let i = 1; i <= 6; i++) {
      batch.push({ seriesId: ids.get("pa/app")!, at: base + i * 10_000, sample: sampleOf(1) });
      // zulu only runs for the first half of the minute
      if (i <= 3) batch.push({ seriesId: ids.get("pz/app")!, at: base + i * 10_000, sample: sampleOf(2) });
    }
    await insertSamples(db, batch);
    await rollupMinutes(db, base, base + MINUTE + 10_000);
    const cluster = (
      await rows(
        sql`select tenant_id, points, cpu_millis_sum from metric_rollup where level = 'cluster' and resolution_ms = ${MINUTE} and bucket = ${base}`,
      )
    ).rows;
    expect(cluster).toHaveLength(1);
    expect(cluster[0]?.tenant_id).toBeNull();
    // instants base+10 s … base+50 s fall in this minute (base+60 s opens the next one)
    expect(Number(cluster[0]?.points)).toBe(5);
    // cpuMillis is the first field: 1 per alpha sample and 2 per zulu sample
    expect(Number(cluster[0]?.cpu_millis_sum)).toBe(5 * 1 + 3 * 2);
  });
});
