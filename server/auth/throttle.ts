/**
 * Sign-in throttling against password guessing. Two independent counters: per account
 * (slows a targeted guess from many addresses) and per client address (slows one address
 * spraying many accounts). Unknown and known emails are counted alike, so the throttle
 * reveals nothing about which accounts exist.
 */
import type { Database } from "@/db/client";
import { clearSignInFailures, findSignInLock, recordSignInFailure, type ThrottlePolicy } from "@/db/queries/security";

export const accountPolicy: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const addressPolicy: ThrottlePolicy = { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export function createSignInThrottle(db: Database, now: () => Date) {
  const accountKey = (email: string) => `email:${email.trim().toLowerCase()}`;
  const addressKey = (ip: string) => `ip:${ip}`;
  return {
    /** Milliseconds until sign-in is allowed again, or null when it is allowed now. */
    async check(email: string, ip: string | null): Promise<number | null> {
      const keys = [accountKey(email), ...(ip ? [addressKey(ip)] : [])];
      const t = now();
      const until = await findSignInLock(db, keys, t);
      return until ? until.getTime() - t.getTime() : null;
    },
    async fail(email: string, ip: string | null): Promise<void> {
      const t = now();
      await recordSignInFailure(db, accountKey(email), t, accountPolicy);
      if (ip) await recordSignInFailure(db, addressKey(ip), t, addressPolicy);
    },
    async succeed(email: string): Promise<void> {
      await clearSignInFailures(db, accountKey(email));
    },
  };
}

/** The client's address as the server saw it: the last hop of X-Forwarded-For. */
export function clientAddress(headers: Headers | undefined): string | null {
  const forwarded = headers?.get("x-forwarded-for");
  if (!forwarded) return null;
  const hops = forwarded.split(",").map((h) => h.trim()).filter(Boolean);
  return hops[hops.length - 1] ?? null;
}
