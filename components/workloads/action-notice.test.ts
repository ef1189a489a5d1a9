import { describe, expect, it } from "vitest";
import { noticeHolds, type ActionNotice } from "./action-notice";

const restart: ActionNotice = { text: "Restart started", until: "rolledOut", generation: 5 };
const view = (generation: number, state: "Available" | "Progressing" | "Degraded", paused = false) => ({
  generation,
  spec: { paused },
  health: { state },
});

describe("deployment page notices follow the state", () => {
  it("a restart notice holds while its rollout is in progress and goes when it is over", () => {
    expect(noticeHolds(restart, view(4, "Available"))).toBe(true); // data from before the action
    expect(noticeHolds(restart, view(5, "Progressing"))).toBe(true);
    expect(noticeHolds(restart, view(5, "Available"))).toBe(false);
    // Stuck is not "in progress": the page shows what blocks it instead.
    expect(noticeHolds(restart, view(5, "Degraded"))).toBe(false);
  });

  it("a pause notice holds while the deployment stays paused", () => {
    const pause: ActionNotice = { text: "Paused", until: "resumed", generation: 3 };
    expect(noticeHolds(pause, view(3, "Available", true))).toBe(true);
    expect(noticeHolds(pause, view(4, "Available", false))).toBe(false);
  });
});
