/**
 * Network commands and queries: a tenant's Vpc and Subnets (its own, outside namespaces), in the
 * shape of security-commands.ts. Guarantees:
 * - A tenant has exactly one Vpc, `default` (made with its first namespace); a second, or one of
 *   another name, is INVALID. Its CIDR may change only while every subnet still fits (INVALID
 *   naming the subnet); it cannot be deleted while it has subnets (CONFLICT).
 * - A Subnet's block lies inside the VPC and overlaps no other subnet of the tenant; its gateway
 *   and excludeIps lie inside it (network/ipam validators: INVALID with the field path, the first
 *   in the error's detail). A namespace is named by at most one subnet (INVALID naming it and the
 *   other subnet). Exactly one subnet is the default: marking one default takes it from the
 *   other in the same commit; un-marking the default is INVALID; the default cannot be deleted.
 * - Changing `spec.namespaces` affects new pods only: running pods keep their addresses. A subnet
 *   holding a live pod's address cannot be deleted, nor its block changed to exclude it
 *   (CONFLICT naming the pod).
 * - Names are unique per tenant: create of a taken name is CONFLICT, replace or delete of a
 *   missing one (or another tenant's) NOT_FOUND, a stale `resourceVersion` CONFLICT.
 * - `status` is computed at read: a Vpc's subnets; a Subnet's usage from the leader's IPAM and
 *   the namespaces its new pods come from. `dryRun`: checked as the write, nothing stored.
 */
import { type Ctx, newId } from "../core/context";
import type { EngineCore } from "../core/core";
import { EngineError } from "../core/errors";
import { checkResourceVersion, checkTenant, mustFind, type Page, paginate } from "../core/lookup";
import { type SubnetInput, type SubnetObject, type SubnetSpec, subnetSchema } from "../kinds/subnet";
import type { Pod } from "../kinds/types";
import { dnsName, parseInput } from "../kinds/validation";
import { DEFAULT_VPC_NAME, type VpcInput, type VpcObject, vpcSchema } from "../kinds/vpc";
import { cidrContains, cidrWithin, formatCidr, formatIpv4, parseCidr, parseIpv4 } from "../network/ipv4";
import {
  type FieldProblem as IpamProblem,
  type SubnetPlan,
  type VpcPlan,
  validateSubnetPlan,
  validateVpcPlan,
} from "../network/ipam";
import { type FieldProblem, invalidObjectError } from "../network/security";
import { ensureTenantNetworkObjects } from "../network/tenant-network-objects";
import { subnetInputOf, vpcPlanOf } from "../network/tenant-network-plan";
import { commandOrDryRun, type DryRunOption } from "./dry-run";
import type { ListOptions } from "./queries";
import { putReplacement, storedMap } from "./replace-object";

const VPC_KIND = "Vpc.cloud.tenant.io";
const SUBNET_KIND = "Subnet.cloud.tenant.io";

const forbidResourceVersion = (rv: number | undefined) => {
  if (rv !== undefined)
    throw new EngineError("INVALID", "resourceVersion: Forbidden: may not be set on objects to be created");
};
/** An ipam problem as the API server words a field problem. */
const fieldProblem = (p: IpamProblem): FieldProblem => ({
  field: p.path,
  message: `${p.path}: Invalid value: ${p.message}`,
});

/** The namespaces each subnet serves now: its own list, and for the default every namespace no subnet names. */
export function servedNamespaces(ctx: Ctx, tenantId: string): Map<string, string[]> {
  const subnets = ctx.state.ofTenant("Subnet", tenantId);
  const named = new Set(subnets.flatMap((s) => s.spec.namespaces));
  const rest = ctx.state
    .ofTenant("Namespace", tenantId)
    .map((n) => n.name)
    .filter((n) => !named.has(n));
  return new Map(
    subnets.map((s) => [s.name, [...new Set([...s.spec.namespaces, ...(s.spec.default ? rest : [])])].sort()]),
  );
}

/** The tenant's subnets with their status (usage from the IPAM now), by name. */
export function subnetsWithStatus(ctx: Ctx, tenantId: string): SubnetObject[] {
  const served = servedNamespaces(ctx, tenantId);
  const now = ctx.clock.now();
  return ctx.state
    .ofTenant("Subnet", tenantId)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => withSubnetStatus(ctx, s, served, now));
}

