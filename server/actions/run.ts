import "server-only";
import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { sharedCallLimiter, tooManyCallsMessage } from "../http/rate-limit";
import { localeOfHeaders, localizeServerText, translatorFor } from "../i18n/translate";
import { getServices } from "../runtime";
import { createContext } from "../trpc/context";
import { actionErrorData } from "../trpc/errors";
import { createCaller } from "../trpc/root";

/**
 * Server actions reuse the tRPC procedures through a server-side caller, so a form gets the
 * same validation, roles, tenant scoping and audit as the API. Next checks the Origin of
 * every action call against the host, so actions are not reachable cross-site.
 *
 * An action's argument is whatever the request carried, not what its type says: the procedure
 * it calls checks it exactly as for the API (its schema, and the base procedure's refusal of
 * unstorable text anywhere in the input, localized and audited). A call spends
 * the caller's write budget like a mutation, and any failure comes back as a result, never as a
 * thrown error (which Next turns into a 500). Undecodable payloads never get here: proxy.ts
 * refuses them with a 400.
 */
export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      error: string;
      code: string;
      reason?: string;
      field?: string;
      fieldErrors?: Record<string, string[] | undefined>;
    };

type Caller = ReturnType<typeof createCaller>;

export async function runAction<T>(fn: (caller: Caller) => Promise<T>): Promise<ActionResult<T>> {
  const requestId = randomUUID();
  try {
    const context = await createContext(await getServices(), await headers());
    const limiter = sharedCallLimiter();
    const verdict = await limiter.take(context.principal, "write", 1);
    if (!verdict.ok)
      return {
        ok: false,
        error: localizeServerText(
          tooManyCallsMessage("write", limiter.limits, verdict.retryAfterSeconds),
          await headers(),
        ),
        code: "TOO_MANY_REQUESTS",
      };
    return { ok: true, data: await fn(createCaller(context)) };
  } catch (error) {
    // The procedures' boundary already turned unexpected errors into a safe message with a request id.
    if (error instanceof TRPCError) {
      // The message is in the caller's language already; the reason, field and field errors come with it.
      return { ok: false, error: error.message, code: error.code, ...actionErrorData(error, await headers()) };
    }
    console.error(`[${requestId}] server action failed`, error);
    const message = translatorFor(localeOfHeaders(await headers()))("errors.internal", { requestId });
    return { ok: false, error: message, code: "INTERNAL_SERVER_ERROR" };
  }
}
