/**
 * One error vocabulary for the whole server. Only an AppError's message reaches a user;
 * anything else is logged and shown as a generic failure with a request id.
 *
 * The message is English; a `detail` (a catalog key, its values, the field it concerns)
 * lets the tRPC error formatter say it in the caller's language instead.
 */
import type { ErrorDetail } from "./engine/core/errors";

export type { ErrorDetail, MessageParam, MessageRef } from "./engine/core/errors";

export const appErrorCodes = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "TOO_MANY_REQUESTS",
  "PAYLOAD_TOO_LARGE",
  "PRECONDITION_FAILED",
] as const;
export type AppErrorCode = (typeof appErrorCodes)[number];

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly detail?: ErrorDetail;
  constructor(code: AppErrorCode, message: string, detail?: ErrorDetail) {
    super(message);
    this.name = "AppError";
    this.code = code;
    if (detail) this.detail = detail;
  }
}

/** `what` is the English name ("Tenant", "Invoice"); readers see it translated. */
export const notFound = (what: string) =>
  new AppError("NOT_FOUND", `${what} not found.`, {
    key: "errors.appNotFound",
    params: { what: { key: `errors.things.${what.toLowerCase()}`, text: what } },
  });
export const forbidden = (message: string) => new AppError("FORBIDDEN", message);
