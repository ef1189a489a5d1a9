/**
 * Kubernetes Status errors (meta/v1 Status) and the one mapping from the server's error
 * vocabulary (AppError, EngineError) to them. kubectl prints
 * `Error from server (<reason>): <message>` from these, so reasons and codes follow
 * Kubernetes' api-conventions exactly.
 *
 * Guarantees: every error the Kubernetes API answers is a Status with a 4xx/5xx code; an
 * error that is neither a KubeError, an AppError nor an EngineError becomes a 500
 * InternalError whose message carries only a request id (the cause is logged, not shown).
 */
import { AppError } from "../errors";
import { isEngineError } from "../engine";

export type StatusReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Expired"
  | "Invalid"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "UnsupportedMediaType"
  | "RequestEntityTooLarge"
  | "TooManyRequests"
  | "ServiceUnavailable"
  | "InternalError";

const CODES: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  Invalid: 422,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
  RequestEntityTooLarge: 413,
  TooManyRequests: 429,
  ServiceUnavailable: 503,
  InternalError: 500,
};

export interface StatusCause {
  field?: string;
  message: string;
  reason?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** An error the Kubernetes API answers as a Status; thrown anywhere below the handler. */
export class KubeError extends Error {
  readonly reason: StatusReason;
  readonly details?: StatusDetails;
  readonly headers?: Record<string, string>;
  constructor(reason: StatusReason, message: string, details?: StatusDetails, headers?: Record<string, string>) {
    super(message);
    this.name = "KubeError";
    this.reason = reason;
    if (details) this.details = details;
    if (headers) this.headers = headers;
  }
  get code(): number {
    return CODES[this.reason];
  }
}

export function statusOf(reason: StatusReason, message: string, details?: StatusDetails): KubeStatus {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code: CODES[reason],
  };
}

/** What the error is about (for `details` and Kubernetes-style messages). */
export interface ErrorTarget {
  name?: string;
  group?: string;
  /** The resource (plural) as Kubernetes' messages name it, e.g. `deployments`. */
  resource?: string;
  /** The kind (`Deployment`): what Invalid's details name, as kube-apiserver's do. */
  kind?: string;
}

const qualified = (t: ErrorTarget) => (t.group ? `${t.resource}.${t.group}` : (t.resource ?? ""));

export const notFoundError = (t: ErrorTarget & { name: string; resource: string }) =>
  new KubeError("NotFound", `${qualified(t)} "${t.name}" not found`, detailsOf(t));

export const forbiddenError = (message: string, t: ErrorTarget = {}) =>
  new KubeError("Forbidden", message, detailsOf(t));

export const badRequest = (message: string) => new KubeError("BadRequest", message);

export const invalidError = (t: ErrorTarget & { kind: string; name: string }, causes: StatusCause[]) =>
  new KubeError(
    "Invalid",
    `${t.kind} "${t.name}" is invalid: ${causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(", ")}`,
    { ...detailsOf(t), kind: t.kind, causes: causes.map((c) => ({ reason: "FieldValueInvalid", ...c })) },
  );

function detailsOf(t: ErrorTarget): StatusDetails | undefined {
  if (!t.name && !t.resource) return undefined;
  return { ...(t.name ? { name: t.name } : {}), group: t.group ?? "", ...(t.resource ? { kind: t.resource } : {}) };
}

