/**
 * One error type for scripts: every failure of the typed client (a refusal by the server,
 * an unreachable server, a failed rollout) becomes a CloudError with a one-line message.
 */
import { TRPCClientError } from "@trpc/client";

export type CloudErrorCode =
  /** tRPC codes sent by the server (UNAUTHORIZED, FORBIDDEN, NOT_FOUND, BAD_REQUEST, CONFLICT, ...). */
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "BAD_REQUEST"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "TOO_MANY_REQUESTS"
  | "PAYLOAD_TOO_LARGE"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR"
  /** The server could not be reached (after the retries reads get). */
  | "NETWORK"
  /** Something answered that is not this API (wrong URL, a proxy's error page). */
  | "BAD_RESPONSE"
  /** A rollout hit its progress deadline. */
  | "ROLLOUT_FAILED"
  /** A wait gave up. */
  | "TIMEOUT"
  | (string & {});

export class CloudError extends Error {
  override name = "CloudError";
  constructor(
    /** The tRPC code (or NETWORK, BAD_RESPONSE, ROLLOUT_FAILED, TIMEOUT). */
    readonly code: CloudErrorCode,
    message: string,
    /** The precise domain reason when the server gives one, e.g. QUOTA_EXCEEDED. */
    readonly reason?: string,
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** "NOT_FOUND: deployment "web" not found", or with the reason when it says more. */
  toString(): string {
    return `${this.reason && this.reason !== this.code ? this.reason : this.code}: ${this.message}`;
  }
}

export function isCloudError(error: unknown): error is CloudError {
  return error instanceof CloudError;
}

interface ErrorData {
  code?: string;
  httpStatus?: number;
  reason?: string;
}

/** Turns anything the client throws into a CloudError (idempotent). */
export function toCloudError(error: unknown, url?: string): CloudError {
  if (error instanceof CloudError) return error;
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? undefined) as ErrorData | undefined;
    const network = networkCause(error);
    if (network)
      return new CloudError(
        "NETWORK",
        `could not reach the server${url ? ` at ${url}` : ""} (${network})`,
        undefined,
        undefined,
        { cause: error },
      );
    if (data?.code)
      return new CloudError(data.code, oneLine(error.message), data.reason, data.httpStatus, { cause: error });
    const status = (error.meta as { response?: { status?: number } } | undefined)?.response?.status;
    const guard = guardMessage(error);
    if (guard) return new CloudError(guard.code, guard.message, undefined, status, { cause: error });
    return new CloudError(
      "BAD_RESPONSE",
      `the server${url ? ` at ${url}` : ""} did not answer like the cloud console API${status ? ` (HTTP ${status})` : ""}; check the URL`,
      undefined,
      status,
      { cause: error },
    );
  }
  if (error instanceof Error)
    return new CloudError("INTERNAL_SERVER_ERROR", oneLine(error.message), undefined, undefined, { cause: error });
  return new CloudError("INTERNAL_SERVER_ERROR", String(error));
}

/** The guards of the HTTP route answer in plain JSON (not superjson): read them anyway. */
function guardMessage(error: TRPCClientError<never>): { code: string; message: string } | null {
  const body = (error.meta as { responseJSON?: unknown } | undefined)?.responseJSON as
    | { error?: { message?: string; code?: string } }
    | undefined;
  const e = body?.error;
  if (e && typeof e.message === "string" && typeof e.code === "string") return { code: e.code, message: e.message };
  return null;
}

function networkCause(error: TRPCClientError<never>): string | null {
  let cause: unknown = error.cause;
  for (let depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof NetworkFailure) return cause.message;
    const c = cause as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown };
    if (
      typeof c.code === "string" &&
      /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_\w+)$/.test(
        c.code,
      )
    )
      return c.code;
    if (c.name === "TypeError" && c.message === "fetch failed" && !c.cause) return "fetch failed";
    cause = c.cause;
  }
  return null;
}

/** Thrown by the retrying fetch when every attempt failed to reach the server. */
export class NetworkFailure extends Error {
  override name = "NetworkFailure";
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").trim();
}
