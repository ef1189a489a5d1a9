import { describe, expect, it } from "vitest";
import { HoldQueue } from "./hold-queue";

const drain = (q: HoldQueue, now: number) => {
  const out: number[] = [];
  q.expire(now, (k) => out.push(k));
  return out;
};

describe("HoldQueue", () => {
  it("frees keys in release order exactly when their hold has ended", () => {
    const q = new HoldQueue();
    q.push(7, 1_000);
    q.push(3, 2_000);
    expect(drain(q, 999)).toEqual([]);
    expect(q.nextUntil()).toBe(1_000);
    expect(drain(q, 1_000)).toEqual([7]);
    expect(q.untilOf(3)).toBe(2_000);
    expect(q.untilOf(7)).toBeUndefined();
    expect(drain(q, 5_000)).toEqual([3]);
    expect(q.size).toBe(0);
  });

  it("keeps order and content when it grows past its first capacity, with the ring wrapped", () => {
    const q = new HoldQueue();
    for (let i = 0; i < 10; i++) q.push(i, i);
    expect(drain(q, 4)).toEqual([0, 1, 2, 3, 4]);
    for (let i = 10; i < 100; i++) q.push(i, i);
    expect([...q.entries()].map((e) => e.key)).toEqual(Array.from({ length: 95 }, (_, i) => i + 5));
    expect(drain(q, 99)).toHaveLength(95);
  });

  it("frees a hold late, never early, when the clock steps back", () => {
    const q = new HoldQueue();
    q.push(1, 5_000);
    q.push(2, 3_000);
    expect(drain(q, 4_000)).toEqual([]);
    expect(drain(q, 5_000)).toEqual([1, 2]);
  });
});
