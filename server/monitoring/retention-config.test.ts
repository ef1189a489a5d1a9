import { describe, expect, it } from "vitest";
import { HOUR, MINUTE } from "@/db/queries/monitoring";
import { defaultRetention } from "./jobs";
import { parseRetention } from "./retention-config";

describe("METRICS_RETENTION", () => {
  it("keeps the defaults when unset and overrides only what it names", () => {
    expect(parseRetention(undefined)).toEqual(defaultRetention);
    expect(parseRetention(" minute=26h, raw=90m ")).toEqual({
      ...defaultRetention,
      rawMs: 90 * MINUTE,
      minuteMs: 26 * HOUR,
    });
  });

  it("refuses what it cannot read, naming the part", () => {
    expect(() => parseRetention("minute=2w")).toThrow(/cannot read "minute=2w"/);
    expect(() => parseRetention("raw=0h")).toThrow(/cannot read "raw=0h"/);
    expect(() => parseRetention("hourly=3d")).toThrow(/cannot read "hourly=3d"/);
    expect(() => parseRetention("raw=8d")).toThrow(/no longer than minute rollups/);
  });
});
