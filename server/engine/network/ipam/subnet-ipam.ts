/**
 * A subnet's addressing for pods: an IP from the SubnetAllocator and a MAC, either the one
 * derived from the IP or a static MAC the pod asked for. Guarantees: everything the allocator
 * guarantees for IPs; static MACs are unique within the subnet (at most one live owner each)
 * and never equal a derived MAC of another address; a request with a bad or taken IP or MAC is
 * refused before anything is allocated, so a refusal leaves nothing half-assigned. A released
 * static MAC is free at once: its IP's hold already protects peers that cached it.
 */
import { AddressError, formatIpv4, type Ipv4, parseIpv4 } from "../ipv4";
import { problem, type Refusal, type RestoreProblem } from "./allocation";
import { derivedMac, formatMac, type Mac, parseMac, staticMacProblem } from "./mac";
import type { SubnetPlan } from "./subnet-plan";
import { type AllocatorOptions, type RestoreOptions, SubnetAllocator, type SubnetUsage } from "./subnet-allocator";

/** The pod annotations that ask for a static IP or MAC (Kube-OVN: ovn.kubernetes.io/ip_address, mac_address). */
export const IP_ADDRESS_ANNOTATION = "cloud.tenant.io/ip-address";
export const MAC_ADDRESS_ANNOTATION = "cloud.tenant.io/mac-address";

/** What a pod asks for, as written in its annotations (absent: any address, the derived MAC). */
export interface AddressRequest {
  readonly ip?: string;
  readonly mac?: string;
}

export interface Assigned {
  readonly ok: true;
  readonly ip: Ipv4;
  readonly mac: Mac;
  /** false when the owner already held this address (a repeat). */
  readonly created: boolean;
}

export type AssignResult = Assigned | Refusal;

/** A pod's recorded addresses: status.podIP and the MAC annotation, when it has one. */
export interface OwnedAddresses {
  readonly owner: string;
  readonly ip: string | Ipv4;
  readonly mac?: string;
}

export class SubnetIpam {
  private readonly staticMacOwners = new Map<Mac, string>();
  private readonly staticMacs = new Map<string, Mac>();

  private constructor(readonly allocator: SubnetAllocator) {}

  static create(plan: SubnetPlan, options: AllocatorOptions = {}): SubnetIpam {
    return new SubnetIpam(new SubnetAllocator(plan, options));
  }

  /** Rebuilds from committed state (see SubnetAllocator.restore); static MAC clashes are reported too. */
  static restore(
    plan: SubnetPlan,
    records: readonly OwnedAddresses[],
    options: RestoreOptions,
  ): { ipam: SubnetIpam; problems: RestoreProblem[] } {
    const { allocator, problems } = SubnetAllocator.restore(plan, records, options);
    const ipam = new SubnetIpam(allocator);
    for (const r of records) {
      const ip = allocator.addressOf(r.owner);
      if (r.mac === undefined || ip === undefined || ipam.staticMacs.has(r.owner)) continue;
      const text = typeof r.ip === "number" ? formatIpv4(r.ip) : r.ip;
      const fallback = `${r.owner} falls back to ${formatMac(derivedMac(ip))}`;
      let mac: Mac;
      try {
        mac = parseMac(r.mac);
      } catch (e) {
        if (!(e instanceof AddressError)) throw e;
        problems.push({ ...problem("InvalidMac", r.owner, text, `${e.message}; ${fallback}`), kept: true });
        continue;
      }
      if (mac === derivedMac(ip)) continue;
      const why = staticMacProblem(mac);
      const holder = ipam.staticMacOwners.get(mac);
      if (why) problems.push({ ...problem("InvalidMac", r.owner, text, `${why}; ${fallback}`), kept: true });
      else if (holder !== undefined) {
        const message = `${r.mac} is recorded for both ${holder} and ${r.owner}; ${holder} keeps it, ${fallback}`;
        problems.push({ ...problem("DuplicateMac", r.owner, text, message, holder), kept: true });
      } else ipam.claimMac(r.owner, mac);
    }
    return { ipam, problems };
  }

  get plan(): SubnetPlan {
    return this.allocator.plan;
  }

  /** An IP and a MAC for `owner`, as asked; the same ones again when it already has them. */
  assign(owner: string, now: number, request: AddressRequest = {}): AssignResult {
    let ip: Ipv4 | undefined;
    if (request.ip !== undefined) {
      try {
        ip = parseIpv4(request.ip);
      } catch (e) {
        if (!(e instanceof AddressError)) throw e;
        return { ok: false, code: "Invalid", message: `${IP_ADDRESS_ANNOTATION}: ${e.message}` };
      }
    }
    let mac: Mac | undefined;
    if (request.mac !== undefined) {
      const read = this.readMac(owner, request.mac, ip);
      if (!read.ok) return read;
      mac = read.mac;
    }
    const current = this.allocator.addressOf(owner);
    if (current !== undefined && mac !== undefined && mac !== this.macOf(owner, current))
      return {
        ok: false,
        code: "OwnerHasAddress",
        message: `${owner} already has the MAC ${formatMac(this.macOf(owner, current))}; a running pod's MAC cannot change`,
      };
    const result =
      ip === undefined ? this.allocator.allocate(owner, now) : this.allocator.allocateStatic(owner, ip, now);
    if (!result.ok) return result;
    if (mac !== undefined && mac !== derivedMac(result.ip) && result.created) this.claimMac(owner, mac);
    return { ok: true, ip: result.ip, mac: this.macOf(owner, result.ip), created: result.created };
  }

  /** Returns the owner's IP (held, unless `hold: false`) and its static MAC; unknown owner: nothing. */
  release(owner: string, now: number, options: { hold?: boolean } = {}) {
    const mac = this.staticMacs.get(owner);
    if (mac !== undefined) {
      this.staticMacs.delete(owner);
      this.staticMacOwners.delete(mac);
    }
    return this.allocator.release(owner, now, options);
  }

  addressOf(owner: string): { ip: Ipv4; mac: Mac } | undefined {
    const ip = this.allocator.addressOf(owner);
    return ip === undefined ? undefined : { ip, mac: this.macOf(owner, ip) };
  }

  usage(now: number): SubnetUsage {
    return this.allocator.usage(now);
  }

  private macOf(owner: string, ip: Ipv4): Mac {
    return this.staticMacs.get(owner) ?? derivedMac(ip);
  }

  private claimMac(owner: string, mac: Mac): void {
    this.staticMacs.set(owner, mac);
    this.staticMacOwners.set(mac, owner);
  }

  private readMac(owner: string, text: string, ip: Ipv4 | undefined): { ok: true; mac: Mac } | Refusal {
    let mac: Mac;
    try {
      mac = parseMac(text);
    } catch (e) {
      if (!(e instanceof AddressError)) throw e;
      return { ok: false, code: "Invalid", message: `${MAC_ADDRESS_ANNOTATION}: ${e.message}` };
    }
    const current = this.allocator.addressOf(owner);
    if (current !== undefined && mac === derivedMac(current)) return { ok: true, mac };
    const why = staticMacProblem(mac, ip);
    if (why) return { ok: false, code: "Invalid", message: `${MAC_ADDRESS_ANNOTATION}: ${why}` };
    const holder = this.staticMacOwners.get(mac);
    if (holder !== undefined && holder !== owner)
      return {
        ok: false,
        code: "InUse",
        message: `the MAC ${formatMac(mac)} is in use by ${holder} in this subnet`,
        holder,
      };
    return { ok: true, mac };
  }
}
