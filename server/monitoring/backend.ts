/**
 * The monitoring back end: takes the agents' batches, files every container under its series
 * (created on first sight, ids cached) and writes the raw samples, one transaction per
 * round. Writes are chained, never concurrent; `flush()` waits for what is queued. What was
 * written goes on to the streaming minute rollup, which is told when a write failed or
 * skipped replayed rows, so it never vouches for a minute the raw table disagrees with.
 * Samples are bounded before they are stored: a value that is not finite, negative or
 * beyond any real container is clamped, so a sum over the whole fleet can never overflow
 * (one such row would make every rollup and chart over it fail).
 */
import type { Database } from "@/db/client";
import { ensureSeries, insertSamples, type SampleRow } from "@/db/queries/monitoring";
import { SAMPLE_FIELDS, type ContainerSample } from "../engine";
import type { AgentBatch } from "./collector";
import type { MinuteRollupStream, StreamedSample } from "./minute-stream";
import { createSeriesIdCache } from "./series-id-cache";

/** Far above any real container's figure, far below what a sum of millions of them needs to overflow float8. */
export const MAX_SAMPLE_VALUE = 1e15;

/** The sample with every field finite and within [0, MAX_SAMPLE_VALUE]; the same object when it already is. */
export function boundedSample(sample: ContainerSample): ContainerSample {
  let out: ContainerSample | undefined;
  for (const f of SAMPLE_FIELDS) {
    const v = sample[f];
    if (v >= 0 && v <= MAX_SAMPLE_VALUE) continue; // false for NaN too
    out ??= { ...sample };
    out[f] = Number.isNaN(v) || v < 0 ? 0 : MAX_SAMPLE_VALUE;
  }
  return out ?? sample;
}

export function createMonitoringBackend(
  db: Database,
  log: (message: string, error?: unknown) => void = console.error,
  stream?: MinuteRollupStream,
) {
  const seriesIds = createSeriesIdCache();
  let chain: Promise<void> = Promise.resolve();
  let samplesWritten = 0;

  async function write(batches: AgentBatch[]) {
    const unknown = new Map<string, AgentBatch["samples"][number]["key"]>();
    seriesIds.advance(batches[0]?.at ?? 0);
    for (const b of batches)
      for (const s of b.samples) {
        const id = `${s.key.podId}/${s.key.container}`;
        if (!seriesIds.has(id)) unknown.set(id, s.key);
      }
    const byInstant = new Map<number, StreamedSample[]>();
    const complete = await db.transaction(async (tx) => {
      const txDb = tx as unknown as Database;
      if (unknown.size > 0) {
        const created = await ensureSeries(txDb, [...unknown.values()], batches[0]?.at ?? 0);
        for (const [k, v] of created) seriesIds.set(k, v);
      }
      const rows: SampleRow[] = [];
      for (const b of batches) {
        let streamed = byInstant.get(b.at);
        if (!streamed) {
          streamed = [];
          byInstant.set(b.at, streamed);
        }
        for (const s of b.samples) {
          const seriesId = seriesIds.get(`${s.key.podId}/${s.key.container}`);
          if (seriesId === undefined) continue;
          const sample = boundedSample(s.sample);
          rows.push({ seriesId, at: b.at, sample });
          streamed.push({ seriesId, key: s.key, sample });
        }
      }
      const inserted = await insertSamples(txDb, rows);
      samplesWritten += inserted;
      return inserted === rows.length;
    });
    for (const [at, samples] of [...byInstant].sort(([a], [b]) => a - b)) {
      if (complete) stream?.add(at, samples);
      else stream?.distrust(at);
    }
  }

  return {
    /** Queue a round of agent batches for writing. */
    ingest(batches: AgentBatch[]): Promise<void> {
      if (batches.length === 0) return chain;
      chain = chain
        .then(() => write(batches))
        .catch((error: unknown) => {
          // The ids of a failed transaction may not exist: forget them all and re-learn.
          seriesIds.clear();
          for (const b of batches) stream?.distrust(b.at);
          log("monitoring: a round of samples could not be written", error);
        });
      return chain;
    },
    flush: () => chain,
    get samplesWritten() {
      return samplesWritten;
    },
  };
}
