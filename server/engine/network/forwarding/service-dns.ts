/**
 * A tenant's service DNS zone, answering as CoreDNS's kubernetes plugin and a pod's resolv.conf
 * do together: a service's A record is `<svc>.<ns>.svc.<cluster domain>` → its ClusterIP, and a
 * pod in namespace N searches `N.svc.cluster.local`, `svc.cluster.local`, `cluster.local`
 * with ndots:5, so `web`, `web.shop`, `web.shop.svc` and the full name all resolve. The zone
 * holds only its tenant's services: any other name, another tenant's included, is NXDOMAIN.
 */
import { formatIpv4, type Ipv4 } from "../ipv4";
import { CLUSTER_DOMAIN } from "./service";

export type DnsAnswer =
  | { readonly rcode: "NOERROR"; readonly name: string; readonly ip: Ipv4 }
  | { readonly rcode: "NXDOMAIN"; readonly name: string };

/** kubelet's ndots for pods with the ClusterFirst DNS policy. */
const NDOTS = 5;

export class ServiceDnsZone {
  private readonly records = new Map<string, Ipv4>();
  private readonly suffix: string;

  constructor(readonly clusterDomain: string = CLUSTER_DOMAIN) {
    this.suffix = `.svc.${clusterDomain}`;
  }

  get size(): number {
    return this.records.size;
  }

  set(namespace: string, name: string, ip: Ipv4): void {
    this.records.set(`${name}.${namespace}`, ip);
  }

  delete(namespace: string, name: string): void {
    this.records.delete(`${name}.${namespace}`);
  }

  /** The search list a pod in `namespace` gets (resolv.conf `search`). */
  searchPath(namespace: string): string[] {
    return [`${namespace}${this.suffix}`, this.suffix.slice(1), this.clusterDomain];
  }

  /** Resolves `query` as a pod in `fromNamespace` would: search list first unless it has ndots or a final dot. */
  resolve(query: string, fromNamespace: string): DnsAnswer {
    const name = query.toLowerCase();
    if (name.endsWith(".")) return this.answer(name.slice(0, -1), query);
    const candidates = this.searchPath(fromNamespace).map((d) => `${name}.${d}`);
    const dots = name.split(".").length - 1;
    if (dots >= NDOTS) candidates.unshift(name);
    else candidates.push(name);
    for (const c of candidates) {
      const a = this.answer(c, query);
      if (a.rcode === "NOERROR") return a;
    }
    return { rcode: "NXDOMAIN", name: query };
  }

  /** Every record as `fqdn → address` (for the console and tests), sorted by name. */
  entries(): { name: string; ip: string }[] {
    return [...this.records]
      .map(([k, ip]) => ({ name: `${k}${this.suffix}`, ip: formatIpv4(ip) }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  private answer(fqdn: string, query: string): DnsAnswer {
    if (fqdn.endsWith(this.suffix)) {
      const key = fqdn.slice(0, -this.suffix.length);
      // Exactly `<svc>.<ns>`: a deeper name (a pod hostname record) is not a service record.
      if (key.split(".").length === 2) {
        const ip = this.records.get(key);
        if (ip !== undefined) return { rcode: "NOERROR", name: fqdn, ip };
      }
    }
    return { rcode: "NXDOMAIN", name: query };
  }
}
