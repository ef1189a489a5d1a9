/**
 * The streaming minute rollup against the SQL one over the very same raw rows: every level
 * (containers of a two-container pod, a bare pod, two tenants, nodes, the cluster), pods
 * coming and going, a round pushed in two pieces. Minutes it cannot vouch for (begun before
 * it, a replayed push, an instant arriving late) must be left to SQL, and still come out equal.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { MINUTE, writeCursor, type SeriesKey } from "@/db/queries/monitoring";
import { SAMPLE_FIELDS, type ContainerSample } from "../engine";
import { openTestDatabase } from "../testing/database";
import { createMonitoringBackend } from "./backend";
import type { AgentBatch } from "./collector";
import { runMinuteRollup } from "./jobs";
import { createHourRollupStream } from "./hour-stream";
import { createMinuteRollupStream } from "./minute-stream";
import { expectSameRollups } from "../testing/rollup-assertions";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => handle.close());

const t0 = Date.UTC(2026, 5, 1, 10, 0, 0);
const key = (
  tenantId: string,
  podId: string,
  container: string,
  nodeId: string,
  owner?: { rs: string; dep: string },
): SeriesKey => ({
  tenantId,
  podId,
  podName: podId,
  container,
  nodeId,
  ...(owner ? { replicaSetId: owner.rs, revision: 1, deploymentId: owner.dep, deploymentName: owner.dep } : {}),
});
const web = { rs: "rs-web", dep: "dep-web" };
const fleet = {
  p1app: key("a", "p1", "app", "n1", web),
  p1side: key("a", "p1", "sidecar", "n1", web),
  p2: key("a", "p2", "app", "n2", web),
  p3bare: key("a", "p3", "app", "n2"),
  p4: key("a", "p4", "app", "n1", web),
  q1: key("b", "q1", "app", "m1", { rs: "rs-api", dep: "dep-api" }),
};

/** Deterministic values that differ per container, instant and field (some fractional). */
function sampleOf(seed: number): ContainerSample {
  return Object.fromEntries(
    SAMPLE_FIELDS.map((f, i) => [f, ((seed * 7919 + i * 104729) % 1000) / (i % 3 === 0 ? 7 : 1)]),
  ) as unknown as ContainerSample;
}
const batch = (at: number, keys: SeriesKey[]): AgentBatch[] => {
  const byNode = new Map<string, AgentBatch>();
  for (const [i, k] of keys.entries()) {
    let b = byNode.get(k.nodeId);
    if (!b) {
      b = { nodeId: k.nodeId, tenantId: k.tenantId, at, samples: [] };
      byNode.set(k.nodeId, b);
    }
    b.samples.push({ key: k, sample: sampleOf(at / 1000 + i * 31) });
  }
  return [...byNode.values()];
};

type Row = Record<string, unknown>;
async function rollupRows(): Promise<Row[]> {
  const result = await handle.db.execute(
    sql`select * from metric_rollup where resolution_ms = ${MINUTE} order by bucket, level, key`,
  );
  return (result as unknown as { rows: Row[] }).rows;
}

describe("streaming minute rollup", () => {
  it("equals the SQL rollup, and leaves to SQL the minutes it cannot vouch for", async () => {
    const stream = createMinuteRollupStream(t0 - 20_000); // started 20 s into the minute before t0
    const backend = createMonitoringBackend(handle.db, () => undefined, stream);
    const taken = new Map<number, boolean>();
    const spied = {
      ...stream,
      rows: (b: number) => {
        const rows = stream.rows(b);
        taken.set(b, rows !== undefined);
        return rows;
      },
    };

    const { p1app, p1side, p2, p3bare, p4, q1 } = fleet;
    for (let at = t0 - 10_000; at < t0 + 5 * MINUTE; at += 10_000) {
      const minute = Math.floor((at - t0) / MINUTE);
      const keys = minute < 2 ? [p1app, p1side, p2, p3bare, q1] : [p1app, p1side, p3bare, p4, q1]; // p2 replaced by p4
      if (at === t0 + 70_000) {
        // One round in two pushes: still one instant.
        await backend.ingest(batch(at, keys.slice(0, 2)));
        await backend.ingest(batch(at, keys.slice(2)));
      } else {
        await backend.ingest(batch(at, keys));
      }
      if (at === t0 + 3 * MINUTE + 30_000) await backend.ingest(batch(at - 20_000, [p1app])); // a replay
      if (at === t0 + 4 * MINUTE + 40_000) await backend.ingest(batch(at - 10_000, [{ ...p1app, container: "late" }])); // an instant after a later one
    }
    await backend.flush();

    await runMinuteRollup(handle.db, t0 + 6 * MINUTE, 0, { minutes: spied, hours: createHourRollupStream() });
    expect([...taken]).toEqual([
      [t0 - MINUTE, false],
      [t0, true],
      [t0 + MINUTE, true],
      [t0 + 2 * MINUTE, true],
      [t0 + 3 * MINUTE, false],
      [t0 + 4 * MINUTE, false],
      [t0 + 5 * MINUTE, true], // empty, as SQL finds it
    ]);
    const streamed = await rollupRows();

    await handle.db.execute(sql`delete from metric_rollup`);
    await writeCursor(handle.db, "rollup_1m", t0 - MINUTE);
    await runMinuteRollup(handle.db, t0 + 6 * MINUTE, 0);
    const reference = await rollupRows();

    expectSameRollups(streamed, reference);
    // Every level and minute is there: containers, pods, revisions, deployments, nodes, tenants, cluster.
    expect(new Set(reference.map((r) => r.level))).toEqual(
      new Set(["container", "pod", "revision", "deployment", "node", "tenant", "cluster"]),
    );
  });

  it("vouches for no minute that began before it", () => {
    const stream = createMinuteRollupStream(t0 + 1);
    stream.add(t0 + 10_000, [{ seriesId: 1, key: fleet.p1app, sample: sampleOf(1) }]);
    expect(stream.rows(t0)).toBeUndefined();
    stream.forget(t0);
    stream.add(t0 + MINUTE, [{ seriesId: 1, key: fleet.p1app, sample: sampleOf(2) }]);
    expect(
      stream
        .rows(t0 + MINUTE)
        ?.map((r) => r.level)
        .sort(),
    ).toEqual(["cluster", "container", "deployment", "node", "pod", "revision", "tenant"]);
  });

  it("ignores samples for a minute already committed, as the SQL job does", () => {
    const stream = createMinuteRollupStream(t0);
    stream.add(t0 + 10_000, [{ seriesId: 1, key: fleet.q1, sample: sampleOf(1) }]);
    const rows = stream.rows(t0);
    stream.forget(t0);
    stream.add(t0 + 20_000, [{ seriesId: 1, key: fleet.q1, sample: sampleOf(2) }]);
    expect(rows?.find((r) => r.level === "cluster")?.points).toBe(1);
    expect(stream.rows(t0)).toBeUndefined(); // forgotten: SQL would recompute it
    expect(stream.rows(t0 + MINUTE)).toEqual([]);
  });

  it("keeps a minute until its rows are committed: the same rows again after a rolled-back job", () => {
    const stream = createMinuteRollupStream(t0);
    stream.add(t0 + 10_000, [{ seriesId: 1, key: fleet.q1, sample: sampleOf(1) }]);
    const first = stream.rows(t0);
    expect(first?.length).toBeGreaterThan(0);
    expect(stream.rows(t0)).toEqual(first);
  });
});
