import { describe, expect, it } from "vitest";
import { byDirectionAndRule, compactCount, decimalBytes, ruleKey, ruleNumber } from "./rule-hits-format";

describe("rule hit formatting", () => {
  it("writes packet counts compactly in the reader's language", () => {
    expect(compactCount(0, "en")).toBe("0");
    expect(compactCount(950.4, "en")).toBe("950");
    expect(compactCount(1234, "en")).toBe("1.2K");
    expect(compactCount(3_456_789, "en")).toBe("3.5M");
    expect(compactCount(12_345, "zh-CN")).toBe("1.2万");
  });

  it("writes bytes in decimal units, never 1000 of one", () => {
    expect(decimalBytes(0)).toBe("0 B");
    expect(decimalBytes(999)).toBe("999 B");
    expect(decimalBytes(1000)).toBe("1 kB");
    expect(decimalBytes(3_400_000)).toBe("3.4 MB");
    expect(decimalBytes(123_456_789)).toBe("123 MB");
    expect(decimalBytes(999_960)).toBe("1 MB");
    expect(decimalBytes(2.5e12)).toBe("2.5 TB");
  });

  it("numbers rules as the editor does and finds them by direction and rule", () => {
    expect(ruleNumber(0)).toBe(1);
    expect(ruleNumber("same-group")).toBeNull();
    const rows = byDirectionAndRule([
      { direction: "ingress", rule: 0, packets: 1 },
      { direction: "egress", rule: 0, packets: 2 },
      { direction: "ingress", rule: "same-group" as const, packets: 3 },
    ]);
    expect(rows.get(ruleKey("egress", 0))?.packets).toBe(2);
    expect(rows.get(ruleKey("ingress", "same-group"))?.packets).toBe(3);
    expect(rows.get(ruleKey("ingress", 1))).toBeUndefined();
  });
});
