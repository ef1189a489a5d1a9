import { describe, expect, it } from "vitest";
import { createSeriesIdCache } from "./series-id-cache";

describe("series id cache", () => {
  it("keeps ids in use and drops those unused for a whole generation", () => {
    const cache = createSeriesIdCache(60_000);
    cache.advance(0);
    cache.set("live/app", 1);
    cache.set("gone/app", 2);
    cache.advance(60_000); // a new generation: both still found
    expect(cache.get("live/app")).toBe(1);
    cache.advance(120_000); // "gone" was not used during the last generation
    expect(cache.get("live/app")).toBe(1);
    expect(cache.has("gone/app")).toBe(false);
  });
});
