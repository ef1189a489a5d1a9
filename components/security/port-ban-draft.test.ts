import { describe, expect, it } from "vitest";
import { emptyPortBan, portBanFieldOfPath, portBanInput, portBanProblems } from "./port-ban-draft";

describe("the port ban form's checks", () => {
  it("accepts a single port and sends it as a range of one", () => {
    const d = { ...emptyPortBan(), name: "smtp-out", portRangeMin: "25", scope: "public" as const, reason: "spam" };
    expect(portBanProblems(d)).toEqual({});
    expect(portBanInput(d)).toMatchObject({ portRangeMin: 25, portRangeMax: 25, scope: "public" });
  });

  it("refuses at the field what the engine refuses", () => {
    const p = portBanProblems({
      ...emptyPortBan(),
      name: "SMTP",
      portRangeMin: "100",
      portRangeMax: "70000",
      reason: " ",
    });
    expect(p.name).toEqual({ text: expect.stringContaining("RFC 1123") });
    expect(p.portRangeMax).toEqual({ text: expect.stringContaining("between 1 and 65535") });
    expect(p.reason).toEqual({ text: expect.stringContaining("Required value") });
    expect(portBanProblems({ ...emptyPortBan(), portRangeMin: "x" })).toMatchObject({
      portRangeMin: { kind: "notWhole" },
      name: { kind: "required" },
    });
  });

  it("places the server's paths and the validator's on the same boxes", () => {
    expect(portBanFieldOfPath("spec.portRangeMax")).toBe("portRangeMax");
    expect(portBanFieldOfPath("spec.entries[0].id")).toBe("name");
    expect(portBanFieldOfPath("metadata.name")).toBe("name");
    expect(portBanFieldOfPath("spec.other")).toBeNull();
  });
});
