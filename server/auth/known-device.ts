/**
 * A browser (or script) that has signed in to an account before carries a signed cookie
 * naming that account (by a hash of its email, never the email itself). The sign-in throttle
 * waives an account's back-off for such a device only: the owner keeps signing in while the
 * account is under attack, and an attacker, however many addresses it has, cannot get the
 * cookie without the password. (A waiver for any address "new to the throttle" would hand
 * each address of a botnet a free guess.) OWASP calls these device cookies.
 */
import { createHash } from "node:crypto";

export const knownDeviceCookie = "tc_known_device";
const maxAgeSeconds = 180 * 24 * 60 * 60;

interface CookieContext {
  context: { secret: string };
  getSignedCookie(key: string, secret: string): Promise<string | false | null>;
  setSignedCookie(
    key: string,
    value: string,
    secret: string,
    options?: { httpOnly?: boolean; sameSite?: "Lax"; path?: string; maxAge?: number; secure?: boolean },
  ): Promise<string>;
}

const accountTag = (email: string) => createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");

export async function isKnownDevice(ctx: CookieContext, email: string): Promise<boolean> {
  const value = await ctx.getSignedCookie(knownDeviceCookie, ctx.context.secret);
  return typeof value === "string" && value === accountTag(email);
}

/** After a successful sign-in: this device now knows the account (the last one signed in to). */
export async function rememberDevice(ctx: CookieContext, email: string, secure: boolean): Promise<void> {
  await ctx.setSignedCookie(knownDeviceCookie, accountTag(email), ctx.context.secret, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/api/auth",
    maxAge: maxAgeSeconds,
    secure,
  });
}
