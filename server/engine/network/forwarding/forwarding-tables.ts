/**
 * Every tenant's forwarding table, keyed by tenant. A tenant's table holds its services only,
 * so tenants never see one another's entries or names, even with the same ClusterIPs (their
 * service ranges may overlap). The one shared thing is the public network: a public IP bound
 * to a LoadBalancer belongs to one tenant at a time, and traffic from outside to a public IP
 * is routed through the index kept here (public IP → tenant) into that tenant's table.
 */
import { EngineError } from "../../core/errors";
import { formatIpv4, type Ipv4 } from "../ipv4";
import { type BackendSlot, type PublicIpClaims, type RouteOutcome, TenantForwardingTable } from "./tenant-table";

export class ForwardingTables {
  private readonly tables = new Map<string, TenantForwardingTable>();
  private readonly publicOwners = new Map<number, TenantForwardingTable>();
  private readonly claims: PublicIpClaims;

  constructor(private readonly options: { clusterDomain?: string } = {}) {
    this.claims = {
      claim: (ip, tenantId) => {
        const owner = this.publicOwners.get(ip | 0);
        if (owner && owner.tenantId !== tenantId)
          throw new EngineError(
            "CONFLICT",
            `public IP ${formatIpv4(ip)} is bound to another tenant's service; unbind it there first`,
          );
        this.publicOwners.set(ip | 0, this.forTenant(tenantId));
      },
      release: (ip, tenantId) => {
        if (this.publicOwners.get(ip | 0)?.tenantId === tenantId) this.publicOwners.delete(ip | 0);
      },
    };
  }

  /** The tenant's table, created empty on first use. */
  forTenant(tenantId: string): TenantForwardingTable {
    let t = this.tables.get(tenantId);
    if (!t) {
      t = new TenantForwardingTable(tenantId, { ...this.options, publicIps: this.claims });
      this.tables.set(tenantId, t);
    }
    return t;
  }

  has(tenantId: string): boolean {
    return this.tables.has(tenantId);
  }

  get tenantCount(): number {
    return this.tables.size;
  }

  /** Forgets a tenant's table (the tenant is gone) and its public IPs. */
  dropTenant(tenantId: string): void {
    const t = this.tables.get(tenantId);
    if (!t) return;
    for (const [ip, owner] of this.publicOwners) if (owner === t) this.publicOwners.delete(ip);
    this.tables.delete(tenantId);
  }

  /** The tenant a public IP forwards into, if a LoadBalancer holds it. */
  tenantOfPublicIp(ip: Ipv4): string | undefined {
    return this.publicOwners.get(ip | 0)?.tenantId;
  }

  /** A first packet from outside to a public IP: O(1), no allocation; an unbound IP is "no-such-service". */
  routePublic(
    dstIp: Ipv4,
    dstPort: number,
    protocol: number,
    srcIp: Ipv4,
    srcPort: number,
    out: BackendSlot,
  ): RouteOutcome {
    const t = this.publicOwners.get(dstIp | 0);
    return t === undefined ? "no-such-service" : t.route(dstIp, dstPort, protocol, srcIp, srcPort, out);
  }
}
