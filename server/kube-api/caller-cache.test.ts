import { describe, expect, it } from "vitest";
import { credentialEpoch, credentialsMayHaveChanged } from "../auth/credential-epoch";
import type { Caller } from "./auth";
import { createCallerCache } from "./caller-cache";

const caller = { scope: "tenant", tenantId: "t1", username: "a@example.com" } as unknown as Caller;

describe("caller cache", () => {
  it("keeps a caller for its time to live, then resolves again", () => {
    let now = 1_000;
    const cache = createCallerCache({ ttlMs: 5_000, now: () => now });
    cache.set("tc_token", caller, credentialEpoch());
    expect(cache.get("tc_token")).toBe(caller);
    expect(cache.get("tc_other")).toBeUndefined();
    now += 4_999;
    expect(cache.get("tc_token")).toBe(caller);
    now += 1;
    expect(cache.get("tc_token")).toBeUndefined();
  });

  it("drops every caller after any tRPC mutation (a revoke, a role change), and keeps none resolved across one", () => {
    const cache = createCallerCache();
    cache.set("tc_token", caller, credentialEpoch());
    credentialsMayHaveChanged();
    expect(cache.get("tc_token")).toBeUndefined();
    const before = credentialEpoch();
    credentialsMayHaveChanged(); // a revoke lands while this caller was being resolved
    cache.set("tc_token", caller, before);
    expect(cache.get("tc_token")).toBeUndefined();
  });

  it("holds at most maxEntries, the oldest dropped first", () => {
    const cache = createCallerCache({ maxEntries: 2 });
    for (const t of ["a", "b", "c"]) cache.set(t, caller, credentialEpoch());
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("b")).toBe(caller);
    expect(cache.get("c")).toBe(caller);
  });
});
