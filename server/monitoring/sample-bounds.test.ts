/**
 * Samples that are not finite, negative or absurdly large (a simulated `SIM_CPU=1e308`, a
 * broken agent) are clamped by the back end before they are stored: rollups and charts over
 * them keep working instead of failing on a float8 overflow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { MINUTE, writeCursor, type SeriesKey } from "@/db/queries/monitoring";
import { readSeries } from "@/db/queries/monitoring-read";
import { tenantScope } from "@/db/scope";
import { SAMPLE_FIELDS, type ContainerSample } from "../engine";
import { openTestDatabase } from "../testing/database";
import { boundedSample, createMonitoringBackend, MAX_SAMPLE_VALUE } from "./backend";
import { createHourRollupStream } from "./hour-stream";
import { runMinuteRollup } from "./jobs";
import { createMinuteRollupStream } from "./minute-stream";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle.close());

const t0 = Date.UTC(2026, 5, 1, 10);
const key = (podId: string): SeriesKey => ({ tenantId: "a", podId, podName: podId, container: "app", nodeId: "n1" });
const absurd = (v: number) => Object.fromEntries(SAMPLE_FIELDS.map((f) => [f, v])) as unknown as ContainerSample;

describe("sample bounds", () => {
  it("clamps what is not finite, negative or too large, and leaves sane samples alone", () => {
    const sane = absurd(5);
    expect(boundedSample(sane)).toBe(sane);
    expect(boundedSample(absurd(Number.NaN)).cpuMillis).toBe(0);
    expect(boundedSample(absurd(-3)).cpuMillis).toBe(0);
    expect(boundedSample(absurd(Number.POSITIVE_INFINITY)).cpuMillis).toBe(MAX_SAMPLE_VALUE);
    expect(boundedSample(absurd(1e308)).memoryWorkingSetBytes).toBe(MAX_SAMPLE_VALUE);
  });

  it("keeps the rollups and charts over absurd samples working, in SQL and from the stream", async () => {
    const streams = { minutes: createMinuteRollupStream(t0 - 1), hours: createHourRollupStream() };
    const errors: unknown[] = [];
    const backend = createMonitoringBackend(handle.db, (_m, e) => errors.push(e), streams.minutes);
    for (let at = t0; at < t0 + 2 * MINUTE; at += 10_000) {
      const values = [1e308, 1e308, Number.POSITIVE_INFINITY, Number.NaN, -1e308];
      await backend.ingest([
        { nodeId: "n1", tenantId: "a", at, samples: values.map((v, i) => ({ key: key(`p${i}`), sample: absurd(v) })) },
      ]);
    }
    await backend.flush();
    expect(errors).toEqual([]);
    expect(await runMinuteRollup(handle.db, t0 + 3 * MINUTE, 0, streams)).toBe(t0 + 3 * MINUTE);
    const raw = await readSeries(handle.db, {
      level: "tenant",
      key: "a",
      scope: tenantScope("a"),
      metric: "cpuMillis",
      from: t0 - 1,
      to: t0 + 2 * MINUTE,
      sampleIntervalMs: 10_000,
    });
    expect(raw.points.length).toBe(12);
    for (const p of raw.points) expect(p.value).toBe(3 * MAX_SAMPLE_VALUE);
    // SQL recomputation over the same rows (the catch-up path) does not overflow either.
    await writeCursor(handle.db, "rollup_1m", t0);
    expect(await runMinuteRollup(handle.db, t0 + 3 * MINUTE, 0)).toBe(t0 + 3 * MINUTE);
    const minutes = await readSeries(handle.db, {
      level: "tenant",
      key: "a",
      scope: tenantScope("a"),
      metric: "cpuMillis",
      from: t0,
      to: t0 + 2 * 3_600_000,
      sampleIntervalMs: 10_000,
    });
    expect(minutes.points.every((p) => Number.isFinite(p.value) && Number.isFinite(p.max))).toBe(true);
  });
});
