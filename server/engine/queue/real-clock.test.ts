/**
 * The server runs the engine on the real clock. These tests drive that path with
 * vitest's fake timers (no real waiting): createRealClock's timers and the engine's
 * background worker loop must work without settle().
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRealClock } from "./clock";
import { createEngine } from "../api/engine";
import { createRng } from "./rng";
import { createMemoryStore } from "../store/store";
import { livePods, webDeployment } from "../test-kit";

afterEach(() => {
  vi.useRealTimers();
});

describe("real clock", () => {
  it("fires timers at their time, in order, and not after clearTimer", () => {
    vi.useFakeTimers({ now: 1_000 });
    const c = createRealClock();
    const seen: number[] = [];
    c.setTimer(1_500, () => seen.push(c.now()));
    c.setTimer(1_200, () => seen.push(c.now()));
    const h = c.setTimer(1_300, () => seen.push(-1));
    c.clearTimer(h);
    vi.advanceTimersByTime(600);
    expect(seen).toEqual([1_200, 1_500]);
  });

  it("runs scale times faster when scaled, firing timers at their engine time", () => {
    vi.useFakeTimers({ now: 1_000 });
    const c = createRealClock(10);
    const seen: number[] = [];
    c.setTimer(11_000, () => seen.push(c.now())); // 10 s of engine time = 1 s of wall time
    vi.advanceTimersByTime(999);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([11_000]);
    expect(() => createRealClock(0.5)).toThrow(RangeError);
  });

  it("runs the engine in the background: a deployment becomes Running without settle()", async () => {
    // Timers and the date are faked; setImmediate stays real: the engine runs waiting commands
    // together after one turn of the event loop (core.ts `command`), as the process does.
    vi.useFakeTimers({
      now: Date.UTC(2026, 0, 1),
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    const store = createMemoryStore();
    const engine = createEngine({ store, clock: createRealClock(), rng: createRng(3), log: () => undefined });
    await engine.start();
    await engine.createNodePool("t", {
      name: "p",
      machineType: "4c8g",
      minSize: 1,
      maxSize: 1,
      trimmedImage: true,
      staticIp: true,
    });
    await engine.createDeployment("t", webDeployment("web", 2));
    await vi.advanceTimersByTimeAsync(60_000);
    await engine.whenIdle();
    const pods = livePods(engine, "t", "web");
    expect(pods).toHaveLength(2);
    expect(pods.every((p) => p.status.phase === "Running")).toBe(true);
    expect(store.snapshot().Pod).toHaveLength(2);
    await expect(engine.settle()).rejects.toMatchObject({ code: "INVALID" });
    await engine.stop();
  });
});
