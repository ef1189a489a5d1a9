/**
 * One error type for every patch format, so the API layer maps it to a Kubernetes Status in one place.
 * `status` follows kube-apiserver: a patch body it cannot decode or whose directives are malformed is
 * 400 BadRequest; a well-formed patch that cannot be applied to this object (JSON-patch path missing,
 * failed `test`, a list of lists) is 422; a server-side-apply ownership conflict is 409 (see
 * ApplyConflictError in server-side-apply.ts); more than 10,000 JSON-patch operations is 413.
 */
export type PatchErrorReason = "BadRequest" | "Invalid" | "Conflict" | "RequestEntityTooLarge";
export type PatchErrorStatus = 400 | 409 | 413 | 422;

const STATUS: Record<PatchErrorReason, PatchErrorStatus> = {
  BadRequest: 400,
  Invalid: 422,
  Conflict: 409,
  RequestEntityTooLarge: 413,
};

export class PatchError extends Error {
  readonly reason: PatchErrorReason;
  readonly status: PatchErrorStatus;
  /** Where the patch failed: a JSON pointer for JSON patch, a dotted field path otherwise. */
  readonly path: string | undefined;

  constructor(reason: PatchErrorReason, message: string, path?: string) {
    super(message);
    this.name = "PatchError";
    this.reason = reason;
    this.status = STATUS[reason];
    this.path = path;
  }
}

export function badRequest(message: string, path?: string): PatchError {
  return new PatchError("BadRequest", message, path);
}

export function invalid(message: string, path?: string): PatchError {
  return new PatchError("Invalid", message, path);
}
