/**
 * Sign-up throttling per client address: without it one person could make any number of
 * accounts, and every per-account limit (such as how many tenants an account may create)
 * would be per account, not per person. 10 sign-ups (SIGN_UPS_PER_ADDRESS_PER_HOUR) per client (an IPv6 /64, see
 * throttle-address.ts) per hour, reserved before the account is made, with the sign-in
 * throttle's counters (db/queries/security.ts): the 10th sign-up starts an hour's wait, after
 * which the count starts again. A call without an address (server-side) is not counted.
 */
import type { Database } from "@/db/client";
import { reserveSignInAttempt, type ThrottlePolicy } from "@/db/queries/security";
import type { AttemptVerdict } from "./throttle";
import { throttleClientOf } from "./throttle-address";

const hour = 60 * 60_000;

/** `perHour`: SIGN_UPS_PER_ADDRESS_PER_HOUR, 10 unless set (browser tests, all from one address, lift it). */
export function signUpPolicy(perHour = Number(process.env.SIGN_UPS_PER_ADDRESS_PER_HOUR || 10)): ThrottlePolicy {
  if (!Number.isInteger(perHour) || perHour < 1)
    throw new Error(`SIGN_UPS_PER_ADDRESS_PER_HOUR: "${perHour}" is not a positive whole number`);
  return { freeAttempts: perHour, windowMs: hour, baseDelayMs: hour, maxDelayMs: hour };
}

export function createSignUpThrottle(db: Database, now: () => Date, policy = signUpPolicy()) {
  return {
    /** Reserves this sign-up or says how long to wait. */
    async reserve(ip: string | null): Promise<AttemptVerdict> {
      if (!ip) return { allowed: true };
      const t = now();
      const reservation = await reserveSignInAttempt(db, `signup-ip:${throttleClientOf(ip)}`, t, policy);
      if (reservation.ok) return { allowed: true };
      return { allowed: false, retryAfterMs: Math.max(reservation.retryAt.getTime() - t.getTime(), 1_000) };
    },
  };
}
