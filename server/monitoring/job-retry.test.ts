/**
 * A rollup job that fails just before it commits (injected through the jobs' faults) and is
 * run again writes exactly the rows a clean run writes: the streams keep a minute or an
 * hour until the transaction that wrote it has committed.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { HOUR, MINUTE, type SeriesKey } from "@/db/queries/monitoring";
import { SAMPLE_FIELDS, type ContainerSample } from "../engine";
import { createJobFaults } from "../job-faults";
import { openTestDatabase } from "../testing/database";
import { expectSameRollups } from "../testing/rollup-assertions";
import { createMonitoringBackend } from "./backend";
import { createHourRollupStream } from "./hour-stream";
import { HOUR_ROLLUP_JOB, MINUTE_ROLLUP_JOB, runHourRollup, runMinuteRollup } from "./jobs";
import { createMinuteRollupStream } from "./minute-stream";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle.close());

const t0 = Date.UTC(2026, 5, 1, 10);
const keys: SeriesKey[] = [
  {
    tenantId: "a",
    podId: "p1",
    podName: "p1",
    container: "app",
    nodeId: "n1",
    replicaSetId: "rs",
    revision: 1,
    deploymentId: "d",
    deploymentName: "d",
  },
  { tenantId: "b", podId: "q1", podName: "q1", container: "app", nodeId: "m1" },
];
const sampleOf = (seed: number) =>
  Object.fromEntries(SAMPLE_FIELDS.map((f, i) => [f, ((seed * 31 + i * 7) % 97) / 3])) as unknown as ContainerSample;

type Row = Record<string, unknown>;
const rollups = async (): Promise<Row[]> =>
  (
    (await handle.db.execute(
      sql`select * from metric_rollup order by resolution_ms, bucket, level, key`,
    )) as unknown as { rows: Row[] }
  ).rows;

describe("rollup jobs retried after a failure", () => {
  it("write exactly what a clean run writes, minutes and hours", async () => {
    const streams = { minutes: createMinuteRollupStream(t0 - 1), hours: createHourRollupStream() };
    const backend = createMonitoringBackend(handle.db, () => undefined, streams.minutes);
    for (let at = t0; at < t0 + 61 * MINUTE; at += 30_000) {
      await backend.ingest(
        keys.map((key, i) => ({
          nodeId: key.nodeId,
          tenantId: key.tenantId,
          at,
          samples: [{ key, sample: sampleOf(at / 1000 + i) }],
        })),
      );
    }
    await backend.flush();
    const faults = createJobFaults();
    const now = t0 + 62 * MINUTE;

    faults.failNext(MINUTE_ROLLUP_JOB);
    await expect(runMinuteRollup(handle.db, now, 0, streams, faults)).rejects.toThrow(/injected failure/);
    expect(await rollups()).toEqual([]); // rolled back
    expect(await runMinuteRollup(handle.db, now, 0, streams, faults)).toBe(t0 + 62 * MINUTE);

    faults.failNext(HOUR_ROLLUP_JOB);
    await expect(runHourRollup(handle.db, streams, faults)).rejects.toThrow(/injected failure/);
    expect(await runHourRollup(handle.db, streams, faults)).toBe(t0 + HOUR);
    const retried = await rollups();

    // The clean run: the same raw samples rolled up from scratch.
    await handle.db.execute(sql`delete from metric_rollup`);
    await handle.db.execute(sql`delete from monitoring_cursor`);
    await runMinuteRollup(handle.db, now, 0);
    await runHourRollup(handle.db);
    const clean = await rollups();

    expect(clean.filter((r) => Number(r.resolution_ms) === HOUR).length).toBeGreaterThan(0);
    // 61 minutes x 11 keys (a: container, pod, revision, deployment, node, tenant; b: container, pod, node, tenant; cluster).
    expect(clean.filter((r) => Number(r.resolution_ms) === MINUTE).length).toBe(61 * 11);
    expectSameRollups(retried, clean);
  }, 60_000);
});
