/**
 * The housekeeping a PostgreSQL server's autovacuum does by itself and embedded PGlite
 * cannot: PGlite is one process without background workers, so the space of deleted and
 * replaced rows (metric retention, expired events, every pod status write) is never marked
 * reusable, and planner statistics are never gathered. Measured on PGlite: a 12-minute
 * sliding window of 30,000 containers' samples doubled its table in 12 minutes without
 * VACUUM, and kept its size with one after each retention pass (0.25 s each).
 *
 * So on PGlite, `VACUUM (ANALYZE)` runs every hour of engine time. It holds PGlite's single
 * connection while it runs (under a second for 150,000 pods); on a server it never runs.
 */
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/db/client";
import type { Clock, TimerHandle } from "./engine";

export const MAINTENANCE_EVERY_MS = 3_600_000;

export interface DatabaseMaintenance {
  start(): void;
  stop(): void;
  /** One pass now; `false` when there is nothing to do on this database (a server). */
  runOnce(): Promise<boolean>;
  /** Resolves when the pass under way, if any, has finished. */
  idle(): Promise<void>;
}

export function createDatabaseMaintenance(opts: {
  database: DatabaseHandle;
  clock: Clock;
  everyMs?: number;
  log?: (message: string, error?: unknown) => void;
}): DatabaseMaintenance {
  const everyMs = opts.everyMs ?? MAINTENANCE_EVERY_MS;
  const log = opts.log ?? ((m, e) => console.error(m, e));
  let timer: TimerHandle | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const runOnce = async (): Promise<boolean> => {
    if (opts.database.kind !== "pglite") return false;
    await opts.database.db.execute(sql`vacuum (analyze)`);
    return true;
  };
  const arm = () => {
    timer = opts.clock.setTimer(opts.clock.now() + everyMs, () => {
      running = runOnce().catch((error: unknown) =>
        log("database maintenance: VACUUM failed (it runs again in an hour)", error),
      );
      arm();
    });
  };

  return {
    start() {
      if (timer === undefined && opts.database.kind === "pglite") arm();
    },
    stop() {
      if (timer !== undefined) opts.clock.clearTimer(timer);
      timer = undefined;
    },
    runOnce,
    idle: async () => void (await running),
  };
}
