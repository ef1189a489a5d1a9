import { describe, expect, it } from "vitest";
import { sameStatus } from "./bootstrap";
import type { PodStatus } from "../kinds/types";

const status: PodStatus = {
  phase: "Running",
  conditions: [{ type: "Ready", status: "True", reason: "", message: "", lastUpdateTime: 1, lastTransitionTime: 1 }],
  containerStatuses: [
    { name: "app", image: "nginx:1.27", state: { running: { startedAt: 5 } }, ready: true, restartCount: 0 },
  ],
};

describe("sameStatus", () => {
  it("ignores key order (jsonb sorts keys) and when conditions were re-stated", () => {
    const reordered = JSON.parse(
      JSON.stringify({
        containerStatuses: status.containerStatuses,
        conditions: [{ ...status.conditions[0], lastUpdateTime: 99 }],
        phase: "Running",
      }),
    ) as PodStatus;
    expect(sameStatus(status, reordered)).toBe(true);
  });
  it("sees a real change", () => {
    expect(sameStatus(status, { ...status, phase: "Failed" })).toBe(false);
    expect(
      sameStatus(status, { ...status, containerStatuses: [{ ...status.containerStatuses[0]!, restartCount: 1 }] }),
    ).toBe(false);
  });
});
