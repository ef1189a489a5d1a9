/**
 * Maps the AppError vocabulary onto tRPC codes, once, and says each error in the caller's
 * language (server/i18n/translate.ts: the locale cookie, else Accept-Language, else English).
 * Scripts keep what they rely on: the tRPC code, `data.reason` (e.g. QUOTA_EXCEEDED), and the
 * message as data (`data.detail`: catalog key and values) whatever the language.
 */
import { TRPCError, type TRPCDefaultErrorShape } from "@trpc/server";
import { ZodError } from "zod";
import type { Locale } from "@/i18n/locales";
import { type ErrorDetail, isEngineError, type EngineErrorCode } from "../engine";
import { AppError, type AppErrorCode } from "../errors";
import {
  detailOf,
  fieldLabel,
  issueField,
  issueIsWritten,
  localeOfHeaders,
  localizeDetail,
  localizeIssue,
  translatorFor,
} from "../i18n/translate";

const codes: Record<AppErrorCode, TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
};

/** Kubernetes answers an exceeded quota with 403 Forbidden; we do the same. */
const engineCodes: Record<EngineErrorCode, TRPCError["code"]> = {
  NOT_FOUND: "NOT_FOUND",
  INVALID: "BAD_REQUEST",
  QUOTA_EXCEEDED: "FORBIDDEN",
  GROWTH_FROZEN: "FORBIDDEN",
  CONFLICT: "CONFLICT",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/** `headers`: the request's, for the caller's language (none: English). */
export function toTRPCError(error: TRPCError, requestId: string, headers?: Headers): TRPCError {
  const cause = error.cause;
  const locale = localeOfHeaders(headers);
  if (cause instanceof AppError)
    return new TRPCError({
      code: codes[cause.code],
      message: localizeDetail(detailOf(cause, false), locale, cause.message),
      cause,
    });
  if (isEngineError(cause))
    return new TRPCError({
      code: engineCodes[cause.code],
      message: localizeDetail(detailOf(cause, true), locale, cause.message),
      cause,
    });
  if (cause instanceof ZodError)
    return new TRPCError({ code: "BAD_REQUEST", message: zodMessage(cause, locale), cause });
  if (error.code !== "INTERNAL_SERVER_ERROR") return error;
  console.error(`[${requestId}] unexpected error`, cause ?? error);
  const message = translatorFor(locale)("errors.internal", { requestId });
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message });
}

/** "name: Must be at most 63 characters; replicas: Too big" — short and actionable. */
export function zodMessage(error: ZodError, locale: Locale = "en"): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const message = localizeIssue(issue, locale);
      // A message written for people names its field itself ("Top up at least 1.00.").
      if (!issue.path.length || issueIsWritten(issue)) return message;
      return translatorFor(locale)("errors.fieldMessage", { field: fieldLabel(issue.path.join("."), locale), message });
    })
    .join(translatorFor(locale)("errors.separator"));
}

/** Each field's messages in `locale`, keyed as zod's `flatten()` keys them (the top-level input name). */
export function zodFieldErrors(error: ZodError, locale: Locale): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issueField(issue);
    if (field !== undefined) {
      out[field] ??= [];
      out[field].push(localizeIssue(issue, locale));
    }
  }
  return out;
}

export interface ErrorData {
  /** The precise reason for scripts (e.g. QUOTA_EXCEEDED, which shares FORBIDDEN with role errors). */
  reason?: string;
  /** The message as data, the same in every language. */
  detail?: ErrorDetail;
  /** The input the error concerns, as the thrower names it (e.g. `spec.replicas`). */
  field?: string;
  /** Messages by input name, for forms to show at the field. */
  fieldErrors?: Record<string, string[]>;
}

/** What a client needs beyond the message; shared by the HTTP formatter and the server actions. */
export function errorData(error: TRPCError, locale: Locale): ErrorData {
  const cause = error.cause;
  if (cause instanceof ZodError) return { fieldErrors: zodFieldErrors(cause, locale) };
  const domain = isEngineError(cause) || cause instanceof AppError ? cause : null;
  if (!domain) return {};
  const detail = detailOf(domain, isEngineError(domain));
  const field = detail?.field;
  // Forms name inputs by the last segment of the path (`spec.replicas` → `replicas`).
  const input = field
    ?.split(".")
    .at(-1)
    ?.replace(/\[\d+\]$/, "");
  return {
    reason: domain.code,
    ...(detail ? { detail } : {}),
    ...(field ? { field } : {}),
    ...(input ? { fieldErrors: { [input]: [error.message] } } : {}),
  };
}

/**
 * For server actions (which call procedures through a server-side caller, not over HTTP): the
 * reason, the field, and validation messages by field, in the language of the action's request.
 */
export function actionErrorData(
  error: TRPCError,
  headers: Headers,
): Pick<ErrorData, "reason" | "field" | "fieldErrors"> {
  const { reason, field } = errorData(error, "en");
  const fieldErrors =
    error.cause instanceof ZodError ? zodFieldErrors(error.cause, localeOfHeaders(headers)) : undefined;
  return { ...(reason ? { reason } : {}), ...(field ? { field } : {}), ...(fieldErrors ? { fieldErrors } : {}) };
}

/** The error shape clients see: tRPC's, plus the precise reason, the message as data and per-field messages. */
export function formatError({
  shape,
  error,
  ctx,
}: {
  shape: TRPCDefaultErrorShape;
  error: TRPCError;
  ctx?: { headers?: Headers };
}) {
  return { ...shape, data: { ...shape.data, stack: undefined, ...errorData(error, localeOfHeaders(ctx?.headers)) } };
}
