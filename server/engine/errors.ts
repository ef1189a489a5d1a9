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

const engineErrorCodes = new Set<string>(["NOT_FOUND", "INVALID", "QUOTA_EXCEEDED", "CONFLICT", "UNAVAILABLE"]);

/**
 * True for an EngineError, also one made by another copy of this module: Next bundles the
 * instrumentation hook (which starts the engine) apart from the route handlers, so
 * `instanceof` alone fails across that line.
 */
export function isEngineError(e: unknown): e is EngineError {
  if (e instanceof EngineError) return true;
  return e instanceof Error && e.name === "EngineError" && engineErrorCodes.has((e as { code?: unknown }).code as string);
}

export function notFound(kind: string, ref: string): EngineError {
  return new EngineError("NOT_FOUND", `${kind} "${ref}" not found`);
}
