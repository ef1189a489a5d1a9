/**
 * The streamed hour against the SQL hour (`rollupHours` over the committed minute rows), and
 * an hour with a minute the stream did not see goes to SQL.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { HOUR, MINUTE, replaceRollups, rollupHours, type RollupRow } from "@/db/queries/monitoring";
import { SAMPLE_FIELDS } from "../engine";
import { openTestDatabase } from "../testing/database";
import { createHourRollupStream } from "./hour-stream";
import { expectSameRollups } from "../testing/rollup-assertions";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle.close());

const h0 = Date.UTC(2026, 5, 1, 10);
/** Rows of one minute: two pods of tenant a (one stops half-way), the tenant, the cluster. */
function minuteRows(bucket: number): RollupRow[] {
  const m = (bucket - h0) / MINUTE;
  const row = (level: RollupRow["level"], key: string, tenantId: string | null, scale: number): RollupRow => ({
    level,
    key,
    tenantId,
    bucket,
    points: 6 - (m % 2),
    sums: SAMPLE_FIELDS.map((_, f) => scale * (m + 1) * (f + 1) * 1.1),
    maxs: SAMPLE_FIELDS.map((_, f) => (scale * ((m * 7) % 13) + f) / 3),
  });
  return [
    row("pod", "p1", "a", 1),
    ...(m < 30 ? [row("pod", "p2", "a", 2)] : []),
    row("tenant", "a", "a", 3),
    row("cluster", "cluster", null, 3),
  ];
}

async function hourRows(): Promise<Record<string, unknown>[]> {
  const r = await handle.db.execute(sql`select * from metric_rollup where resolution_ms = ${HOUR} order by level, key`);
  return (r as unknown as { rows: Record<string, unknown>[] }).rows;
}

describe("streaming hour rollup", () => {
  it("equals the SQL hour over the same minute rows", async () => {
    const stream = createHourRollupStream();
    for (let b = h0; b < h0 + HOUR; b += MINUTE) {
      const rows = minuteRows(b);
      await replaceRollups(handle.db, MINUTE, b, rows);
      stream.addMinute(b, rows);
    }
    const streamed = stream.rows(h0);
    expect(streamed).toBeDefined();
    await replaceRollups(handle.db, HOUR, h0, streamed!);
    const fromStream = await hourRows();
    await rollupHours(handle.db, h0, h0 + HOUR);
    const fromSql = await hourRows();
    expectSameRollups(fromStream, fromSql);
    expect(fromSql).toHaveLength(4);
  });

  it("leaves to SQL an hour with a minute it did not see", () => {
    const missing = createHourRollupStream();
    for (let b = h0 + MINUTE; b < h0 + HOUR; b += MINUTE) missing.addMinute(b, minuteRows(b)); // began a minute late
    expect(missing.rows(h0)).toBeUndefined();
    const recomputed = createHourRollupStream();
    for (let b = h0; b < h0 + HOUR; b += MINUTE)
      recomputed.addMinute(b, b === h0 + 10 * MINUTE ? undefined : minuteRows(b));
    expect(recomputed.rows(h0)).toBeUndefined();
  });
});
