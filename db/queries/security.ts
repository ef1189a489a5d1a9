/**
 * Failed sign-in counters. A key ("email:…" or "ip:…") that fails `maxFailures` times within
 * `windowMs` is locked for `lockMs`; a success clears the account's counter.
 */
import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../client";
import { signInAttempt } from "../schema";

export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** The latest lock end among `keys`, or null when none is locked at `now`. */
export async function findSignInLock(db: Database, keys: string[], now: Date): Promise<Date | null> {
  const rows = await db.select().from(signInAttempt).where(inArray(signInAttempt.key, keys));
  let until: Date | null = null;
  for (const row of rows) {
    if (row.lockedUntil && row.lockedUntil > now && (!until || row.lockedUntil > until)) until = row.lockedUntil;
  }
  return until;
}

export async function recordSignInFailure(db: Database, key: string, now: Date, policy: ThrottlePolicy): Promise<void> {
  const windowFloor = new Date(now.getTime() - policy.windowMs);
  const lockUntil = new Date(now.getTime() + policy.lockMs);
  // One statement so that concurrent failures cannot lose a count.
  await db
    .insert(signInAttempt)
    .values({ key, failures: 1, windowStart: now })
    .onConflictDoUpdate({
      target: signInAttempt.key,
      set: {
        failures: sql`case when ${signInAttempt.windowStart} < ${windowFloor} then 1 else ${signInAttempt.failures} + 1 end`,
        windowStart: sql`case when ${signInAttempt.windowStart} < ${windowFloor} then ${now} else ${signInAttempt.windowStart} end`,
      },
    });
  await db
    .update(signInAttempt)
    .set({ lockedUntil: lockUntil, failures: 0, windowStart: now })
    .where(sql`${signInAttempt.key} = ${key} and ${signInAttempt.failures} >= ${policy.maxFailures}`);
}

export async function clearSignInFailures(db: Database, key: string): Promise<void> {
  await db.delete(signInAttempt).where(eq(signInAttempt.key, key));
}
