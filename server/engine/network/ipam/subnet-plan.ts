/**
 * A subnet's address plan inside its VPC. Guarantees: an accepted plan's CIDR lies wholly
 * inside the VPC CIDR, overlaps no sibling subnet, has a prefix of /16 (AWS's largest subnet;
 * an 8 KiB bitmap) to /29, a gateway that is a host address of the subnet (default the first,
 * .1) and excluded ranges inside the subnet, and leaves at least one address to hand out. The
 * network and broadcast addresses, the gateway and the excluded ranges are never allocated.
 * The default subnet of a VPC is its first quarter, but at most a /16 and at least a /24; a
 * VPC of /23 or smaller is one subnet (10.0.0.0/16 → 10.0.0.0/18, leaving three quarters of
 * the VPC for the tenant's own subnets).
 */
import {
  AddressError,
  type Cidr,
  cidrContains,
  cidrsOverlap,
  cidrWithin,
  formatCidr,
  formatIpv4,
  type Ipv4,
  lastAddress,
  parseIpv4,
} from "../ipv4";
import { type AddressRange, formatRange, mergeRanges, parseExcludeEntry, rangesSize } from "./exclude-ips";
import { cidrField, type FieldProblem, prefixAllowed, type Validated } from "./field-problem";
import type { VpcPlan } from "./vpc-plan";

export const SUBNET_PREFIX = { min: 16, max: 29 } as const;
export const MAX_EXCLUDE_ENTRIES = 1_000;
export const DEFAULT_SUBNET_NAME = "default";

export interface SubnetInput {
  readonly name: string;
  /** spec.cidrBlock */
  readonly cidrBlock: string;
  /** spec.gateway; the first host address when absent. */
  readonly gateway?: string;
  /** spec.excludeIps: "a.b.c.d" or "a.b.c.d..e.f.g.h". */
  readonly excludeIps?: readonly string[];
}

export interface SubnetPlan {
  readonly name: string;
  readonly cidr: Cidr;
  readonly gateway: Ipv4;
  /** The excluded ranges, merged and sorted. */
  readonly excluded: readonly AddressRange[];
  /** Addresses the subnet can hand out: all but network, broadcast, gateway and excluded. */
  readonly usable: number;
}

export function defaultSubnetCidr(vpc: Cidr): Cidr {
  const quarter = Math.max(vpc.prefix + 2, SUBNET_PREFIX.min);
  const prefix = quarter > 24 ? vpc.prefix : quarter;
  return { base: vpc.base, prefix, size: 2 ** (32 - prefix) };
}

/** The subnet every VPC starts with (namespaces without a subnet of their own map to it). */
export function defaultSubnetInput(vpc: VpcPlan): SubnetInput {
  return { name: DEFAULT_SUBNET_NAME, cidrBlock: formatCidr(defaultSubnetCidr(vpc.cidr)) };
}

/**
 * Validates a subnet against its VPC and the VPC's other subnets (a sibling with the same
 * name is the subnet's own earlier version and is skipped, so updates pass every subnet).
 */
export function validateSubnetPlan(
  input: SubnetInput,
  vpc: VpcPlan,
  siblings: readonly SubnetPlan[],
): Validated<SubnetPlan> {
  const problems: FieldProblem[] = [];
  const cidr = subnetCidr(input.cidrBlock, vpc.cidr, problems);
  if (!cidr) return { ok: false, problems };
  for (const s of siblings)
    if (s.name !== input.name && cidrsOverlap(s.cidr, cidr))
      problems.push({
        path: "spec.cidrBlock",
        message: `${input.cidrBlock} overlaps subnet "${s.name}" (${formatCidr(s.cidr)}); subnets of a VPC must not overlap`,
      });
  const gateway = subnetGateway(input.gateway, cidr, problems);
  const excluded = excludedRanges(input.excludeIps ?? [], cidr, problems);
  if (gateway === undefined || problems.length > 0) return { ok: false, problems };
  const blocked = mergeRanges([
    ...excluded,
    { first: cidr.base, last: cidr.base },
    { first: lastAddress(cidr), last: lastAddress(cidr) },
    { first: gateway, last: gateway },
  ]);
  const usable = cidr.size - rangesSize(blocked);
  if (usable === 0)
    return {
      ok: false,
      problems: [
        {
          path: "spec.excludeIps",
          message: `excludes every usable address of ${formatCidr(cidr)}; leave at least one`,
        },
      ],
    };
  return { ok: true, plan: { name: input.name, cidr, gateway, excluded, usable } };
}

