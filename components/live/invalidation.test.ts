import { describe, expect, it } from "vitest";
import type { LiveNote } from "@/server/live/notes";
import { clusterRules, createBatcher, type Path, tenantRules } from "./invalidation";
import { liveRefreshDue, minLiveRefresh } from "./query-meta";

/** A batcher on a manual wall clock, recording what it invalidates. */
function harness() {
  let now = 0;
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  const invalidated: string[] = [];
  const fetching = new Set<string>();
  const batcher = createBatcher({
    invalidate: (path: Path) => invalidated.push(path.join(".")),
    invalidateAll: () => invalidated.push("*"),
    isFetching: (path) => fetching.has(path.join(".")),
    schedule: (ms, fn) => {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return () => {
        t.live = false;
      };
    },
    now: () => now,
  });
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      now = due.at;
      due.fn();
    }
    now = until;
  };
  return { batcher, invalidated, fetching, advance, pendingTimers: () => timers.filter((t) => t.live).length };
}

const change = (kind: string, name = "x"): LiveNote => ({
  type: "MODIFIED",
  kind,
  name,
  resourceVersion: "7",
  at: 0,
});

describe("live invalidation batcher", () => {
  it("turns a burst of one kind's notes into one invalidation of each path it touches", () => {
    const h = harness();
    for (let i = 0; i < 500; i++) h.batcher.note(change("Pod", `p-${i}`), tenantRules);
    expect(h.invalidated).toEqual([]);
    h.advance(250);
    expect(h.invalidated.sort()).toEqual([
      "billing",
      "deployments",
      "monitoring.usage",
      "namespaces",
      "networks.get",
      "nodes",
      "pods",
      "quota",
      "resourceQuotas",
      "security",
      "services",
    ]);
  });

  it("backs off under sustained churn to one invalidation per 3 s, never dropping the last change", () => {
    const h = harness();
    const runs: number[] = [];
    let now = 0;
    for (; now < 10_000; now += 10) {
      h.batcher.note(change("Event"), tenantRules);
      const before = h.invalidated.length;
      h.advance(10);
      if (h.invalidated.slice(before).includes("events")) runs.push(now + 10);
    }
    h.advance(3_000);
    if (h.invalidated.filter((p) => p === "events").length > runs.length) runs.push(now);
    // 250 ms for the first change, then gaps of 250 ms, 500 ms, 1 s, 2 s and 3 s while the notes keep coming.
    const gaps = runs.map((t, i) => t - (runs[i - 1] ?? 0));
    expect(gaps.slice(0, 6)).toEqual([250, 250, 500, 1000, 2000, 3000]);
    expect(gaps.slice(6).every((g) => g === 3_000)).toBe(true);
    expect(runs.at(-1)).toBeGreaterThanOrEqual(10_000); // the last note's change was fetched
    expect(h.pendingTimers()).toBe(0);
  });

  it("is quick again after a quiet spell", () => {
    const h = harness();
    for (let i = 0; i < 400; i++) {
      h.batcher.note(change("Pod"), tenantRules);
      h.advance(10);
    }
    h.advance(7_000);
    const before = h.invalidated.length;
    h.batcher.note(change("Pod"), tenantRules);
    h.advance(250);
    expect(h.invalidated.length).toBeGreaterThan(before);
  });

  it("waits for an in-flight fetch instead of cancelling it, then invalidates once it settles", () => {
    const h = harness();
    h.fetching.add("pods");
    h.batcher.note(change("ReplicaSet"), tenantRules);
    h.advance(250);
    expect(h.invalidated).toEqual(["deployments"]);
    h.advance(1000);
    expect(h.invalidated).toEqual(["deployments"]);
    h.fetching.delete("pods");
    h.advance(250);
    expect(h.invalidated).toEqual(["deployments", "pods"]);
  });

  it("refetches everything on a resync, and nothing for a kind no page shows", () => {
    const h = harness();
    h.batcher.note(change("Pod"), tenantRules);
    h.batcher.note({ type: "resync", reason: "overflow", at: 0 }, tenantRules);
    h.batcher.note(change("Lease"), tenantRules);
    h.advance(1000);
    expect(h.invalidated).toEqual(["*"]);
  });

  it("refreshes time-driven answers on the heartbeat no more often than their rule says", () => {
    const h = harness();
    for (let t = 0; t < 60_000; t += 5_000) {
      h.batcher.note({ type: "heartbeat", at: t, rate: 1 }, tenantRules);
      h.advance(5_000);
    }
    const summary = h.invalidated.filter((p) => p === "billing.summary").length;
    expect(summary).toBe(4); // 0.25 s, then every 15 s over a minute
  });

  it("refreshes the modelled traffic's views (a pod's network, a group's rule hits) with each round of samples", () => {
    const h = harness();
    h.batcher.note({ type: "metrics", at: 0 }, tenantRules);
    h.advance(1_000);
    expect(h.invalidated).toEqual(expect.arrayContaining(["monitoring.podNetwork", "security.ruleHits"]));
  });

  it("refreshes what a public IP shows: its page, the services it gives an address, and the operators' pool", () => {
    const h = harness();
    h.batcher.note(change("PublicIP", "web-ip"), tenantRules);
    h.advance(250);
    expect(h.invalidated.sort()).toEqual(["billing", "monitoring.podNetwork", "pods", "publicIps", "services"]);
    const ops = harness();
    ops.batcher.note(change("PublicIPPool", "public-1"), clusterRules);
    ops.batcher.note(change("PublicIP", "web-ip"), clusterRules);
    ops.advance(250);
    expect(ops.invalidated.sort()).toEqual(["publicIpsAdmin", "publicIpsAdmin.pools"]);
  });

  it("stop() drops pending work and ignores later notes", () => {
    const h = harness();
    h.batcher.note(change("Pod"), tenantRules);
    h.batcher.stop();
    h.batcher.note(change("Node"), tenantRules);
    h.advance(1000);
    expect(h.invalidated).toEqual([]);
  });
});

describe("liveRefreshDue", () => {
  const query = (meta: Record<string, unknown> | undefined, status = "success", updatedAt = 0) => ({
    meta,
    state: { status, dataUpdatedAt: updatedAt, errorUpdatedAt: updatedAt },
  });

  it("lets a plain query refetch on every note, a throttled one once its interval is (nearly) up", () => {
    expect(liveRefreshDue(query(undefined), 1)).toBe(true);
    expect(liveRefreshDue(query(minLiveRefresh(10_000)), 5_000)).toBe(false);
    expect(liveRefreshDue(query(minLiveRefresh(10_000)), 9_500)).toBe(true);
  });

  it("never refetches a paused query, and retries a failed one at most every 10 s", () => {
    expect(liveRefreshDue(query(minLiveRefresh(false)), 1e12)).toBe(false);
    expect(liveRefreshDue(query(undefined, "error", 0), 5_000)).toBe(false);
    expect(liveRefreshDue(query(undefined, "error", 0), 10_000)).toBe(true);
  });
});
