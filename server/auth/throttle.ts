/**
 * Sign-in throttling against password guessing, without ever locking the real owner out.
 *
 * Two counters, each reserving an attempt before the password is checked (so concurrent
 * guesses are counted exactly) and backing off exponentially once its free attempts are spent
 * (30 s, 1 min, 2 min, … up to 15 min between attempts; the count fades after 15 quiet minutes):
 * - per client address: 20 free attempts, whatever the accounts (one address spraying many);
 * - per account: 5 free attempts, whatever the addresses (many addresses guessing one account).
 *   This back-off applies only to clients that have been failing: an address with no attempt
 *   of its own in the window always gets its password checked, so an attacker's guesses
 *   cannot keep the owner out. A fresh address guessing a backed-off account gets that one
 *   check, after which it counts as failing.
 * A success refunds its reservation on both counters. Unknown and known emails are counted
 * alike, so the throttle reveals nothing about which accounts exist.
 */
import type { Database } from "@/db/client";
import { refundSignInAttempt, reserveSignInAttempt, type ThrottlePolicy } from "@/db/queries/security";

const minute = 60_000;
export const accountPolicy: ThrottlePolicy = { freeAttempts: 5, windowMs: 15 * minute, baseDelayMs: 30_000, maxDelayMs: 15 * minute };
export const addressPolicy: ThrottlePolicy = { freeAttempts: 20, windowMs: 15 * minute, baseDelayMs: 30_000, maxDelayMs: 15 * minute };

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export function createSignInThrottle(db: Database, now: () => Date) {
  const accountKey = (email: string) => `email:${email.trim().toLowerCase()}`;
  const addressKey = (ip: string) => `ip:${ip}`;
  return {
    /** Reserves this attempt (before the password is checked) or says how long to wait. */
    async reserve(email: string, ip: string | null): Promise<AttemptVerdict> {
      const t = now();
      const refuse = (retryAt: Date): AttemptVerdict => ({ allowed: false, retryAfterMs: Math.max(retryAt.getTime() - t.getTime(), 1_000) });
      // One transaction, address row first: concurrent attempts from one address reach the account
      // counter in the order they reached the address counter, so only the first is "clean".
      return db.transaction(async (transaction) => {
        const tx = transaction as unknown as Database;
        // Without an address (a server-side call), the client cannot be shown to be clean.
        let cleanClient = false;
        if (ip) {
          const byAddress = await reserveSignInAttempt(tx, addressKey(ip), t, addressPolicy);
          if (!byAddress.ok) return refuse(byAddress.retryAt);
          cleanClient = byAddress.attempt === 1;
        }
        const byAccount = await reserveSignInAttempt(tx, accountKey(email), t, accountPolicy, !cleanClient);
        if (!byAccount.ok) return refuse(byAccount.retryAt);
        return { allowed: true } as const;
      });
    },
    /** The reserved attempt signed in: it no longer counts. */
    async succeeded(email: string, ip: string | null): Promise<void> {
      await refundSignInAttempt(db, accountKey(email));
      if (ip) await refundSignInAttempt(db, addressKey(ip));
    },
  };
}