/**
 * Validates a change to an existing subnet: the CIDR and gateway are fixed once created (pods
 * hold addresses and routes from them, as AWS and Kube-OVN fix them); excludeIps may change.
 * Addresses newly excluded that a pod already holds stay that pod's until it goes (rebuild the
 * allocator with SubnetAllocator.restore(newPlan, allocator.records())).
 */
export function validateSubnetUpdate(
  before: SubnetPlan,
  input: SubnetInput,
  vpc: VpcPlan,
  siblings: readonly SubnetPlan[],
): Validated<SubnetPlan> {
  const result = validateSubnetPlan(input, vpc, siblings);
  if (!result.ok) return result;
  const problems: FieldProblem[] = [];
  if (result.plan.cidr.base !== before.cidr.base || result.plan.cidr.prefix !== before.cidr.prefix)
    problems.push({
      path: "spec.cidrBlock",
      message: `cannot change from ${formatCidr(before.cidr)} to ${input.cidrBlock}; create a new subnet instead`,
    });
  else if (result.plan.gateway !== before.gateway)
    problems.push({
      path: "spec.gateway",
      message: `cannot change from ${formatIpv4(before.gateway)}; pods route through it`,
    });
  return problems.length === 0 ? result : { ok: false, problems };
}

function subnetCidr(text: string, vpc: Cidr, problems: FieldProblem[]): Cidr | undefined {
  const path = "spec.cidrBlock";
  const cidr = cidrField(path, text, problems);
  if (!cidr) return undefined;
  if (!cidrWithin(cidr, vpc)) {
    problems.push({ path, message: `${text} is outside the VPC ${formatCidr(vpc)}` });
    return undefined;
  }
  return prefixAllowed(path, text, cidr, SUBNET_PREFIX, problems) ? cidr : undefined;
}

function subnetGateway(text: string | undefined, cidr: Cidr, problems: FieldProblem[]): Ipv4 | undefined {
  if (text === undefined) return cidr.base + 1;
  const path = "spec.gateway";
  let ip: Ipv4;
  try {
    ip = parseIpv4(text);
  } catch (e) {
    if (!(e instanceof AddressError)) throw e;
    problems.push({ path, message: e.message });
    return undefined;
  }
  const hosts = `${formatIpv4(cidr.base + 1)} to ${formatIpv4(lastAddress(cidr) - 1)}`;
  if (!cidrContains(cidr, ip))
    problems.push({ path, message: `${text} is outside the subnet ${formatCidr(cidr)}; use an address from ${hosts}` });
  else if (ip === cidr.base || ip === lastAddress(cidr))
    problems.push({
      path,
      message: `${text} is the subnet's ${ip === cidr.base ? "network" : "broadcast"} address; use an address from ${hosts}`,
    });
  else return ip;
  return undefined;
}

function excludedRanges(entries: readonly string[], cidr: Cidr, problems: FieldProblem[]): AddressRange[] {
  if (entries.length > MAX_EXCLUDE_ENTRIES) {
    problems.push({
      path: "spec.excludeIps",
      message: `has ${entries.length} entries; at most ${MAX_EXCLUDE_ENTRIES} are allowed (use ranges "a..b")`,
    });
    return [];
  }
  const ranges: AddressRange[] = [];
  entries.forEach((text, i) => {
    const path = `spec.excludeIps[${i}]`;
    let r: AddressRange;
    try {
      r = parseExcludeEntry(text);
    } catch (e) {
      if (!(e instanceof AddressError)) throw e;
      problems.push({ path, message: `${e.message}; write an address or a range "a..b"` });
      return;
    }
    if (!cidrContains(cidr, r.first) || !cidrContains(cidr, r.last))
      problems.push({ path, message: `${formatRange(r)} is not wholly inside the subnet ${formatCidr(cidr)}` });
    else ranges.push(r);
  });
  return mergeRanges(ranges);
}
