import { describe, expect, it } from "vitest";
import { formatCidr, formatIpv4, parseCidr, parseIpv4 } from "../ipv4";
import { formatProblems } from "./field-problem";
import {
  defaultSubnetCidr,
  defaultSubnetInput,
  type SubnetInput,
  type SubnetPlan,
  validateSubnetPlan,
  validateSubnetUpdate,
} from "./subnet-plan";
import { DEFAULT_SERVICE_CIDR, DEFAULT_VPC_CIDR, defaultServiceCidr, validateVpcPlan, type VpcPlan } from "./vpc-plan";

function vpcOf(cidrBlock = DEFAULT_VPC_CIDR): VpcPlan {
  const r = validateVpcPlan({ cidrBlock });
  if (!r.ok) throw new Error(formatProblems(r.problems));
  return r.plan;
}

function subnet(input: SubnetInput, vpc = vpcOf(), siblings: SubnetPlan[] = []): SubnetPlan {
  const r = validateSubnetPlan(input, vpc, siblings);
  if (!r.ok) throw new Error(formatProblems(r.problems));
  return r.plan;
}

function problems(input: SubnetInput, vpc = vpcOf(), siblings: SubnetPlan[] = []): string {
  const r = validateSubnetPlan(input, vpc, siblings);
  return r.ok ? "" : formatProblems(r.problems);
}

