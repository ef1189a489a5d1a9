/** Maps the AppError vocabulary onto tRPC codes, once. */
import { TRPCError, type TRPCDefaultErrorShape } from "@trpc/server";
import { ZodError } from "zod";
import { isEngineError, type EngineErrorCode } from "../engine";
import { AppError, type AppErrorCode } from "../errors";

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
  CONFLICT: "CONFLICT",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

export function toTRPCError(error: TRPCError, requestId: string): TRPCError {
  const cause = error.cause;
  if (cause instanceof AppError) return new TRPCError({ code: codes[cause.code], message: cause.message, cause });
  if (isEngineError(cause)) return new TRPCError({ code: engineCodes[cause.code], message: cause.message, cause });
  if (cause instanceof ZodError) return new TRPCError({ code: "BAD_REQUEST", message: zodMessage(cause), cause });
  if (error.code !== "INTERNAL_SERVER_ERROR") return error;
  console.error(`[${requestId}] unexpected error`, cause ?? error);
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `Something went wrong on our side (request ${requestId}).` });
}

/** "name: Must be at most 63 characters; replicas: Too big" — short and actionable. */
export function zodMessage(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/** The error shape clients see: tRPC's, plus the precise reason and per-field messages. */
export function formatError({ shape, error }: { shape: TRPCDefaultErrorShape; error: TRPCError }) {
  const zod = error.cause instanceof ZodError ? error.cause : null;
  // The precise reason for scripts (e.g. QUOTA_EXCEEDED, which shares FORBIDDEN with role errors).
  const reason = isEngineError(error.cause) || error.cause instanceof AppError ? error.cause.code : undefined;
  return {
    ...shape,
    data: { ...shape.data, stack: undefined, reason, fieldErrors: zod ? (zod.flatten().fieldErrors as Record<string, string[] | undefined>) : undefined },
  };
}
