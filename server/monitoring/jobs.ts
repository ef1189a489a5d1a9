/**
 * Rollup and retention jobs on the engine clock. Each rollup job reads its durable cursor
 * (the first bucket not yet final), computes every bucket that has become final since
 * (from the streaming rollups where they saw a bucket whole, else in SQL from the stored
 * rows), writes the results and advances the cursor in the same transaction: a crash
 * part-way redoes the work in SQL, and re-running a bucket writes the same values
 * (nothing lost, nothing doubled). The streams forget a bucket only after the transaction
 * that wrote it committed: a rolled-back run finds the same rows again when it is retried.
 * Retention deletes by age only.
 */
import type { Database } from "@/db/client";
import {
  deleteOlderThan,
  earliestSampleAt,
  HOUR,
  MINUTE,
  readCursor,
  replaceRollups,
  rollupHours,
  rollupMinutes,
  writeCursor,
  type RollupRow,
} from "@/db/queries/monitoring";
import type { Clock, TimerHandle } from "../engine";
import { noJobFaults, type JobFaults } from "../job-faults";
import type { HourRollupStream } from "./hour-stream";
import type { MinuteRollupStream } from "./minute-stream";

export interface RetentionConfig {
  rawMs: number;
  minuteMs: number;
  hourMs: number;
}

export const defaultRetention: RetentionConfig = { rawMs: 6 * HOUR, minuteMs: 7 * 24 * HOUR, hourMs: 90 * 24 * HOUR };

/** At most this many buckets per run, so a long outage is caught up in steps. */
const maxMinutesPerRun = 120;
const maxHoursPerRun = 48;

const floorTo = (t: number, size: number) => Math.floor(t / size) * size;

/** Fault-injection points, checked just before each job commits. */
export const MINUTE_ROLLUP_JOB = "monitoring.minute-rollup";
export const HOUR_ROLLUP_JOB = "monitoring.hour-rollup";

/** The streaming rollups, when this process has them (the jobs work without, from SQL alone). */
export interface RollupStreams {
  minutes: MinuteRollupStream;
  hours: HourRollupStream;
}

/**
 * Writes the buckets [from, to) of one resolution: from the stream's rows where it vouches for
 * a bucket, else recomputed in SQL (runs of such buckets in one statement). Returns what the
 * stream gave per bucket (undefined where SQL computed it).
 */
async function writeBuckets(
  t: Database,
  range: { from: number; to: number; resolutionMs: number },
  streamed: (bucket: number) => RollupRow[] | undefined,
  recompute: (from: number, to: number) => Promise<void>,
): Promise<[number, RollupRow[] | undefined][]> {
  const given: [number, RollupRow[] | undefined][] = [];
  let sqlFrom: number | null = null;
  for (let bucket = range.from; bucket < range.to; bucket += range.resolutionMs) {
    const rows = streamed(bucket);
    given.push([bucket, rows]);
    if (rows === undefined) {
      sqlFrom ??= bucket;
      continue;
    }
    if (sqlFrom !== null) await recompute(sqlFrom, bucket);
    sqlFrom = null;
    await replaceRollups(t, range.resolutionMs, bucket, rows);
  }
  if (sqlFrom !== null) await recompute(sqlFrom, range.to);
  return given;
}

/**
 * Computes final 1-minute buckets up to `now − graceMs`; returns the new cursor. Minutes the
 * stream saw whole are written from it; the others are recomputed from the raw samples.
 */
export async function runMinuteRollup(
  db: Database,
  now: number,
  graceMs: number,
  streams?: RollupStreams,
  faults: JobFaults = noJobFaults,
): Promise<number | null> {
  const done = await db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const upTo = floorTo(now - graceMs, MINUTE);
    let from = await readCursor(t, "rollup_1m");
    if (from === null) {
      const earliest = await earliestSampleAt(t);
      if (earliest === null) return { cursor: null, given: [] };
      from = floorTo(earliest, MINUTE);
    }
    const to = Math.min(upTo, from + maxMinutesPerRun * MINUTE);
    if (to <= from) return { cursor: from, given: [] };
    const given = await writeBuckets(
      t,
      { from, to, resolutionMs: MINUTE },
      (b) => streams?.minutes.rows(b),
      (a, b) => rollupMinutes(t, a, b),
    );
    await writeCursor(t, "rollup_1m", to);
    faults.check(MINUTE_ROLLUP_JOB);
    return { cursor: to, given };
  });
  // Committed: the stream may forget these minutes, and only committed minutes feed the hours.
  const last = done.given.at(-1);
  if (last) streams?.minutes.forget(last[0]);
  for (const [bucket, rows] of done.given) streams?.hours.addMinute(bucket, rows);
  return done.cursor;
}

/** Computes final 1-hour buckets from the 1-minute ones that are themselves final. */
export async function runHourRollup(
  db: Database,
  streams?: RollupStreams,
  faults: JobFaults = noJobFaults,
): Promise<number | null> {
  const done = await db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const minutesDone = await readCursor(t, "rollup_1m");
    if (minutesDone === null) return null;
    const upTo = floorTo(minutesDone, HOUR);
    const from = (await readCursor(t, "rollup_1h")) ?? upTo - HOUR;
    const to = Math.min(upTo, from + maxHoursPerRun * HOUR);
    if (to <= from) return from;
    await writeBuckets(
      t,
      { from, to, resolutionMs: HOUR },
      (b) => streams?.hours.rows(b),
      (a, b) => rollupHours(t, a, b),
    );
    await writeCursor(t, "rollup_1h", to);
    faults.check(HOUR_ROLLUP_JOB);
    return to;
  });
  if (done !== null) streams?.hours.forget(done - HOUR);
  return done;
}

export async function runRetention(db: Database, now: number, retention: RetentionConfig): Promise<void> {
  await deleteOlderThan(db, {
    rawBefore: now - retention.rawMs,
    minuteBefore: now - retention.minuteMs,
    hourBefore: now - retention.hourMs,
  });
}

/** Runs the jobs every minute (rollups) and every ten minutes (retention) of engine time, one at a time. */
export function scheduleJobs(opts: {
  db: Database;
  clock: Clock;
  graceMs: number;
  retention: RetentionConfig;
  run: (job: () => Promise<unknown>) => Promise<void>;
  streams?: RollupStreams;
  faults?: JobFaults;
  /** Runs after each minute's rollups (alert evaluation). */
  afterRollup?: (now: number) => Promise<void>;
}) {
  let timer: TimerHandle | undefined;
  let lastRetention = 0;
  const tick = () => {
    const now = opts.clock.now();
    void opts.run(async () => {
      await runMinuteRollup(opts.db, now, opts.graceMs, opts.streams, opts.faults);
      await runHourRollup(opts.db, opts.streams, opts.faults);
      await opts.afterRollup?.(now);
      if (now - lastRetention >= 10 * MINUTE) {
        lastRetention = now;
        await runRetention(opts.db, now, opts.retention);
      }
    });
    timer = opts.clock.setTimer(floorTo(opts.clock.now(), MINUTE) + MINUTE + 1_000, tick);
  };
  return {
    start() {
      if (timer === undefined) timer = opts.clock.setTimer(floorTo(opts.clock.now(), MINUTE) + MINUTE + 1_000, tick);
    },
    stop() {
      if (timer !== undefined) opts.clock.clearTimer(timer);
      timer = undefined;
    },
  };
}
