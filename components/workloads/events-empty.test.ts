import { describe, expect, it } from "vitest";
import { emptyEventsMessage } from "./events-empty";

const HOUR = 3_600_000;

describe("an empty events list", () => {
  it("says nothing happened yet only for an object younger than the retention", () => {
    expect(emptyEventsMessage(10 * HOUR, 10 * HOUR - 60_000)).toEqual({ key: "empty" });
  });
  it("says events of an older object may have expired, naming how long they are kept", () => {
    expect(emptyEventsMessage(10 * HOUR, 8 * HOUR)).toEqual({ key: "emptyExpired", values: { hours: 1 } });
    expect(emptyEventsMessage(10 * HOUR, 8 * HOUR, 2 * HOUR)).toEqual({ key: "emptyExpired", values: { hours: 2 } });
  });
  it("says the same when the object's age is unknown", () => {
    expect(emptyEventsMessage(null, 0)).toEqual({ key: "emptyExpired", values: { hours: 1 } });
    expect(emptyEventsMessage(10 * HOUR, undefined)).toEqual({ key: "emptyExpired", values: { hours: 1 } });
  });
});
