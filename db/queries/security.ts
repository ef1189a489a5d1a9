/**
 * Sign-in throttle counters. Each key ("email:…" or "ip:…") counts the attempts not known to
 * have succeeded; the count resets after `windowMs` without attempts. From `freeAttempts` on,
 * every attempt sets a back-off (doubling from `baseDelayMs` up to `maxDelayMs`) before which
 * the key gets no password check. An attempt is reserved in one statement BEFORE the password
 * is checked, so concurrent guesses cannot all slip through between a check and a count.
 */
import { eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { signInAttempt } from "../schema";

export interface ThrottlePolicy {
  freeAttempts: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export type Reservation = { ok: true; attempt: number } | { ok: false; retryAt: Date };

/**
 * Reserves one attempt for `key` and returns its number in the window (1 for a key with no
 * recent attempts). With `enforce`, a key in back-off is refused instead (nothing counted).
 */
export async function reserveSignInAttempt(
  db: Database,
  key: string,
  now: Date,
  policy: ThrottlePolicy,
  enforce = true,
): Promise<Reservation> {
  const quietSince = new Date(now.getTime() - policy.windowMs);
  const t = signInAttempt;
  const stale = sql`(${t.windowStart} < ${quietSince} and (${t.lockedUntil} is null or ${t.lockedUntil} <= ${now}))`;
  const next = sql`(case when ${stale} then 1 else ${t.failures} + 1 end)`;
  const backOff = (n: unknown) =>
    sql`case when ${n} >= ${policy.freeAttempts}
      then ${now}::timestamptz + interval '1 millisecond' * least(${policy.baseDelayMs}::float8 * power(2, ${n} - ${policy.freeAttempts}), ${policy.maxDelayMs}::float8)
      else null end`;
  const rows = await db
    .insert(t)
    .values({ key, failures: 1, windowStart: now, lockedUntil: sql`${backOff(sql`1`)}` })
    .onConflictDoUpdate({
      target: t.key,
      set: { failures: next, windowStart: now, lockedUntil: backOff(next) },
      setWhere: enforce ? sql`(${t.lockedUntil} is null or ${t.lockedUntil} <= ${now})` : undefined,
    })
    .returning({ failures: t.failures });
  const row = rows[0];
  if (row) return { ok: true, attempt: row.failures };
  const [locked] = await db.select({ until: t.lockedUntil }).from(t).where(eq(t.key, key));
  return { ok: false, retryAt: locked?.until ?? now };
}

/** A reserved attempt turned out to be a success: it no longer counts against the key. */
export async function refundSignInAttempt(db: Database, key: string): Promise<void> {
  await db
    .update(signInAttempt)
    .set({ failures: sql`greatest(${signInAttempt.failures} - 1, 0)` })
    .where(eq(signInAttempt.key, key));
}
