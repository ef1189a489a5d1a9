import { describe, expect, it } from "vitest";
import { consoleBatchItems } from "./batch-size";
import { callLimitsFromEnv, createCallLimiter, defaultCallLimits } from "./rate-limit";
import type { Principal } from "../auth/principal";

const user = (id: string): Principal => ({
  kind: "session",
  user: { id, email: `${id}@x.test`, name: id, isOperator: false },
  sessionId: `s-${id}`,
  activeTenantId: null,
});
const token = (id: string): Principal => ({
  kind: "token",
  scope: "tenant",
  user: { id: "owner", email: "o@x.test", name: "o", isOperator: false },
  tokenId: id,
  tokenName: id,
  tenantId: "t",
});

describe("call limits from the environment", () => {
  it("reads positive whole numbers and keeps the defaults otherwise", () => {
    expect(callLimitsFromEnv({})).toEqual(defaultCallLimits);
    expect(
      callLimitsFromEnv({
        RATE_LIMIT_READS_PER_MINUTE: "100",
        RATE_LIMIT_WRITES_PER_MINUTE: "7",
        TRPC_MAX_BATCH_CALLS: "30",
      }),
    ).toMatchObject({ reads: 100, writes: 7, maxBatchCalls: 30 });
    expect(
      callLimitsFromEnv({ RATE_LIMIT_READS_PER_MINUTE: "-1", RATE_LIMIT_WRITES_PER_MINUTE: "lots" }),
    ).toMatchObject({ reads: defaultCallLimits.reads, writes: defaultCallLimits.writes });
  });
  it("never caps batches below what the console sends", () => {
    expect(callLimitsFromEnv({ TRPC_MAX_BATCH_CALLS: "2" }).maxBatchCalls).toBe(consoleBatchItems);
  });
});

describe("call limiter", () => {
  it("counts per account and per token, reads apart from writes, and says when to retry", async () => {
    const limiter = createCallLimiter({ reads: 3, writes: 1, windowSeconds: 60, maxBatchCalls: 10 });
    expect(await limiter.take(user("a"), "read", 3)).toEqual({ ok: true });
    const refused = await limiter.take(user("a"), "read", 1);
    expect(refused).toMatchObject({ ok: false });
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(await limiter.take(user("a"), "write", 1)).toEqual({ ok: true });
    expect(await limiter.take(user("b"), "read", 1)).toEqual({ ok: true });
    expect(await limiter.take(token("t1"), "read", 3)).toEqual({ ok: true });
    expect(await limiter.take(null, "read", 100)).toEqual({ ok: true });
  });
});
