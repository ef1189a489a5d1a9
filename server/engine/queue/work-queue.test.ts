import { describe, expect, it } from "vitest";
import { createVirtualClock } from "./clock";
import { createRng } from "./rng";
import { createTimerSet } from "./timers";
import { createWorkQueue } from "./work-queue";

const make = (mode: "priority" | "fifo" = "priority") => {
  const clock = createVirtualClock(0);
  const q = createWorkQueue({ name: "q", timers: createTimerSet(clock), rng: createRng(7), mode });
  const drain = () => {
    const out: string[] = [];
    for (let k = q.get(); k !== undefined; k = q.get()) {
      out.push(k);
      q.done(k);
    }
    return out;
  };
  return { clock, q, drain };
};

describe("work queue", () => {
  it("de-duplicates keys", () => {
    const { q, drain } = make();
    q.add("a");
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.len().total).toBe(2);
    expect(drain()).toEqual(["a", "b"]);
  });

  it("hands out Add > Update > Delete > SyncAll, FIFO within a priority", () => {
    const { q, drain } = make();
    q.add("s1", "syncAll");
    q.add("d1", "delete");
    q.add("u1", "update");
    q.add("a1", "add");
    q.add("u2", "update");
    q.add("a2", "add");
    expect(q.len()).toMatchObject({ add: 2, update: 2, delete: 1, syncAll: 1, total: 6 });
    expect(drain()).toEqual(["a1", "a2", "u1", "u2", "d1", "s1"]);
  });

  it("tells the priority of the next key without taking it", () => {
    const { q } = make();
    expect(q.peekPriority()).toBeUndefined();
    q.add("s1", "syncAll");
    expect(q.peekPriority()).toBe("syncAll");
    q.add("u1", "update");
    expect(q.peekPriority()).toBe("update");
    expect(q.get()).toBe("u1");
    expect(q.peekPriority()).toBe("syncAll");
    const fifo = make("fifo").q;
    fifo.add("s", "syncAll");
    fifo.add("a", "add");
    expect(fifo.peekPriority()).toBe("syncAll");
  });

  it("promotes a key re-queued at a higher priority and never demotes it", () => {
    const { q, drain } = make();
    q.add("x", "syncAll");
    q.add("y", "update");
    q.add("x", "add");
    q.add("y", "syncAll");
    expect(q.len()).toMatchObject({ add: 1, update: 1, syncAll: 0 });
    expect(drain()).toEqual(["x", "y"]);
  });

  it("never hands a key out twice at once; a key added while processing is re-queued on done()", () => {
    const { q } = make();
    q.add("k");
    expect(q.get()).toBe("k");
    q.add("k", "delete");
    q.add("k", "add");
    expect(q.get()).toBeUndefined();
    expect(q.len().processing).toBe(1);
    q.done("k");
    expect(q.len()).toMatchObject({ add: 1, total: 1 });
    expect(q.get()).toBe("k");
    q.done("k");
    expect(q.get()).toBeUndefined();
  });

  it("real-time work is not stuck behind a large resync", () => {
    const { q } = make();
    for (let i = 0; i < 10_000; i++) q.add(`s${i}`, "syncAll");
    q.add("urgent", "add");
    expect(q.get()).toBe("urgent");
  });

  it("retries with exponential back-off, jitter from the RNG, and forget() resets it", () => {
    const { q, clock } = make();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t0 = clock.now();
      q.addRateLimited("k");
      expect(q.get()).toBeUndefined();
      expect(q.len().delayed).toBe(1);
      clock.runUntilIdle(1e9);
      expect(q.get()).toBe("k");
      q.done("k");
      delays.push(clock.now() - t0);
    }
    expect(q.numRequeues("k")).toBe(6);
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(5 * 2 ** i);
      expect(d).toBeLessThanOrEqual(Math.ceil(5 * 2 ** i * 1.1));
    });
    q.forget("k");
    expect(q.numRequeues("k")).toBe(0);
  });

  it("caps back-off at 1000 s", () => {
    const { q, clock } = make();
    for (let i = 0; i < 30; i++) q.addRateLimited("k");
    const t0 = clock.now();
    q.addRateLimited("k");
    clock.runUntilIdle(1e10);
    expect(clock.now() - t0).toBeLessThanOrEqual(1_100_000);
  });

  it("fifo mode keeps dedupe but ignores priorities", () => {
    const { q, drain } = make("fifo");
    q.add("s", "syncAll");
    q.add("a", "add");
    q.add("s", "add");
    expect(q.len()).toMatchObject({ add: 2, total: 2 });
    expect(drain()).toEqual(["s", "a"]);
  });
});