function withSubnetStatus(ctx: Ctx, s: SubnetObject, served: Map<string, string[]>, now: number): SubnetObject {
  const u = ctx.addresses.usage(s.tenantId, s.name, now);
  return {
    ...s,
    status: {
      usable: u?.usable ?? 0,
      used: u?.used ?? 0,
      onHold: u?.onHold ?? 0,
      free: u?.free ?? 0,
      namespaces: served.get(s.name) ?? [],
    },
  };
}

/** The tenant's pods holding an address inside `cidr` (and, with `outside`, not inside it). */
function podsIn(ctx: Ctx, tenantId: string, inside: SubnetPlan["cidr"], outside?: SubnetPlan["cidr"]): Pod[] {
  const found: Pod[] = [];
  for (const p of ctx.state.ofTenant("Pod", tenantId)) {
    if (p.podIP === undefined) continue;
    const ip = parseIpv4(p.podIP);
    if (cidrContains(inside, ip) && (outside === undefined || !cidrContains(outside, ip))) found.push(p);
  }
  return found.sort((a, b) => a.createdAt - b.createdAt);
}

export function networkCommands(core: EngineCore) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;

  const vpcWithStatus = (v: VpcObject): VpcObject => ({
    ...v,
    status: {
      subnets: state
        .ofTenant("Subnet", v.tenantId)
        .map((s) => s.name)
        .sort(),
    },
  });

  /** The tenant's VPC plan (its default objects staged first when it has none). */
  function vpcPlanFor(tenantId: string): VpcPlan {
    ensureTenantNetworkObjects(ctx, tenantId);
    const vpc = state.ofTenant("Vpc", tenantId)[0];
    const r = vpc && vpcPlanOf(vpc);
    if (!r?.ok)
      throw new EngineError("CONFLICT", `the tenant has no valid VPC; fix vpcs.cloud.tenant.io "${DEFAULT_VPC_NAME}"`);
    return r.plan;
  }

  function checkVpc(tenantId: string, name: string, cidrBlock: string): VpcPlan {
    const r = validateVpcPlan({ cidrBlock });
    if (!r.ok) throw invalidObjectError(VPC_KIND, name, r.problems.map(fieldProblem));
    const outside = state
      .ofTenant("Subnet", tenantId)
      .find((s) => !cidrWithin(parseCidr(s.spec.cidrBlock), r.plan.cidr));
    if (outside)
      throw invalidObjectError(VPC_KIND, name, [
        {
          field: "spec.cidrBlock",
          message: `spec.cidrBlock: Invalid value: "${cidrBlock}": subnet "${outside.name}" (${outside.spec.cidrBlock}) would be outside the VPC; every subnet must stay inside it`,
        },
      ]);
    return r.plan;
  }

  /**
   * The subnet's stored spec after every check (see the module's guarantees); `existing` on
   * replace. Returns the default subnet to un-mark when this one takes the default.
   */
  function checkSubnet(
    tenantId: string,
    name: string,
    raw: SubnetInput["spec"],
    existing: SubnetObject | undefined,
  ): { spec: SubnetSpec; plan: SubnetPlan; previousDefault?: SubnetObject } {
    const vpc = vpcPlanFor(tenantId);
    const others = state.ofTenant("Subnet", tenantId).filter((s) => s.name !== name);
    const siblings = others.flatMap((s) => {
      const r = validateSubnetPlan(subnetInputOf(s), vpc, []);
      return r.ok ? [r.plan] : [];
    });
    const problems: FieldProblem[] = [];
    const planned = validateSubnetPlan(
      {
        name,
        cidrBlock: raw.cidrBlock,
        ...(raw.gateway !== undefined ? { gateway: raw.gateway } : {}),
        ...(raw.excludeIps !== undefined ? { excludeIps: raw.excludeIps } : {}),
      },
      vpc,
      siblings,
    );
    if (!planned.ok) problems.push(...planned.problems.map(fieldProblem));
    const namespaces = raw.namespaces ?? [];
    const seen = new Set<string>();
    namespaces.forEach((ns, i) => {
      const field = `spec.namespaces[${i}]`;
      const holder = others.find((s) => s.spec.namespaces.includes(ns));
      if (!dnsName.safeParse(ns).success)
        problems.push({
          field,
          message: `${field}: Invalid value: "${ns}": must be a namespace name (a DNS-1123 label)`,
        });
      else if (seen.has(ns)) problems.push({ field, message: `${field}: Duplicate value: "${ns}"` });
      else if (holder)
        problems.push({
          field,
          message: `${field}: Invalid value: "${ns}": namespace "${ns}" already takes its addresses from subnet "${holder.name}"; remove it there first`,
        });
      seen.add(ns);
    });
    const isDefault = raw.default ?? existing?.spec.default ?? false;
    if (existing?.spec.default && !isDefault)
      problems.push({
        field: "spec.default",
        message: `spec.default: Invalid value: false: subnet "${name}" is the default subnet; mark another subnet default instead`,
      });
    if (problems.length > 0 || !planned.ok) throw invalidObjectError(SUBNET_KIND, name, problems);
    const plan = planned.plan;
    if (existing) {
      const before = validateSubnetPlan(subnetInputOf(existing), vpc, []);
      const stranded = before.ok ? podsIn(ctx, tenantId, before.plan.cidr, plan.cidr)[0] : undefined;
      if (stranded)
        throw new EngineError(
          "CONFLICT",
          `subnets.cloud.tenant.io "${name}": cannot change spec.cidrBlock to ${raw.cidrBlock}: pod "${stranded.namespace}/${stranded.name}" holds ${stranded.podIP}, outside it; delete or move its pods first`,
        );
    }
    const spec: SubnetSpec = {
      cidrBlock: formatCidr(plan.cidr),
      gateway: formatIpv4(plan.gateway),
      namespaces: [...namespaces],
      default: isDefault,
      ...(raw.excludeIps?.length ? { excludeIps: [...raw.excludeIps] } : {}),
    };
    const previousDefault = isDefault ? others.find((s) => s.spec.default) : undefined;
    return { spec, plan, ...(previousDefault ? { previousDefault } : {}) };
  }

  /** Un-marks the former default subnet in the same commit (exactly one default). */
  function takeDefault(previous: SubnetObject | undefined): void {
    if (previous)
      state.put({ ...previous, spec: { ...previous.spec, default: false }, generation: previous.generation + 1 });
  }

  return {
    createVpc: (tenantId: string, input: VpcInput, opts: DryRunOption = {}): Promise<VpcObject> =>
      commandOrDryRun(core, opts.dryRun, () => {
        checkTenant(tenantId);
        const parsed = parseInput(vpcSchema, input ?? {}, "vpc");
        forbidResourceVersion(parsed.resourceVersion);
        const existing = state.ofTenant("Vpc", tenantId)[0];
        if (existing)
          throw invalidObjectError(VPC_KIND, parsed.name, [
            {
              field: "metadata.name",
              message: `metadata.name: Forbidden: a tenant has exactly one VPC, "${existing.name}"; change its spec.cidrBlock instead`,
            },
          ]);
        if (parsed.name !== DEFAULT_VPC_NAME)
          throw invalidObjectError(VPC_KIND, parsed.name, [
            {
              field: "metadata.name",
              message: `metadata.name: Invalid value: "${parsed.name}": a tenant's one VPC is named "${DEFAULT_VPC_NAME}"`,
            },
          ]);
        const cidrBlock = parsed.spec.cidrBlock ?? ctx.config.vpcCidr;
        const plan = checkVpc(tenantId, parsed.name, cidrBlock);
        return state.put({
          kind: "Vpc",
          id: newId(ctx, "Vpc", "vpc"),
          tenantId,
          name: parsed.name,
          labels: storedMap(parsed.labels),
          annotations: storedMap(parsed.annotations),
          spec: { cidrBlock: formatCidr(plan.cidr) },
          ...(parsed.managedFields?.length ? { managedFields: parsed.managedFields } : {}),
          generation: 1,
          createdAt: ctx.clock.now(),
          resourceVersion: 0,
        });
      }),

    replaceVpc: (tenantId: string, input: VpcInput, opts: DryRunOption = {}): Promise<VpcObject> =>
      commandOrDryRun(core, opts.dryRun, () => {
        checkTenant(tenantId);
        const parsed = parseInput(vpcSchema, input ?? {}, "vpc");
        const existing = mustFind(state, "Vpc", tenantId, parsed.name);
        checkResourceVersion(existing, parsed.resourceVersion);
        const plan = checkVpc(tenantId, existing.name, parsed.spec.cidrBlock ?? existing.spec.cidrBlock);
        const spec = { cidrBlock: formatCidr(plan.cidr) };
        return putReplacement(state, existing, parsed, spec);
      }),

    deleteVpc: (
      tenantId: string,
      name: string,
      opts: DryRunOption & { resourceVersion?: number } = {},
    ): Promise<void> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const vpc = mustFind(state, "Vpc", checkTenant(tenantId), name);
        checkResourceVersion(vpc, opts.resourceVersion);
        const subnets = state
          .ofTenant("Subnet", tenantId)
          .map((s) => s.name)
          .sort();
        if (subnets.length > 0)
          throw new EngineError(
            "CONFLICT",
            `vpcs.cloud.tenant.io "${vpc.name}" has subnets (${subnets.join(", ")}); a VPC cannot be deleted while it has subnets`,
          );
        state.remove("Vpc", vpc.id);
      }),

    listVpcs(tenantId: string, opts: ListOptions = {}): Page<VpcObject> {
      const page = paginate(state.ofTenant("Vpc", checkTenant(tenantId)), (v) => v.name, opts);
      return { ...page, items: page.items.map(vpcWithStatus) };
    },

    getVpc: (tenantId: string, name: string): VpcObject =>
      vpcWithStatus(mustFind(state, "Vpc", checkTenant(tenantId), name)),

    createSubnet: (tenantId: string, input: SubnetInput, opts: DryRunOption = {}): Promise<SubnetObject> =>
      commandOrDryRun(core, opts.dryRun, () => {
        checkTenant(tenantId);
        const parsed = parseInput(subnetSchema, input ?? {}, "subnet");
        forbidResourceVersion(parsed.resourceVersion);
        if (state.byName("Subnet", tenantId, parsed.name))
          throw new EngineError("CONFLICT", `subnets.cloud.tenant.io "${parsed.name}" already exists`);
        const { spec, previousDefault } = checkSubnet(tenantId, parsed.name, parsed.spec, undefined);
        takeDefault(previousDefault);
        return state.put({
          kind: "Subnet",
          id: newId(ctx, "Subnet", "subnet"),
          tenantId,
          name: parsed.name,
          labels: storedMap(parsed.labels),
          annotations: storedMap(parsed.annotations),
          spec,
          ...(parsed.managedFields?.length ? { managedFields: parsed.managedFields } : {}),
          generation: 1,
          createdAt: ctx.clock.now(),
          resourceVersion: 0,
        });
      }),

    /** Whole-object PUT: new namespaces apply to new pods only (running pods keep their addresses). */
    replaceSubnet: (tenantId: string, input: SubnetInput, opts: DryRunOption = {}): Promise<SubnetObject> =>
      commandOrDryRun(core, opts.dryRun, () => {
        checkTenant(tenantId);
        const parsed = parseInput(subnetSchema, input ?? {}, "subnet");
        const existing = mustFind(state, "Subnet", tenantId, parsed.name);
        checkResourceVersion(existing, parsed.resourceVersion);
        const { spec, previousDefault } = checkSubnet(tenantId, existing.name, parsed.spec, existing);
        takeDefault(previousDefault);
        return putReplacement(state, existing, parsed, spec);
      }),

    deleteSubnet: (
      tenantId: string,
      name: string,
      opts: DryRunOption & { resourceVersion?: number } = {},
    ): Promise<void> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const subnet = mustFind(state, "Subnet", checkTenant(tenantId), name);
        checkResourceVersion(subnet, opts.resourceVersion);
        if (subnet.spec.default)
          throw new EngineError(
            "CONFLICT",
            `subnets.cloud.tenant.io "${subnet.name}" is the default subnet; it cannot be deleted (mark another subnet default first)`,
          );
        const holder = podsIn(ctx, tenantId, parseCidr(subnet.spec.cidrBlock))[0];
        if (holder)
          throw new EngineError(
            "CONFLICT",
            `subnets.cloud.tenant.io "${subnet.name}" is in use: pod "${holder.namespace}/${holder.name}" holds ${holder.podIP}; delete its pods first`,
          );
        state.remove("Subnet", subnet.id);
      }),

    listSubnets(tenantId: string, opts: ListOptions = {}): Page<SubnetObject> {
      const all = subnetsWithStatus(ctx, checkTenant(tenantId));
      return paginate(all, (s) => s.name, opts);
    },

    getSubnet(tenantId: string, name: string): SubnetObject {
      const subnet = mustFind(state, "Subnet", checkTenant(tenantId), name);
      return withSubnetStatus(ctx, subnet, servedNamespaces(ctx, tenantId), ctx.clock.now());
    },
  };
}
