/**
 * Sign-in throttling against password guessing, without ever locking the real owner out.
 *
 * Two counters, each reserving an attempt before the password is checked (so concurrent
 * guesses are counted exactly) and backing off exponentially once its free attempts are spent
 * (30 s, 1 min, 2 min, … up to 15 min between attempts; the count fades after 15 quiet minutes):
 * - per client address (an IPv6 address counts as its /64, see throttle-address.ts): 20 free
 *   attempts, whatever the accounts (one address spraying many);
 * - per account: 5 free attempts, whatever the addresses (many addresses guessing one account).
 *   This back-off applies only to clients that have been failing: it is waived for a device
 *   that signed in to the account before (known-device.ts) and for a client address with no
 *   attempt of its own in the window, so an attacker's guesses never keep the owner out. The
 *   price: each fresh client (an IPv4 address, an IPv6 /64) gets one check of a backed-off
 *   account, after which it counts as failing and waits.
 * A success refunds its reservation on both counters. Unknown and known emails are counted
 * alike, so the throttle reveals nothing about which accounts exist.
 */
import type { Database } from "@/db/client";
import { refundSignInAttempt, reserveSignInAttempt, type ThrottlePolicy } from "@/db/queries/security";
import { throttleClientOf } from "./throttle-address";

const minute = 60_000;
export const accountPolicy: ThrottlePolicy = {
  freeAttempts: 5,
  windowMs: 15 * minute,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * minute,
};
export const addressPolicy: ThrottlePolicy = {
  freeAttempts: 20,
  windowMs: 15 * minute,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * minute,
};

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export function createSignInThrottle(db: Database, now: () => Date) {
  const accountKey = (email: string) => `email:${email.trim().toLowerCase()}`;
  // One key per client: an IPv6 /64 (throttle-address.ts).
  const addressKey = (ip: string) => `ip:${throttleClientOf(ip)}`;
  return {
    /**
     * Reserves this attempt (before the password is checked) or says how long to wait.
     * `knownDevice`: the client proved it signed in to this account before.
     */
    async reserve(email: string, ip: string | null, knownDevice = false): Promise<AttemptVerdict> {
      const t = now();
      const refuse = (retryAt: Date): AttemptVerdict => ({
        allowed: false,
        retryAfterMs: Math.max(retryAt.getTime() - t.getTime(), 1_000),
      });
      // One transaction: an attempt refused by either counter is counted by neither beyond its own.
      return db.transaction(async (transaction) => {
        const tx = transaction as unknown as Database;
        // Without an address (a server-side call), the client cannot be shown to be clean.
        let cleanClient = false;
        if (ip) {
          const byAddress = await reserveSignInAttempt(tx, addressKey(ip), t, addressPolicy);
          if (!byAddress.ok) return refuse(byAddress.retryAt);
          cleanClient = byAddress.attempt === 1;
        }
        const waived = knownDevice || cleanClient;
        const byAccount = await reserveSignInAttempt(tx, accountKey(email), t, accountPolicy, !waived);
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
