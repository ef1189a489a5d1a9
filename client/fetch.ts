/**
 * A fetch that retries what is safe to retry:
 *  - reads (GET: tRPC queries) on network failures and on 502/503/504, with back-off;
 *  - writes (POST: tRPC mutations) only when the connection was never made (refused, DNS),
 *    since then the server cannot have acted; a write that may have reached the server is
 *    never retried blindly.
 * When every attempt fails it throws NetworkFailure("ECONNREFUSED after 3 attempts").
 */
import { NetworkFailure } from "./errors";

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface RetryOptions {
  /** Attempts in all (default 3). 1 disables retries. */
  attempts?: number;
  /** First back-off; doubles each time, with up to 50 % jitter (default 200 ms). */
  baseDelayMs?: number;
}

const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const RETRY_STATUS = new Set([502, 503, 504]);

export function retryingFetch(base: FetchLike, options: RetryOptions = {}): FetchLike {
  const attempts = Math.max(1, Math.floor(options.attempts ?? 3));
  const baseDelay = options.baseDelayMs ?? 200;
  return async (input, init) => {
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const read = method === "GET" || method === "HEAD";
    let lastCode = "network error";
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      try {
        const response = await base(input, init);
        if (!read || last || !RETRY_STATUS.has(response.status)) return response;
      } catch (error) {
        if (init?.signal?.aborted) throw error;
        const code = errorCode(error);
        lastCode = code ?? innermostMessage(error);
        const retryable = read || (code !== undefined && NOT_CONNECTED.has(code));
        if (last || !retryable)
          throw new NetworkFailure(attempt > 1 ? `${lastCode} after ${attempt} attempts` : lastCode, { cause: error });
      }
      const delay = baseDelay * 2 ** (attempt - 1);
      await sleep(delay + Math.random() * delay * 0.5);
    }
  };
}

/** Node's fetch wraps the socket error: TypeError("fetch failed", { cause: { code } }). */
export function errorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const inner = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.length) {
      const found = errorCode(inner[0]);
      if (found) return found;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function innermostMessage(error: unknown): string {
  let e: unknown = error;
  let message = String(error);
  for (let depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error) message = e.message;
    e = (e as { cause?: unknown }).cause;
  }
  return message;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
