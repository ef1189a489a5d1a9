/**
 * Pods' private addresses: each tenant's network and the IPAM of its subnets (network/ipam),
 * planned from the tenant's Vpc and Subnet objects (tenant-network-plan.ts): one SubnetIpam per
 * Subnet; a pod takes its address from the subnet whose `spec.namespaces` names its namespace,
 * else from the default subnet (a map lookup per pod: placing 30,000 pods scans nothing).
 * Tenants' ranges may overlap; they never meet.
 * Guarantees: an address belongs to at most one live pod of a tenant. The allocators are memory
 * only and rebuilt from the committed pods (`restore`) whenever the engine loads its state, so a
 * staged assignment lost with a failed commit is forgotten with it; each pod's address goes back
 * into the subnet whose block holds it. A committed Vpc or Subnet change re-plans the tenant
 * (`networkChanged`): subnets whose plan is unchanged keep their allocator; a changed or new one
 * is rebuilt from the tenant's committed pods, keeping its holds; running pods keep their
 * addresses, even one that no subnet holds any more (it stays the pod's until it goes). An
 * address is released only once the pod's deletion is committed (the Pod kind's informer
 * handler), then held 30 s before reuse. Holds do not survive a restart.
 */
import type { EngineState } from "../core/state";
import type { Pod } from "../kinds/types";
import { type Cidr, cidrContains, formatIpv4, parseIpv4 } from "./ipv4";
import {
  formatMac,
  IP_ADDRESS_ANNOTATION,
  MAC_ADDRESS_ANNOTATION,
  type OwnedAddresses,
  type RestoreProblem,
  SubnetIpam,
  type SubnetPlan,
  type SubnetUsage,
  type VpcPlan,
} from "./ipam";
import { jsonEqual } from "../kinds/json-equal";
import { configuredVpcPlan, tenantNetworkPlan } from "./tenant-network-plan";

export { defaultSubnetPlan } from "./tenant-network-plan";

export type AddressAssignment =
  | { ok: true; podIP: string; macAddress: string }
  | { ok: false; message: string; availableAt?: number };

/** One tenant's addressing: its VPC, its subnets' allocators and where each namespace's pods go. */
interface TenantAddressing {
  readonly vpc: Cidr;
  readonly subnets: ReadonlyMap<string, SubnetIpam>;
  readonly byNamespace: ReadonlyMap<string, SubnetIpam>;
  readonly defaultSubnet: SubnetIpam;
}

type AddressRecord = OwnedAddresses & { readonly at: number };

export class PodAddresses {
  private readonly tenants = new Map<string, TenantAddressing>();
  private readonly fallbackVpc: VpcPlan;

  constructor(
    private readonly state: EngineState,
    vpcCidr: string,
  ) {
    this.fallbackVpc = configuredVpcPlan(vpcCidr);
  }

  /** An IP and MAC for a pod being bound (the ones it asked for in its annotations, if any), from its namespace's subnet. */
  assign(pod: Pod, now: number): AddressAssignment {
    const request = {
      ip: pod.annotations[IP_ADDRESS_ANNOTATION],
      mac: pod.annotations[MAC_ADDRESS_ANNOTATION],
    };
    const r = this.subnetFor(pod.tenantId, pod.namespace).assign(pod.id, now, request);
    if (!r.ok) return { ok: false, message: r.message, availableAt: r.availableAt };
    return { ok: true, podIP: formatIpv4(r.ip), macAddress: formatMac(r.mac) };
  }

  /** The pod's deletion is committed: its address is held, then free (a static one is free at once). */
  release(pod: Pod, now: number): void {
    const t = this.tenants.get(pod.tenantId);
    if (t === undefined) return;
    const static_ = pod.annotations[IP_ADDRESS_ANNOTATION] !== undefined;
    for (const subnet of t.subnets.values())
      if (subnet.addressOf(pod.id) !== undefined) {
        subnet.release(pod.id, now, { hold: !static_ });
        return;
      }
  }

  /** Rebuilds every tenant's allocators from the committed pods (oldest first keeps a duplicate); what could not be kept is returned. */
  restore(pods: Iterable<Pod>, now: number): RestoreProblem[] {
    const byTenant = new Map<string, AddressRecord[]>();
    for (const p of pods) {
      if (p.podIP === undefined) continue;
      const list = byTenant.get(p.tenantId) ?? [];
      if (list.length === 0) byTenant.set(p.tenantId, list);
      list.push({ owner: p.id, ip: p.podIP, mac: p.macAddress, at: p.createdAt });
    }
    this.tenants.clear();
    const problems: RestoreProblem[] = [];
    for (const [tenantId, records] of byTenant) problems.push(...this.build(tenantId, now, records, undefined));
    return problems;
  }

