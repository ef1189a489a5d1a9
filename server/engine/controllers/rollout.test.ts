import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newReplicaSetSize, oldScaleDown, proportionalSizes, resolveFenceposts, type RsView } from "./rollout";

describe("rollout arithmetic", () => {
  it("resolves 25% defaults like Kubernetes (surge rounds up, unavailable down, never both 0)", () => {
    expect(resolveFenceposts("25%", "25%", 10)).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(resolveFenceposts("25%", "25%", 1)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(resolveFenceposts(0, "10%", 5)).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });

  it("splits a scale-up proportionally and gives the remainder to the largest", () => {
    const rs = (id: string, replicas: number, revision: number): RsView => ({
      id,
      replicas,
      available: replicas,
      createdAt: revision,
      revision,
      maxReplicas: 13,
    });
    const sizes = proportionalSizes(20, 5, [rs("old", 7, 1), rs("new", 6, 2)]);
    expect((sizes.get("old") ?? 0) + (sizes.get("new") ?? 0)).toBe(25);
    expect(sizes.get("old")).toBeGreaterThan(7);
    expect(proportionalSizes(0, 0, [rs("old", 7, 1), rs("new", 6, 2)])).toEqual(
      new Map([
        ["old", 0],
        ["new", 0],
      ]),
    );
  });

  it("a simulated rollout never breaks the bounds and always completes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom("0%", "10%", "25%", "50%", "100%")),
        fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom("0%", "10%", "25%", "50%", "100%")),
        fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
        (replicas, ms, mu, coin) => {
          const { maxSurge, maxUnavailable } = resolveFenceposts(ms as never, mu as never, replicas);
          const old: RsView = { id: "old", replicas, available: replicas, createdAt: 0, revision: 1, maxReplicas: 0 };
          const neu: RsView = { id: "new", replicas: 0, available: 0, createdAt: 1, revision: 2, maxReplicas: 0 };
          for (let i = 0; i < 200 && !(neu.available === replicas && old.replicas === 0); i++) {
            neu.replicas = newReplicaSetSize(replicas, maxSurge, old.replicas + neu.replicas, neu.replicas);
            const down = oldScaleDown(replicas, maxUnavailable, neu, [old]);
            old.replicas = down.get("old") ?? old.replicas;
            old.available = Math.min(old.available, old.replicas);
            // some new pods become available at random
            if (neu.available < neu.replicas && coin[i]) neu.available++;
            if (i > 150) neu.available = neu.replicas;
            expect(old.replicas + neu.replicas).toBeLessThanOrEqual(replicas + maxSurge);
            expect(old.available + neu.available).toBeGreaterThanOrEqual(replicas - maxUnavailable);
          }
          expect(neu.replicas).toBe(replicas);
          expect(old.replicas).toBe(0);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