/** Any thrown value as a Status (see the module's guarantees). */
export function toStatus(
  error: unknown,
  target: ErrorTarget,
  requestId: string,
): { status: KubeStatus; headers?: Record<string, string> } {
  if (error instanceof KubeError)
    return { status: statusOf(error.reason, error.message, error.details), headers: error.headers };
  const details = detailsOf(target);
  if (error instanceof AppError) {
    const reason: StatusReason =
      error.code === "UNAUTHORIZED"
        ? "Unauthorized"
        : error.code === "FORBIDDEN"
          ? "Forbidden"
          : error.code === "NOT_FOUND"
            ? "NotFound"
            : error.code === "CONFLICT"
              ? "Conflict"
              : error.code === "TOO_MANY_REQUESTS"
                ? "TooManyRequests"
                : error.code === "PAYLOAD_TOO_LARGE"
                  ? "RequestEntityTooLarge"
                  : "BadRequest";
    return { status: statusOf(reason, error.message, details) };
  }
  if (isEngineError(error)) {
    const field = error.detail?.field;
    switch (error.code) {
      case "NOT_FOUND":
        return { status: statusOf("NotFound", error.message, details) };
      case "CONFLICT":
        return {
          status: statusOf(/already exists/.test(error.message) ? "AlreadyExists" : "Conflict", error.message, details),
        };
      case "INVALID": {
        // An admission plugin's refusal (LimitRanger) is Forbidden in Kubernetes, not Invalid.
        if (error.admission) return { status: statusOf("Forbidden", error.message, details) };
        // kubectl prints `The <kind> "<name>" is invalid: <field>: <message>` from causes, and
        // nothing but that first part when details carry no causes: so a cause always, its field
        // from the detail or the message's own `path: ` prefix; without either, no details.
        const listed = listedProblems(error.detail);
        if (listed)
          return {
            status: statusOf("Invalid", error.message, {
              ...details,
              ...(target.kind ? { kind: target.kind } : {}),
              causes: listed.map((p) => ({ reason: "FieldValueInvalid", ...p })),
            }),
          };
        const prefix = FIELD_PREFIX.exec(error.message);
        const causeField = field ?? prefix?.[1];
        const causeMessage = !field && prefix?.[2] ? prefix[2] : error.message;
        return {
          status: statusOf(
            "Invalid",
            error.message,
            causeField
              ? {
                  ...details,
                  ...(target.kind ? { kind: target.kind } : {}),
                  causes: [{ reason: "FieldValueInvalid", message: causeMessage, field: causeField }],
                }
              : undefined,
          ),
        };
      }
      case "QUOTA_EXCEEDED":
      case "GROWTH_FROZEN":
        return { status: statusOf("Forbidden", error.message, details) };
      case "UNAVAILABLE":
        return { status: statusOf("ServiceUnavailable", error.message, details) };
    }
  }
  console.error(`[kube-api ${requestId}] unexpected error`, error);
  return { status: statusOf("InternalError", `Internal error (request id ${requestId}).`) };
}

/** `spec.ingressRules[0].priority: Invalid value: …` → the field, then the rest. */
const FIELD_PREFIX = /^([A-Za-z][\w.]*(?:\[\d+\][\w.]*)*): (.+)$/s;

/**
 * The problems an INVALID engine error lists one by one (the network room's invalidObjectError:
 * `errors.invalidObject` with every problem, `field: message`, joined by "; "), each as a cause, so
 * kubectl prints every field once instead of the whole sentence behind the first field.
 */
function listedProblems(detail: { key?: string; params?: Record<string, unknown> } | undefined) {
  const problems = detail?.key === "errors.invalidObject" ? detail.params?.problems : undefined;
  if (typeof problems !== "string" || problems === "") return undefined;
  return problems.split("; ").map((text) => {
    const m = FIELD_PREFIX.exec(text);
    return m ? { field: m[1] as string, message: m[2] as string } : { message: text };
  });
}

/** Runs `fn`, turning an engine or app error into a KubeError about `target` (for creates, whose name is in the body). */
export async function aboutTarget<T>(target: ErrorTarget, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof KubeError || !(error instanceof AppError || isEngineError(error))) throw error;
    const { status } = toStatus(error, target, "");
    throw new KubeError(status.reason, status.message, status.details);
  }
}

/** A Status as an HTTP response. */
export function statusResponse(status: KubeStatus, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(status), {
    status: status.code,
    headers: { "content-type": "application/json", ...headers },
  });
}
