/** Plans for the IPAM tests, validated the way the kinds will validate them. */
import { formatProblems } from "./field-problem";
import { type SubnetInput, type SubnetPlan, validateSubnetPlan } from "./subnet-plan";
import { validateVpcPlan } from "./vpc-plan";

export function planOf(input: Omit<SubnetInput, "name"> & { name?: string }, vpcCidr = "10.0.0.0/16"): SubnetPlan {
  const vpc = validateVpcPlan({ cidrBlock: vpcCidr });
  if (!vpc.ok) throw new Error(formatProblems(vpc.problems));
  const r = validateSubnetPlan({ name: "default", ...input }, vpc.plan, []);
  if (!r.ok) throw new Error(formatProblems(r.problems));
  return r.plan;
}
