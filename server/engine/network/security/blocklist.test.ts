import { describe, expect, it } from "vitest";
import { assertValidBlocklist, Blocklist, type BlocklistEntry, blocklistProblems } from "./blocklist";

const smtp: BlocklistEntry = {
  id: "smtp-out",
  protocol: "tcp",
  portRangeMin: 25,
  portRangeMax: 25,
  scope: "public",
  reason: "outbound SMTP is banned against spam",
};
const netbios: BlocklistEntry = {
  id: "netbios",
  protocol: "udp",
  portRangeMin: 137,
  portRangeMax: 139,
  reason: "NetBIOS worms",
};
const wide: BlocklistEntry = {
  id: "low-tcp",
  protocol: "tcp",
  portRangeMin: 1,
  portRangeMax: 30,
  reason: "legacy services",
};

describe("operator blocklist", () => {
  it("bans a port range per protocol, everywhere by default", () => {
    const b = new Blocklist([netbios]);
    expect(b.match("udp", 137, false)).toBe(0);
    expect(b.match("udp", 139, true)).toBe(0);
    expect(b.match("udp", 140, false)).toBe(-1);
    expect(b.match("tcp", 137, false)).toBe(-1);
    expect(b.match("icmp", 0, false)).toBe(-1);
  });

  it("bans a public-scope port only on flows that cross the public network", () => {
    const b = new Blocklist([smtp]);
    expect(b.match("tcp", 25, true)).toBe(0);
    expect(b.match("tcp", 25, false)).toBe(-1);
  });

  it("reports the first entry in list order where entries overlap", () => {
    expect(new Blocklist([smtp, wide]).match("tcp", 25, true)).toBe(0);
    expect(new Blocklist([smtp, wide]).match("tcp", 25, false)).toBe(1);
    expect(new Blocklist([wide, smtp]).match("tcp", 25, true)).toBe(0);
  });

  it("validates entries with field paths", () => {
    const problems = blocklistProblems([
      smtp,
      { ...smtp, portRangeMin: 0, portRangeMax: 70000 },
      { ...netbios, id: "Bad Id", protocol: "icmp" as "tcp", reason: " " },
      { ...netbios, portRangeMin: 200, portRangeMax: 100 },
    ]);
    expect(problems.map((p) => p.field)).toEqual([
      "spec.entries[1].id",
      "spec.entries[1].portRangeMin",
      "spec.entries[1].portRangeMax",
      "spec.entries[2].id",
      "spec.entries[2].protocol",
      "spec.entries[2].reason",
      "spec.entries[3].portRangeMax",
    ]);
    expect(problems[0]?.message).toContain('Duplicate value: "smtp-out" is also spec.entries[0].id');
    expect(() => assertValidBlocklist([{ ...smtp, reason: "" }])).toThrow(/spec.entries\[0\].reason: Required value/);
    expect(assertValidBlocklist([smtp, netbios])).toHaveLength(2);
  });
});
