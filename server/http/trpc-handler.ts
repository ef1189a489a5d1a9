/**
 * The tRPC endpoint as an HTTP handler, used by the Next route (app/api/trpc/[trpc]/route.ts)
 * and by the test server (server/testing/http-server.ts), so HTTP-level tests exercise the
 * code production runs. In order, before any procedure runs: the cross-site guard, the cap
 * on calls per batch, the body limit, the caller (resolved once per request), and the
 * caller's call budget (a token that does not resolve spends its client address's); then tRPC, whose procedures audit and validate each call.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { resolveClientAddress } from "../auth/client-address";
import { trustedProxiesFromEnv } from "../auth/http";
import { localizeServerText } from "../i18n/translate";
import type { Services } from "../services";
import { createContext } from "../trpc/context";
import { appRouter } from "../trpc/root";
import { checkCrossSite, readLimitedBody } from "./guards";
import { type CallLimiter, sharedCallLimiter, tooManyCallsMessage } from "./rate-limit";

export const trpcEndpoint = "/api/trpc";

export interface TrpcHandlerOptions {
  getServices: () => Promise<Services>;
  /** Defaults to the process's limiter, configured from the environment. */
  limiter?: CallLimiter;
}

export function createTrpcHandler({ getServices, limiter = sharedCallLimiter() }: TrpcHandlerOptions) {
  return async function handleTrpc(request: Request): Promise<Response> {
    const crossSite = checkCrossSite(request);
    if (!crossSite.ok)
      return jsonError(
        request,
        crossSite.status,
        crossSite.status === 400 ? "BAD_REQUEST" : "FORBIDDEN",
        crossSite.message,
      );

    const calls = countCalls(new URL(request.url));
    const { maxBatchCalls } = limiter.limits;
    if (calls > maxBatchCalls) {
      return jsonError(
        request,
        400,
        "BAD_REQUEST",
        `A batch may carry at most ${maxBatchCalls} calls; this one has ${calls}. Send them in smaller batches.`,
      );
    }

    const body = await readLimitedBody(request);
    if (!body.ok) return jsonError(request, body.status, "PAYLOAD_TOO_LARGE", body.message);

    const services = await getServices();
    const context = await createContext(services, request.headers);
    // tRPC takes queries as GET and mutations as POST (method override is off).
    const kind = request.method === "POST" ? "write" : "read";
    // A bad token names no caller to charge: its address pays, so guessing tokens is throttled.
    const verdict = context.principalError
      ? await limiter.takeForAddress(resolveClientAddress(request.headers, trustedProxiesFromEnv()), kind, calls)
      : await limiter.take(context.principal, kind, calls);
    if (!verdict.ok) {
      const message = tooManyCallsMessage(kind, limiter.limits, verdict.retryAfterSeconds);
      return jsonError(request, 429, "TOO_MANY_REQUESTS", message, {
        "retry-after": String(verdict.retryAfterSeconds),
      });
    }

    // The signal goes along, so a subscriber that leaves ends its stream (and its watch) at once.
    const req = new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: body.body,
      signal: request.signal,
    });
    return fetchRequestHandler({
      endpoint: trpcEndpoint,
      req,
      router: appRouter,
      maxBatchSize: maxBatchCalls,
      createContext: () => context,
    });
  };
}

/** How many procedure calls the request carries, read as tRPC reads it (`/api/trpc/a,b?batch=1`). */
export function countCalls(url: URL): number {
  if (url.searchParams.get("batch") !== "1") return 1;
  const path = url.pathname.slice(trpcEndpoint.length).replace(/^\/+|\/+$/g, "");
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // tRPC itself answers 400 for a path it cannot decode.
  }
  return decoded.split(",").length;
}

/**
 * The guards answer in tRPC's error shape, as plain JSON (client/errors.ts reads it), in the
 * caller's language as the procedures' errors are.
 */
function jsonError(
  request: Request,
  status: number,
  code: string,
  text: string,
  headers?: Record<string, string>,
): Response {
  const message = localizeServerText(text, request.headers);
  return Response.json({ error: { message, code, data: { code, httpStatus: status } } }, { status, headers });
}
