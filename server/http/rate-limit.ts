/**
 * Per-caller call limits: each account (all its browser sessions together) and each API token
 * has its own budget of reads (queries) and of writes (mutations) per minute, counted per
 * call, so a batch of ten queries spends ten reads. Counters live in this process (the
 * console runs as one server process); a restart forgets them. Anonymous calls are not
 * counted here: they reach only public procedures, and sign-in has its own throttle. A call
 * carrying a token that does not resolve spends from its client address's budget instead.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Principal } from "../auth/principal";
import { consoleBatchItems } from "./batch-size";

export interface CallLimits {
  /** Queries per caller per window. */
  reads: number;
  /** Mutations per caller per window. */
  writes: number;
  /** Length of a counting window, in seconds. */
  windowSeconds: number;
  /** Most calls one batched tRPC request may carry. */
  maxBatchCalls: number;
}

/** Generous for a person in the console (a monitoring page polls ~1 query/s) and for the test suites. */
export const defaultCallLimits: CallLimits = { reads: 3000, writes: 1200, windowSeconds: 60, maxBatchCalls: 50 };

/**
 * `RATE_LIMIT_READS_PER_MINUTE`, `RATE_LIMIT_WRITES_PER_MINUTE`, `TRPC_MAX_BATCH_CALLS`; unset or
 * invalid keeps the default. The batch cap never goes below what the console itself sends.
 */
export function callLimitsFromEnv(env: Record<string, string | undefined> = process.env): CallLimits {
  const positive = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  return {
    reads: positive("RATE_LIMIT_READS_PER_MINUTE", defaultCallLimits.reads),
    writes: positive("RATE_LIMIT_WRITES_PER_MINUTE", defaultCallLimits.writes),
    windowSeconds: 60,
    maxBatchCalls: Math.max(consoleBatchItems, positive("TRPC_MAX_BATCH_CALLS", defaultCallLimits.maxBatchCalls)),
  };
}

export type CallKind = "read" | "write";
export type LimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface CallLimiter {
  readonly limits: CallLimits;
  /** Spends `calls` of the caller's budget of that kind; refused once the budget is spent. */
  take(principal: Principal | null, kind: CallKind, calls: number): Promise<LimitVerdict>;
  /**
   * Spends from the budget of a client address (null: one we could not learn, shared by all
   * such), for calls whose token did not resolve: a flood of guessed tokens is throttled too.
   */
  takeForAddress(address: string | null, kind: CallKind, calls: number): Promise<LimitVerdict>;
}

export function createCallLimiter(limits: CallLimits): CallLimiter {
  const counters: Record<CallKind, RateLimiterMemory> = {
    read: new RateLimiterMemory({ keyPrefix: "read", points: limits.reads, duration: limits.windowSeconds }),
    write: new RateLimiterMemory({ keyPrefix: "write", points: limits.writes, duration: limits.windowSeconds }),
  };
  async function spend(key: string, kind: CallKind, calls: number): Promise<LimitVerdict> {
    try {
      await counters[kind].consume(key, calls);
      return { ok: true };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
  }
  return {
    limits,
    async take(principal, kind, calls) {
      const key = callerKey(principal);
      return key ? spend(key, kind, calls) : { ok: true };
    },
    takeForAddress: (address, kind, calls) => spend(`address:${address ?? "unknown"}`, kind, calls),
  };
}

/** A token spends its own budget; an account's sessions share one. */
function callerKey(principal: Principal | null): string | null {
  if (!principal) return null;
  return principal.kind === "token" ? `token:${principal.tokenId}` : `user:${principal.user.id}`;
}

const globalKey = Symbol.for("tenant-cloud.call-limiter");
type GlobalWithLimiter = typeof globalThis & { [globalKey]?: CallLimiter };

/**
 * The process's limiter, from the environment. On globalThis because the route handler and
 * the server actions are separate bundles and must spend from the same budgets.
 */
export function sharedCallLimiter(): CallLimiter {
  const g = globalThis as GlobalWithLimiter;
  g[globalKey] ??= createCallLimiter(callLimitsFromEnv());
  return g[globalKey];
}

export function tooManyCallsMessage(kind: CallKind, limits: CallLimits, retryAfterSeconds: number): string {
  const budget = kind === "read" ? `${limits.reads} reads` : `${limits.writes} changes`;
  return `Too many requests: at most ${budget} per ${limits.windowSeconds} s for each account and each API token. Try again in ${retryAfterSeconds} s.`;
}
