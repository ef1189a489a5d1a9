import { describe, expect, it } from "vitest";
import { createVirtualClock } from "./clock";
import { createTimerSet } from "./timers";

describe("virtual clock", () => {
  it("fires timers in due order, ties in creation order, with now() = due time", () => {
    const c = createVirtualClock(1000);
    const seen: [string, number][] = [];
    c.setTimer(1300, () => seen.push(["c", c.now()]));
    c.setTimer(1100, () => seen.push(["a", c.now()]));
    c.setTimer(1100, () => seen.push(["b", c.now()]));
    c.advance(250);
    expect(seen).toEqual([
      ["a", 1100],
      ["b", 1100],
    ]);
    expect(c.now()).toBe(1250);
    c.advance(100);
    expect(seen.map((s) => s[0])).toEqual(["a", "b", "c"]);
  });

  it("honours timers created while firing if they are due, and never fires a cleared timer", () => {
    const c = createVirtualClock(0);
    const seen: number[] = [];
    c.setTimer(10, () => {
      seen.push(c.now());
      c.setTimer(15, () => seen.push(c.now()));
      c.setTimer(5, () => seen.push(c.now())); // in the past: fires now, after this one
      c.setTimer(50, () => seen.push(c.now()));
    });
    const h = c.setTimer(12, () => seen.push(-1));
    c.clearTimer(h);
    c.advance(20);
    expect(seen).toEqual([10, 10, 15]);
    expect(c.pendingTimers()).toBe(1);
    expect(c.nextTimerAt()).toBe(50);
    c.runUntilIdle(1000);
    expect(seen).toEqual([10, 10, 15, 50]);
  });

  it("fires 200k timers in time order", () => {
    const c = createVirtualClock(0);
    let last = -1;
    let ok = true;
    let n = 0;
    for (let i = 0; i < 200_000; i++) {
      c.setTimer(Math.floor(((i * 7919) % 200_003) / 3), () => {
        if (c.now() < last) ok = false;
        last = c.now();
        n++;
      });
    }
    // Speed is the benchmarks' business (a wall-clock bound here only fails on a busy machine).
    c.runUntilIdle(1e9);
    expect(n).toBe(200_000);
    expect(ok).toBe(true);
  });

  it("timer set counts work timers but not background ones", () => {
    const c = createVirtualClock(0);
    const t = createTimerSet(c);
    t.after(10, () => undefined);
    const h = t.after(20, () => undefined);
    t.after(5, () => undefined, { background: true });
    expect(t.pendingWork()).toBe(2);
    t.cancel(h);
    expect(t.pendingWork()).toBe(1);
    c.advance(10);
    expect(t.pendingWork()).toBe(0);
  });
});
