import { describe, expect, it } from "vitest";
import { createEngineTimeStore } from "./engine-time";

describe("engine time store", () => {
  it("runs on from the last note at the heartbeat's rate, and never goes backwards", () => {
    let wall = 1_000;
    const store = createEngineTimeStore(() => wall);
    expect(store.now()).toBeUndefined();
    let told = 0;
    store.subscribe(() => told++);
    store.set(50_000, 10);
    expect(told).toBe(1);
    wall += 500;
    expect(store.now()).toBe(55_000);
    store.set(52_000); // a change note committed a moment ago: older than the clock shown
    expect(store.now()).toBe(55_000);
    store.set(60_000);
    wall += 100;
    expect(store.now()).toBe(61_000);
    expect(told).toBe(1); // readers re-render on their own tick, not on every note
  });

  it("ignores a rate that is not a positive number", () => {
    let wall = 0;
    const store = createEngineTimeStore(() => wall);
    store.set(0, 0);
    wall = 10;
    expect(store.now()).toBe(10);
  });
});
