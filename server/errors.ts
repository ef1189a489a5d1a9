/**
 * One error vocabulary for the whole server. Only an AppError's message reaches a user;
 * anything else is logged and shown as a generic failure with a request id.
 */
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
  constructor(code: AppErrorCode, message: string) {
    super(message);
    this.name = "AppError";
    this.code = code;
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found.`);
export const forbidden = (message: string) => new AppError("FORBIDDEN", message);
