/**
 * A tenant's network plan read from its objects: the Vpc's block and each Subnet's address plan
 * (network/ipam validators), with the namespace → subnet map. Guarantees: a tenant without a Vpc
 * or without Subnet objects (older than the kinds, or driven directly by a test) has the plan it
 * had before they existed: a VPC of EngineConfig.vpcCidr and its default subnet (10.0.0.0/18 of
 * 10.0.0.0/16) for every namespace; a committed object that no longer validates (it never does:
 * the commands check them) is left out rather than throwing inside an informer.
 */
import type { EngineState } from "../core/state";
import type { SubnetObject } from "../kinds/subnet";
import type { VpcObject } from "../kinds/vpc";
import {
  DEFAULT_SUBNET_NAME,
  defaultSubnetInput,
  formatProblems,
  type SubnetInput,
  type SubnetPlan,
  type Validated,
  type VpcPlan,
  validateSubnetPlan,
  validateVpcPlan,
} from "./ipam";

export interface PlannedSubnet {
  readonly plan: SubnetPlan;
  readonly namespaces: readonly string[];
  readonly isDefault: boolean;
}

export interface TenantNetworkPlan {
  readonly vpc: VpcPlan;
  /** By name; exactly one is the default. */
  readonly subnets: readonly PlannedSubnet[];
}

/** The VPC plan of a block; a configuration error throws with the reasons. */
export function configuredVpcPlan(vpcCidr: string): VpcPlan {
  const vpc = validateVpcPlan({ cidrBlock: vpcCidr });
  if (!vpc.ok) throw new Error(`engine config vpcCidr: ${formatProblems(vpc.problems)}`);
  return vpc.plan;
}

/** The default subnet of a VPC of `vpcCidr`; a configuration error throws with the reasons. */
export function defaultSubnetPlan(vpcCidr: string): SubnetPlan {
  const vpc = configuredVpcPlan(vpcCidr);
  const subnet = validateSubnetPlan(defaultSubnetInput(vpc), vpc, []);
  if (!subnet.ok) throw new Error(`engine config vpcCidr: ${formatProblems(subnet.problems)}`);
  return subnet.plan;
}

/** The ipam input of a Subnet object. */
export const subnetInputOf = (o: SubnetObject): SubnetInput => ({
  name: o.name,
  cidrBlock: o.spec.cidrBlock,
  gateway: o.spec.gateway,
  ...(o.spec.excludeIps ? { excludeIps: o.spec.excludeIps } : {}),
});

export const vpcPlanOf = (o: VpcObject): Validated<VpcPlan> => validateVpcPlan({ cidrBlock: o.spec.cidrBlock });

/** The tenant's plan from its committed (or staged) Vpc and Subnets; `fallbackVpc` when it has none. */
export function tenantNetworkPlan(state: EngineState, tenantId: string, fallbackVpc: VpcPlan): TenantNetworkPlan {
  const vpcObject = state.ofTenant("Vpc", tenantId)[0];
  const read = vpcObject && vpcPlanOf(vpcObject);
  const vpc = read?.ok ? read.plan : fallbackVpc;
  const subnets: PlannedSubnet[] = [];
  for (const o of state.ofTenant("Subnet", tenantId)) {
    const r = validateSubnetPlan(subnetInputOf(o), vpc, []);
    if (r.ok) subnets.push({ plan: r.plan, namespaces: o.spec.namespaces, isDefault: o.spec.default });
  }
  if (!subnets.some((s) => s.isDefault)) {
    const fallback = validateSubnetPlan(defaultSubnetInput(vpc), vpc, []);
    const taken = subnets.some((s) => s.plan.name === DEFAULT_SUBNET_NAME);
    if (fallback.ok && !taken) subnets.push({ plan: fallback.plan, namespaces: [], isDefault: true });
    else if (subnets[0]) subnets[0] = { ...subnets[0], isDefault: true };
  }
  return { vpc, subnets };
}