  /** The tenant's committed Vpc or Subnets changed: re-plan it (see the module's guarantees). */
  networkChanged(tenantId: string, now: number): void {
    const previous = this.tenants.get(tenantId);
    if (previous === undefined) return; // planned from the objects on its first use
    this.build(tenantId, now, undefined, previous);
  }

  /** The subnet's counts now (undefined: the tenant has no subnet of that name). */
  usage(tenantId: string, subnet: string, now: number): SubnetUsage | undefined {
    return this.addressing(tenantId).subnets.get(subnet)?.usage(now);
  }

  /** The name of the subnet a new pod of the namespace takes its address from. */
  subnetOfNamespace(tenantId: string, namespace: string): string {
    return this.subnetFor(tenantId, namespace).plan.name;
  }

  /** The tenant's VPC block (what the flow decision calls inside its network). */
  vpcOf(tenantId: string): Cidr {
    return this.tenants.get(tenantId)?.vpc ?? this.addressing(tenantId).vpc;
  }

  private subnetFor(tenantId: string, namespace: string): SubnetIpam {
    const t = this.addressing(tenantId);
    return t.byNamespace.get(namespace) ?? t.defaultSubnet;
  }

  private addressing(tenantId: string): TenantAddressing {
    const known = this.tenants.get(tenantId);
    if (known) return known;
    this.build(tenantId, 0, [], undefined);
    return this.tenants.get(tenantId) as TenantAddressing;
  }

  /**
   * Plans the tenant from its objects. Allocators of `previous` whose plan is unchanged are
   * kept; the others are restored from `records` (read from the committed pods when absent).
   */
  private build(
    tenantId: string,
    now: number,
    given: readonly AddressRecord[] | undefined,
    previous: TenantAddressing | undefined,
  ): RestoreProblem[] {
    const plan = tenantNetworkPlan(this.state, tenantId, this.fallbackVpc);
    const problems: RestoreProblem[] = [];
    const subnets = new Map<string, SubnetIpam>();
    const toRestore: SubnetPlan[] = [];
    for (const s of plan.subnets) {
      const kept = previous?.subnets.get(s.plan.name);
      if (kept && jsonEqual(kept.plan, s.plan)) subnets.set(s.plan.name, kept);
      else toRestore.push(s.plan);
    }
    if (toRestore.length > 0) {
      const records = given ?? this.committedRecords(tenantId);
      const bySubnet = new Map<SubnetPlan, AddressRecord[]>(toRestore.map((p) => [p, []]));
      for (const r of records) {
        const ip = typeof r.ip === "number" ? r.ip : safeParse(r.ip);
        const home = ip === undefined ? undefined : toRestore.find((p) => cidrContains(p.cidr, ip));
        // An address no subnet holds (after an edit) stays its pod's; a new subnet over it takes it back.
        if (home) bySubnet.get(home)?.push(r);
      }
      for (const [p, recs] of bySubnet) {
        const old = previous?.subnets.get(p.name);
        const holds = old?.allocator.holds(now).filter((h) => cidrContains(p.cidr, h.ip)) ?? [];
        const restored = SubnetIpam.restore(p, recs, { now, holds });
        subnets.set(p.name, restored.ipam);
        problems.push(...restored.problems);
      }
    }
    const byNamespace = new Map<string, SubnetIpam>();
    let defaultSubnet: SubnetIpam | undefined;
    for (const s of plan.subnets) {
      const ipam = subnets.get(s.plan.name) as SubnetIpam;
      if (s.isDefault) defaultSubnet = ipam;
      for (const ns of s.namespaces) byNamespace.set(ns, ipam);
    }
    this.tenants.set(tenantId, {
      vpc: plan.vpc.cidr,
      subnets,
      byNamespace,
      defaultSubnet: defaultSubnet as SubnetIpam,
    });
    return problems;
  }

  /** The tenant's pods' committed addresses, oldest pod first (the older keeps a duplicate). */
  private committedRecords(tenantId: string): AddressRecord[] {
    const records: AddressRecord[] = [];
    for (const p of this.state.ofTenant("Pod", tenantId))
      if (p.podIP !== undefined) records.push({ owner: p.id, ip: p.podIP, mac: p.macAddress, at: p.createdAt });
    return records.sort((a, b) => a.at - b.at);
  }
}

function safeParse(text: string): number | undefined {
  try {
    return parseIpv4(text);
  } catch {
    return undefined;
  }
}