describe("VPC plans", () => {
  it("defaults to 10.0.0.0/16 with the service range 10.96.0.0/16 beside it", () => {
    const r = validateVpcPlan({});
    expect(r.ok && formatCidr(r.plan.cidr)).toBe("10.0.0.0/16");
    expect(r.ok && formatCidr(r.plan.serviceCidr)).toBe(DEFAULT_SERVICE_CIDR);
  });

  it("moves the default service range to 172.20.0.0/16 when the VPC covers 10.96.0.0/16", () => {
    expect(formatCidr(defaultServiceCidr(parseCidr("10.0.0.0/8")))).toBe("172.20.0.0/16");
    expect(formatCidr(defaultServiceCidr(parseCidr("172.16.0.0/12")))).toBe("10.96.0.0/16");
    const r = validateVpcPlan({ cidrBlock: "10.0.0.0/8" });
    expect(r.ok && formatCidr(r.plan.serviceCidr)).toBe("172.20.0.0/16");
  });

  it("accepts every private range, so tenants may pick the same CIDR independently", () => {
    for (const cidrBlock of ["10.0.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "10.1.2.0/28"])
      expect(validateVpcPlan({ cidrBlock }).ok).toBe(true);
  });

  it("refuses public, oversized, undersized and malformed VPC ranges with the field and the rule", () => {
    const text = (cidrBlock: string, serviceCidr?: string) => {
      const r = validateVpcPlan({ cidrBlock, ...(serviceCidr ? { serviceCidr } : {}) });
      return r.ok ? "" : formatProblems(r.problems);
    };
    expect(text("203.0.113.0/24")).toBe(
      "spec.cidrBlock: 203.0.113.0/24 is not a private range; use a block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10",
    );
    expect(text("10.0.0.0/7")).toMatch(/^spec.cidrBlock: 10.0.0.0\/7 has prefix \/7; allowed are \/8 to \/28$/);
    expect(text("10.0.0.0/29")).toMatch(/allowed are \/8 to \/28/);
    expect(text("10.0.0.1/16")).toMatch(/did you mean 10.0.0.0\/16/);
    expect(text("10.0.0.0/16", "10.0.128.0/20")).toBe(
      "spec.serviceCidr: 10.0.128.0/20 overlaps the VPC 10.0.0.0/16; services need a range outside it (e.g. 10.96.0.0/16)",
    );
    expect(text("10.0.0.0/16", "10.0.0.0/8")).toMatch(/spec.serviceCidr: .*allowed are \/12 to \/28/);
    expect(text("10.0.0.0/16", "192.168.10.0/24")).toBe("");
  });
});

describe("subnet plans", () => {
  it("takes the gateway at .1 by default and counts what it can hand out", () => {
    const s = subnet({ name: "web", cidrBlock: "10.0.1.0/24" });
    expect(formatIpv4(s.gateway)).toBe("10.0.1.1");
    expect(s.usable).toBe(253);
  });

  it("refuses a subnet outside its VPC with a message the user can act on", () => {
    expect(problems({ name: "web", cidrBlock: "10.1.0.0/24" })).toBe(
      "spec.cidrBlock: 10.1.0.0/24 is outside the VPC 10.0.0.0/16",
    );
    expect(problems({ name: "web", cidrBlock: "9.254.0.0/15" })).toMatch(/outside the VPC/);
  });

  it("refuses overlap with a sibling but not with its own earlier version", () => {
    const db = subnet({ name: "db", cidrBlock: "10.0.0.0/23" });
    expect(problems({ name: "web", cidrBlock: "10.0.1.0/24" }, vpcOf(), [db])).toBe(
      'spec.cidrBlock: 10.0.1.0/24 overlaps subnet "db" (10.0.0.0/23); subnets of a VPC must not overlap',
    );
    expect(problems({ name: "db", cidrBlock: "10.0.0.0/23" }, vpcOf(), [db])).toBe("");
    expect(problems({ name: "web", cidrBlock: "10.0.2.0/24" }, vpcOf(), [db])).toBe("");
  });

  it("bounds the prefix between /16 and /29", () => {
    expect(problems({ name: "s", cidrBlock: "10.0.0.0/30" })).toBe(
      "spec.cidrBlock: 10.0.0.0/30 has prefix /30; allowed are /16 to /29",
    );
    expect(problems({ name: "s", cidrBlock: "10.0.0.0/15" }, vpcOf("10.0.0.0/8"))).toMatch(/allowed are \/16 to \/29/);
    expect(subnet({ name: "s", cidrBlock: "10.0.0.0/29" }).usable).toBe(5);
  });

  it("accepts a gateway that is a host of the subnet and refuses any other", () => {
    expect(formatIpv4(subnet({ name: "s", cidrBlock: "10.0.1.0/24", gateway: "10.0.1.254" }).gateway)).toBe(
      "10.0.1.254",
    );
    expect(problems({ name: "s", cidrBlock: "10.0.1.0/24", gateway: "10.0.2.1" })).toBe(
      "spec.gateway: 10.0.2.1 is outside the subnet 10.0.1.0/24; use an address from 10.0.1.1 to 10.0.1.254",
    );
    expect(problems({ name: "s", cidrBlock: "10.0.1.0/24", gateway: "10.0.1.255" })).toMatch(/broadcast address/);
    expect(problems({ name: "s", cidrBlock: "10.0.1.0/24", gateway: "10.0.1.0" })).toMatch(/network address/);
    expect(problems({ name: "s", cidrBlock: "10.0.1.0/24", gateway: "gw" })).toMatch(/^spec.gateway: "gw" is not/);
  });

  it("reads excludeIps as Kube-OVN does, merging overlaps, and names each bad entry by index", () => {
    const s = subnet({
      name: "s",
      cidrBlock: "10.0.1.0/24",
      excludeIps: ["10.0.1.10..10.0.1.20", "10.0.1.15..10.0.1.30", "10.0.1.31", "10.0.1.1", "10.0.1.200"],
    });
    expect(s.excluded.map((r) => [formatIpv4(r.first), formatIpv4(r.last)])).toEqual([
      ["10.0.1.1", "10.0.1.1"],
      ["10.0.1.10", "10.0.1.31"],
      ["10.0.1.200", "10.0.1.200"],
    ]);
    // 256 − network − broadcast − gateway (also excluded) − 22 − 1
    expect(s.usable).toBe(230);
    expect(
      problems({
        name: "s",
        cidrBlock: "10.0.1.0/24",
        excludeIps: ["10.0.1.5", "10.0.1.20..10.0.1.10", "10.0.2.1", "x"],
      }),
    ).toBe(
      [
        'spec.excludeIps[1]: "10.0.1.20..10.0.1.10" runs backwards; write the lower address first (10.0.1.10..10.0.1.20); write an address or a range "a..b"',
        "spec.excludeIps[2]: 10.0.2.1 is not wholly inside the subnet 10.0.1.0/24",
        'spec.excludeIps[3]: "x" is not an IPv4 address; write an address or a range "a..b"',
      ].join("\n"),
    );
  });

  it("refuses an exclusion that leaves nothing to hand out, and too many entries", () => {
    expect(problems({ name: "s", cidrBlock: "10.0.0.0/29", excludeIps: ["10.0.0.2..10.0.0.6"] })).toBe(
      "spec.excludeIps: excludes every usable address of 10.0.0.0/29; leave at least one",
    );
    const many = Array.from({ length: 1_001 }, (_, i) => formatIpv4(parseIpv4("10.0.0.2") + i));
    expect(problems({ name: "s", cidrBlock: "10.0.0.0/16", excludeIps: many })).toMatch(/at most 1000/);
  });

  it("makes the default subnet the VPC's first quarter, at most a /16, and the whole of a small VPC", () => {
    const of = (vpc: string) => formatCidr(defaultSubnetCidr(parseCidr(vpc)));
    expect(of("10.0.0.0/16")).toBe("10.0.0.0/18");
    expect(of("10.0.0.0/8")).toBe("10.0.0.0/16");
    expect(of("10.0.0.0/22")).toBe("10.0.0.0/24");
    expect(of("10.0.0.0/23")).toBe("10.0.0.0/23");
    expect(of("192.168.7.0/28")).toBe("192.168.7.0/28");
    for (const vpc of ["10.0.0.0/8", "10.0.0.0/16", "192.168.0.0/23", "10.9.9.16/28"]) {
      const v = vpcOf(vpc);
      expect(validateSubnetPlan(defaultSubnetInput(v), v, []).ok).toBe(true);
    }
  });

  it("keeps a subnet's CIDR and gateway fixed on update while excludeIps may change", () => {
    const before = subnet({ name: "s", cidrBlock: "10.0.1.0/24" });
    const update = (input: Omit<SubnetInput, "name">) => {
      const r = validateSubnetUpdate(before, { name: "s", ...input }, vpcOf(), [before]);
      return r.ok ? "" : formatProblems(r.problems);
    };
    expect(update({ cidrBlock: "10.0.1.0/24", excludeIps: ["10.0.1.9"] })).toBe("");
    expect(update({ cidrBlock: "10.0.0.0/23" })).toBe(
      "spec.cidrBlock: cannot change from 10.0.1.0/24 to 10.0.0.0/23; create a new subnet instead",
    );
    expect(update({ cidrBlock: "10.0.1.0/24", gateway: "10.0.1.2" })).toBe(
      "spec.gateway: cannot change from 10.0.1.1; pods route through it",
    );
  });
});
