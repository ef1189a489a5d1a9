/**
 * Every tenant's network as objects: its Vpc `default` (EngineConfig.vpcCidr) and its default
 * Subnet (the VPC's first quarter, 10.0.0.0/18) are staged with its first namespace, and at load
 * for tenants that have namespaces but lack them (tenants older than the kinds). Guarantees:
 * idempotent (what exists is left as it is; a tenant with a Vpc but no default subnet gets the
 * subnet only when its block is free); the objects describe the plan the tenant already had
 * (tenant-network-plan.ts falls back to the same one), so staging them moves no pod's address.
 */
import { type Ctx, newId } from "../core/context";
import { DEFAULT_VPC_NAME } from "../kinds/vpc";
import { EMPTY_MAP } from "../kinds/types";
import { formatIpv4 } from "./ipv4";
import { DEFAULT_SUBNET_NAME, defaultSubnetInput, validateSubnetPlan } from "./ipam";
import { subnetInputOf, vpcPlanOf } from "./tenant-network-plan";

/** Stages the tenant's default Vpc and Subnet when it has none; returns whether it staged anything. */
export function ensureTenantNetworkObjects(ctx: Ctx, tenantId: string): boolean {
  const { state } = ctx;
  let staged = false;
  const now = ctx.clock.now();
  let vpc = state.ofTenant("Vpc", tenantId)[0];
  if (vpc === undefined) {
    vpc = state.put({
      kind: "Vpc",
      id: defaultId(ctx, "Vpc", "vpc", tenantId),
      tenantId,
      name: DEFAULT_VPC_NAME,
      labels: EMPTY_MAP,
      annotations: EMPTY_MAP,
      spec: { cidrBlock: ctx.config.vpcCidr },
      generation: 1,
      createdAt: now,
      resourceVersion: 0,
    });
    staged = true;
  }
  const subnets = state.ofTenant("Subnet", tenantId);
  if (subnets.some((s) => s.spec.default)) return staged;
  const vpcPlan = vpcPlanOf(vpc);
  if (!vpcPlan.ok || subnets.some((s) => s.name === DEFAULT_SUBNET_NAME)) return staged;
  const siblings = subnets.flatMap((s) => {
    const r = validateSubnetPlan(subnetInputOf(s), vpcPlan.plan, []);
    return r.ok ? [r.plan] : [];
  });
  const planned = validateSubnetPlan(defaultSubnetInput(vpcPlan.plan), vpcPlan.plan, siblings);
  if (!planned.ok) return staged;
  state.put({
    kind: "Subnet",
    id: defaultId(ctx, "Subnet", "subnet", tenantId),
    tenantId,
    name: DEFAULT_SUBNET_NAME,
    labels: EMPTY_MAP,
    annotations: EMPTY_MAP,
    spec: {
      cidrBlock: defaultSubnetInput(vpcPlan.plan).cidrBlock,
      gateway: formatIpv4(planned.plan.gateway),
      namespaces: [],
      default: true,
    },
    generation: 1,
    createdAt: now,
    resourceVersion: 0,
  });
  return true;
}

/**
 * The load-time migration: every tenant with a namespace gets its network objects (staged; the
 * first pass commits them in one batch). Pods keep their addresses: the objects are the plan the
 * allocators were restored with.
 */
export function migrateTenantNetworks(ctx: Ctx): number {
  let tenants = 0;
  for (const tenantId of ctx.state.tenantIds("Namespace")) if (ensureTenantNetworkObjects(ctx, tenantId)) tenants++;
  return tenants;
}

/** A default object's id: derived from its tenant (no RNG draw, so seeded runs keep their names). */
function defaultId(ctx: Ctx, kind: "Vpc" | "Subnet", prefix: string, tenantId: string): string {
  const id = `${prefix}-${tenantId}`;
  return ctx.state.get(kind, id) ? newId(ctx, kind, prefix) : id;
}
