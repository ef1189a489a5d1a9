/**
 * tRPC: the context, the error formatter and the procedure ladder
 *   publicProcedure → authedProcedure → tenantProcedure(role) → operatorProcedure.
 * Each rung states its guarantees; routers never re-check what a rung already proved.
 * Every mutation, successful or not, writes an audit entry.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { writeAuditEntry } from "@/db/queries/audit";
import { findMembership } from "@/db/queries/tenancy";
import { credentialsMayHaveChanged } from "../auth/credential-epoch";
import { hasRole, type TenantRole } from "../auth/roles";
import { AppError } from "../errors";
import type { AuditScope, Context } from "./context";
import { formatError, toTRPCError } from "./errors";
import { describeUnstorable, findUnstorableText, unstorableDetail } from "./storable-text";

/** Read by the tenant-isolation suite: which rung a procedure stands on, and its least role. */
export interface ProcedureMeta {
  access: "public" | "authed" | "tenant" | "operator";
  minRole?: TenantRole;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter: formatError,
    defaultMeta: { access: "public" },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Maps domain errors to tRPC codes, hides unexpected ones behind a request id, audits mutations.
 * Each call gets its own audit scope: the calls of one batched request run concurrently, and
 * each record must carry the tenant and target of the call it describes.
 */
const boundary = t.middleware(async ({ ctx, next, path, type, getRawInput }) => {
  const audit: AuditScope = {};
  const result = await next({ ctx: { audit } });
  // Any mutation may have revoked a token or changed a role: cached API callers are dropped.
  if (type === "mutation") credentialsMayHaveChanged();
  const error = result.ok ? null : toTRPCError(result.error, ctx.requestId, ctx.headers);
  if (type === "mutation" && ctx.principal) {
    const input = await getRawInput().catch(() => undefined);
    await writeAuditEntry(ctx.services.db, {
      actorId: ctx.principal.user.id,
      actorEmail: ctx.principal.user.email,
      via: ctx.principal.kind === "token" ? `token:${ctx.principal.tokenName}` : "session",
      tenantId: audit.tenantId ?? null,
      action: path,
      target: audit.target ?? describeTarget(input),
      outcome: error ? "failure" : "success",
      detail: error ? { error: error.code } : null,
    }).catch((cause: unknown) => console.error(`[${ctx.requestId}] audit write failed`, cause));
  }
  if (error) throw error;
  return result;
});

/**
 * Refuses, before any procedure sees it, an input holding text no column can store (U+0000,
 * unpaired surrogates), anywhere in it: strings and object keys, however deep. One check for
 * every procedure, so none can pass such text on to the database or the engine.
 */
const storableInput = t.middleware(async ({ next, getRawInput }) => {
  const found = findUnstorableText(await getRawInput());
  if (found) throw new AppError("BAD_REQUEST", describeUnstorable(found), unstorableDetail(found));
  return next();
});

const base = t.procedure.use(boundary).use(storableInput);

/** Anyone. */
export const publicProcedure = base.meta({ access: "public" });

/** A signed-in user (session or API token). `ctx.principal` is set. */
export const authedProcedure = base.meta({ access: "authed" }).use(({ ctx, next }) => {
  if (ctx.principalError) throw ctx.principalError;
  if (!ctx.principal) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
  return next({ ctx: { principal: ctx.principal } });
});

/**
 * A member of the caller's current tenant with at least `minRole`. The tenant comes from the
 * session's active tenant or the token's tenant, never from input; membership is read fresh,
 * so a removed member or a revoked role stops working at once.
 */
export function tenantProcedure(minRole: TenantRole = "viewer") {
  return authedProcedure.meta({ access: "tenant", minRole }).use(async ({ ctx, next }) => {
    const tenantId = ctx.principal.kind === "token" ? ctx.principal.tenantId : ctx.principal.activeTenantId;
    if (!tenantId) throw new AppError("PRECONDITION_FAILED", "Choose a tenant first (create one or switch to one).");
    const membership = await findMembership(ctx.services.db, tenantId, ctx.principal.user.id);
    if (!membership) {
      throw new AppError(
        "FORBIDDEN",
        ctx.principal.kind === "token"
          ? "The token's creator is no longer a member of its tenant."
          : "You are not a member of this tenant.",
      );
    }
    ctx.audit.tenantId = tenantId;
    if (!hasRole(membership.role, minRole)) {
      throw new AppError("FORBIDDEN", `This needs the ${minRole} role or higher; you are ${membership.role}.`);
    }
    const tenant = {
      id: membership.tenantId,
      name: membership.tenantName,
      slug: membership.tenantSlug,
      role: membership.role as TenantRole,
    };
    return next({ ctx: { tenant } });
  });
}

/**
 * An operator of the installation. Tenants never reach these procedures. An operator API token
 * only reads: a leaked script token must not change quotas, grant credit or inject failures.
 */
export const operatorProcedure = authedProcedure.meta({ access: "operator" }).use(({ ctx, next, type }) => {
  if (!ctx.principal.user.isOperator) throw new AppError("FORBIDDEN", "Only operators can do this.");
  if (type !== "query" && ctx.principal.kind === "token")
    throw new AppError("FORBIDDEN", "Operator API tokens read; changes need a signed-in operator.");
  return next();
});

function describeTarget(input: unknown): string | null {
  if (!input || typeof input !== "object") return null;
  const record = input as Record<string, unknown>;
  for (const key of ["id", "name", "email", "memberId", "tokenId", "slug"]) {
    const value = record[key];
    if (typeof value === "string") return value.slice(0, 200);
  }
  return null;
}

export { TRPCError };
