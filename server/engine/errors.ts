/**
 * The engine's one error vocabulary. Commands throw EngineError only; the message is
 * written for the person who caused it and says what to change. When a command throws,
 * nothing it attempted has been committed.
 */
export type EngineErrorCode = "NOT_FOUND" | "INVALID" | "QUOTA_EXCEEDED" | "CONFLICT" | "UNAVAILABLE";

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

export function notFound(kind: string, ref: string): EngineError {
  return new EngineError("NOT_FOUND", `${kind} "${ref}" not found`);
}
