/**
 * The engine's one error vocabulary. Commands throw EngineError only; the message is
 * written for the person who caused it and says what to change. When a command throws,
 * nothing it attempted has been committed.
 *
 * The message is English (and, where Kubernetes has one, Kubernetes' own text, for logs and
 * scripts). A `detail` states the same thing as data, so a console can say it in the
 * reader's language and at the field it concerns: a catalog key, its values, the field.
 */
/** GROWTH_FROZEN: the tenant may not add capacity now (billing: overdue past the grace period). */
export type EngineErrorCode = "NOT_FOUND" | "INVALID" | "QUOTA_EXCEEDED" | "GROWTH_FROZEN" | "CONFLICT" | "UNAVAILABLE";

/**
 * A message as data: a catalog key (from the catalog's root, e.g. `errors.quotaExceeded`) and
 * its values. A value may itself be a message (rendered first) or a list of messages (rendered
 * and joined); `text` is what to show when a reader's catalog lacks the key.
 */
export interface MessageRef {
  key: string;
  params?: Record<string, MessageParam>;
  text?: string;
}
export type MessageParam = string | number | MessageRef | MessageRef[];

/** A message as data, and the input field it concerns (a path such as `spec.replicas`), if one. */
export interface ErrorDetail extends MessageRef {
  field?: string;
}

export class EngineError extends Error {
  /**
   * `admission`: the admission rule that refused (Kubernetes' plugin name, `LimitRanger`), when
   * an admission step refused rather than validation: Kubernetes answers those 403 Forbidden,
   * not 422 Invalid, so its API says so; the code stays what the command's callers rely on.
   */
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly detail?: ErrorDetail,
    readonly admission?: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

const engineErrorCodes = new Set<string>([
  "NOT_FOUND",
  "INVALID",
  "QUOTA_EXCEEDED",
  "GROWTH_FROZEN",
  "CONFLICT",
  "UNAVAILABLE",
]);

/**
 * True for an EngineError, also one made by another copy of this module: Next bundles the
 * instrumentation hook (which starts the engine) apart from the route handlers, so
 * `instanceof` alone fails across that line.
 */
export function isEngineError(e: unknown): e is EngineError {
  if (e instanceof EngineError) return true;
  return (
    e instanceof Error && e.name === "EngineError" && engineErrorCodes.has((e as { code?: unknown }).code as string)
  );
}

/** `kind` is the lower-case label (`deployment`, `node pool`); readers see it translated. */
export function notFound(kind: string, ref: string): EngineError {
  return new EngineError("NOT_FOUND", `${kind} "${ref}" not found`, {
    key: "errors.notFound",
    params: { kind: { key: `errors.kinds.${kindKey(kind)}`, text: kind }, ref },
  });
}

/** `node pool` → `nodePool`: catalog keys are camelCase. */
function kindKey(kind: string): string {
  return kind.replace(/ (\w)/g, (_, c: string) => c.toUpperCase());
}
