/**
 * Pods' private addresses: each tenant's network and the IPAM of its subnet (network/ipam).
 * Until Vpc and Subnet objects exist, every tenant has the same network: a VPC of
 * EngineConfig.vpcCidr (10.0.0.0/16; tenants' ranges overlap, they never meet) whose default
 * subnet (its first quarter, 10.0.0.0/18) holds every namespace's pods.
 * Guarantees: an address belongs to at most one live pod. The allocators are memory only and
 * rebuilt from the committed pods (`restore`) whenever the engine loads its state, so a staged
 * assignment lost with a failed commit is forgotten with it; an address is released only once
 * the pod's deletion is committed (the Pod kind's informer handler), then held 30 s before
 * reuse. Holds do not survive a restart (released addresses may come back sooner after one).
 */
import type { Pod } from "../kinds/types";
import { formatIpv4 } from "./ipv4";
import {
  defaultSubnetInput,
  formatMac,
  formatProblems,
  IP_ADDRESS_ANNOTATION,
  MAC_ADDRESS_ANNOTATION,
  type RestoreProblem,
  SubnetIpam,
  type SubnetPlan,
  type SubnetUsage,
  validateSubnetPlan,
  validateVpcPlan,
} from "./ipam";

export type AddressAssignment =
  | { ok: true; podIP: string; macAddress: string }
  | { ok: false; message: string; availableAt?: number };

/** The default subnet of a VPC of `vpcCidr`; a configuration error throws with the reasons. */
export function defaultSubnetPlan(vpcCidr: string): SubnetPlan {
  const vpc = validateVpcPlan({ cidrBlock: vpcCidr });
  if (!vpc.ok) throw new Error(`engine config vpcCidr: ${formatProblems(vpc.problems)}`);
  const subnet = validateSubnetPlan(defaultSubnetInput(vpc.plan), vpc.plan, []);
  if (!subnet.ok) throw new Error(`engine config vpcCidr: ${formatProblems(subnet.problems)}`);
  return subnet.plan;
}

export class PodAddresses {
  private readonly subnets = new Map<string, SubnetIpam>();
  constructor(readonly plan: SubnetPlan) {}

  /** An IP and MAC for a pod being bound (the ones it asked for in its annotations, if any). */
  assign(pod: Pod, now: number): AddressAssignment {
    const request = {
      ip: pod.annotations[IP_ADDRESS_ANNOTATION],
      mac: pod.annotations[MAC_ADDRESS_ANNOTATION],
    };
    const r = this.subnetOf(pod.tenantId).assign(pod.id, now, request);
    if (!r.ok) return { ok: false, message: r.message, availableAt: r.availableAt };
    return { ok: true, podIP: formatIpv4(r.ip), macAddress: formatMac(r.mac) };
  }

  /** The pod's deletion is committed: its address is held, then free (a static one is free at once). */
  release(pod: Pod, now: number): void {
    const static_ = pod.annotations[IP_ADDRESS_ANNOTATION] !== undefined;
    this.subnets.get(pod.tenantId)?.release(pod.id, now, { hold: !static_ });
  }

  /** Rebuilds every tenant's allocator from the committed pods; what could not be kept is returned. */
  restore(pods: Iterable<Pod>, now: number): RestoreProblem[] {
    const byTenant = new Map<string, { owner: string; ip: string; mac?: string }[]>();
    for (const p of pods) {
      if (p.podIP === undefined) continue;
      const list = byTenant.get(p.tenantId) ?? [];
      if (list.length === 0) byTenant.set(p.tenantId, list);
      list.push({ owner: p.id, ip: p.podIP, mac: p.macAddress });
    }
    this.subnets.clear();
    const problems: RestoreProblem[] = [];
    for (const [tenantId, records] of byTenant) {
      const restored = SubnetIpam.restore(this.plan, records, { now });
      this.subnets.set(tenantId, restored.ipam);
      problems.push(...restored.problems);
    }
    return problems;
  }

  usage(tenantId: string, now: number): SubnetUsage {
    return this.subnetOf(tenantId).usage(now);
  }

  private subnetOf(tenantId: string): SubnetIpam {
    const known = this.subnets.get(tenantId);
    if (known) return known;
    const subnet = SubnetIpam.create(this.plan);
    this.subnets.set(tenantId, subnet);
    return subnet;
  }
}
