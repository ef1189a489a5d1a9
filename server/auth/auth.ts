/**
 * better-auth, configured for this product: email + password accounts, the organization
 * plugin for tenants, the api-key plugin for script tokens, Drizzle over our database.
 *
 * What we add on top of its defaults, and why:
 * - sign-in throttling per account and per address, kept in the database (its own limiter
 *   is per process and off outside production), each attempt counted before its password is
 *   checked (throttle.ts); a device that signed in before keeps signing in (known-device.ts);
 * - guessable passwords are refused at sign-up (password-strength.ts);
 * - sign-ups are throttled per client address, 10 an hour (sign-up-throttle.ts);
 * - sign-up never signs in (`autoSignIn: false`): better-auth then answers a sign-up for an
 *   address that already has an account exactly as for a new one (a made-up user, no session),
 *   so the answer does not say whether the address is taken; the form signs in next;
 * - the first account (or OPERATOR_EMAIL) becomes an operator;
 * - signing up never joins a tenant: membership comes only from accepting an invitation link;
 * - only a few of its HTTP endpoints are exposed (see `publicAuthPaths`): membership, roles
 *   and tokens change only through our tRPC procedures, which enforce roles and audit.
 */
import { apiKey } from "@better-auth/api-key";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { organization } from "better-auth/plugins";
import type { Database } from "@/db/client";
import { writeAuditEntry } from "@/db/queries/audit";
import { promoteOperatorIfDue } from "@/db/queries/users";
import * as schema from "@/db/schema";
import { clientAddress, clientAddressHeader } from "./client-address";
import { isKnownDevice, rememberDevice } from "./known-device";
import { maxPasswordLength, weakPasswordReason } from "./password-strength";
import { createSignUpThrottle } from "./sign-up-throttle";
import { createSignInThrottle } from "./throttle";

export interface AuthOptions {
  db: Database;
  baseURL: string;
  secret: string;
  /** When set, the account with this email becomes the operator instead of the first one. */
  operatorEmail?: string;
  /** Extra origins allowed to post to /api/auth (the base URL's own is always allowed). */
  trustedOrigins?: string[];
  now?: () => Date;
}

/** better-auth endpoints reachable over HTTP; everything else answers 404. */
export const publicAuthPaths = new Set(["/sign-up/email", "/sign-in/email", "/sign-out", "/get-session", "/ok"]);

export function createAuth(options: AuthOptions) {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const throttle = createSignInThrottle(db, now);
  const signUpThrottle = createSignUpThrottle(db, now);

  return betterAuth({
    appName: "Tenant Cloud",
    baseURL: options.baseURL,
    secret: options.secret,
    trustedOrigins: options.trustedOrigins,
    database: drizzleAdapter(db, { provider: "pg", schema }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength, autoSignIn: false },
    user: { additionalFields: { isOperator: { type: "boolean", defaultValue: false, input: false } } },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: { enabled: false },
    advanced: {
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      ipAddress: { ipAddressHeaders: [clientAddressHeader] },
    },
    databaseHooks: {
      user: {
        create: {
          after: async (created) => {
            const promoted = await promoteOperatorIfDue(db, created.id, created.email, options.operatorEmail);
            await writeAuditEntry(db, {
              actorId: created.id,
              actorEmail: created.email,
              via: "session",
              action: "user.signUp",
              target: created.email,
              outcome: "success",
              detail: promoted ? { operator: true } : null,
            });
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const body = (ctx.body ?? {}) as Record<string, unknown>;
        const email = typeof body.email === "string" ? body.email : "";
        if (ctx.path === "/sign-up/email" && typeof body.password === "string") {
          const reason = weakPasswordReason(body.password, [email, typeof body.name === "string" ? body.name : ""]);
          if (reason) throw new APIError("BAD_REQUEST", { code: "PASSWORD_TOO_WEAK", message: reason });
        }
        if (ctx.path === "/sign-up/email") {
          // After the strength check, so a person trying passwords out does not spend the allowance.
          const verdict = await signUpThrottle.reserve(clientAddress(ctx.headers));
          if (!verdict.allowed) throw throttled("SIGN_UP_THROTTLED", "Too many sign-ups from this address", verdict);
          return;
        }
        if (ctx.path !== "/sign-in/email") return;
        const verdict = await throttle.reserve(email, clientAddress(ctx.headers), await isKnownDevice(ctx, email));
        if (!verdict.allowed) throw throttled("SIGN_IN_THROTTLED", "Too many failed sign-in attempts", verdict);
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email" || isAPIError(ctx.context.returned)) return;
        const email = typeof ctx.body?.email === "string" ? ctx.body.email : "";
        await throttle.succeeded(email, clientAddress(ctx.headers));
        await rememberDevice(ctx, email, options.baseURL.startsWith("https:"));
      }),
    },
    plugins: [
      organization({ allowUserToCreateOrganization: true, creatorRole: "owner" }),
      apiKey({
        enableMetadata: true,
        defaultPrefix: "tc_",
        rateLimit: { enabled: false },
        startingCharactersConfig: { shouldStore: true, charactersLength: 8 },
        keyExpiration: { minExpiresIn: 1, maxExpiresIn: 366 },
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** A 429 with the wait in Retry-After (the form says it in the reader's language, by `code`). */
function throttled(code: string, what: string, verdict: { retryAfterMs: number }): APIError {
  const seconds = Math.ceil(verdict.retryAfterMs / 1000);
  return new APIError(
    "TOO_MANY_REQUESTS",
    { code, message: `${what}. Try again in ${seconds} second(s).` },
    { "Retry-After": String(seconds) },
  );
}
