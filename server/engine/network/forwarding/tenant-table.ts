/**
 * One tenant's service forwarding table: the source design's answer to kube-proxy's global
 * iptables table. It holds only this tenant's services, and every change touches only the
 * changed service's entries: `upsertService`, `removeService` and `setEndpoints` cost
 * O(that service's ports × endpoints), whatever the tenant or the cluster holds; nothing is
 * ever rebuilt whole.
 *
 * Lookup (`route`) is O(1) and allocates nothing: a Map keyed by the destination address
 * (its int32 form, a small integer to V8) holds the service, whose Map keyed by
 * port << 2 | protocol holds the port's backends as typed arrays; the backend is
 * backends[hash % n], the hash of the 5-tuple, or of the source address alone for
 * sessionAffinity ClientIP. A packet that does not forward gets a typed reason: no service
 * has that address, the service does not expose that port, or it has no usable endpoint.
 * A LoadBalancer's public IP (its status) leads to the same entries as its ClusterIP.
 *
 * Endpoints are kept by service name apart from the service (as kube-proxy's endpoint cache
 * is), so slices that arrive before their service are used when it does.
 */
import { EngineError } from "../../core/errors";
import { formatIpv4, type Ipv4, parseIpv4 } from "../ipv4";
import { backendsFor, type ServiceEndpoint } from "./backends";
import { clientIpHash, flowHash } from "./flow-hash";
import {
  loadBalancerIpOf,
  PROTOCOL_CODE,
  type ServiceLike,
  type ServiceProtocol,
  type ServiceRef,
  serviceKey,
} from "./service";
import { type DnsAnswer, ServiceDnsZone } from "./service-dns";

export type MissReason = "no-such-service" | "port-not-exposed" | "no-ready-endpoints";
export type RouteOutcome = "forwarded" | MissReason;

/** Where `route` writes the chosen backend (reused by the caller: no allocation per packet). */
export interface BackendSlot {
  ip: Ipv4;
  port: number;
}

export type LookupResult =
  | {
      readonly outcome: "forwarded";
      readonly ip: Ipv4;
      readonly port: number;
      readonly service: ServiceRef;
      readonly portName: string;
    }
  | { readonly outcome: MissReason };

/** Who holds which public IP across tenants (ForwardingTables): a claim by a second tenant throws. */
export interface PublicIpClaims {
  claim(ip: Ipv4, tenantId: string): void;
  release(ip: Ipv4, tenantId: string): void;
}

/** One row of the table, for the console, the connectivity check and tests. */
export interface ForwardingEntryView {
  readonly service: string;
  readonly address: string;
  readonly port: number;
  readonly protocol: ServiceProtocol;
  readonly portName: string;
  readonly sessionAffinity: "None" | "ClientIP";
  /** `ip:port`, in the table's order (the order the hash indexes). */
  readonly backends: readonly string[];
}

interface PortEntry {
  readonly portName: string;
  readonly protocol: ServiceProtocol;
  readonly port: number;
  ips: Uint32Array;
  ports: Uint16Array;
}

interface ServiceRecord {
  readonly ref: ServiceRef;
  readonly key: string;
  readonly clusterIP: Ipv4;
  readonly publicIp: Ipv4 | undefined;
  readonly affinity: boolean;
  readonly entries: Map<number, PortEntry>;
}

const portKey = (port: number, protocolCode: number) => (port << 2) | protocolCode;

export class TenantForwardingTable {
  readonly dns: ServiceDnsZone;
  private readonly services = new Map<string, ServiceRecord>();
  private readonly byAddress = new Map<number, ServiceRecord>();
  private readonly endpoints = new Map<string, readonly ServiceEndpoint[]>();
  private readonly claims: PublicIpClaims | undefined;

  constructor(
    readonly tenantId: string,
    options: { clusterDomain?: string; publicIps?: PublicIpClaims } = {},
  ) {
    this.dns = new ServiceDnsZone(options.clusterDomain);
    this.claims = options.publicIps;
  }

  get serviceCount(): number {
    return this.services.size;
  }

  /** Adds or replaces a service (it must have its ClusterIP); refuses, changing nothing, an address another service holds. */
  upsertService(service: ServiceLike): void {
    const key = serviceKey(service);
    if (service.spec.clusterIP === undefined)
      throw new EngineError("INVALID", `service ${key} has no ClusterIP yet: assign one from the service range first`);
    const clusterIP = parseIpv4(service.spec.clusterIP);
    const lb = loadBalancerIpOf(service);
    const publicIp = lb === undefined ? undefined : parseIpv4(lb);
    for (const ip of publicIp === undefined ? [clusterIP] : [clusterIP, publicIp]) {
      const holder = this.byAddress.get(ip | 0);
      if (holder && holder.key !== key)
        throw new EngineError(
          "INVALID",
          `address ${formatIpv4(ip)} is already used by service ${holder.key} in this tenant`,
        );
    }
    const old = this.services.get(key);
    if (publicIp !== undefined && publicIp !== old?.publicIp) this.claims?.claim(publicIp, this.tenantId);

    const eps = this.endpoints.get(key) ?? [];
    const entries = new Map<number, PortEntry>();
    for (const p of service.spec.ports) {
      const b = backendsFor(eps, p.name ?? "", p.protocol);
      entries.set(portKey(p.port, PROTOCOL_CODE[p.protocol]), {
        portName: p.name ?? "",
        protocol: p.protocol,
        port: p.port,
        ips: b.ips,
        ports: b.ports,
      });
    }
    const record: ServiceRecord = {
      ref: { namespace: service.namespace, name: service.name },
      key,
      clusterIP,
      publicIp,
      affinity: service.spec.sessionAffinity === "ClientIP",
      entries,
    };
    if (old) this.unindex(old, publicIp);
    this.services.set(key, record);
    this.byAddress.set(clusterIP | 0, record);
    if (publicIp !== undefined) this.byAddress.set(publicIp | 0, record);
    this.dns.set(service.namespace, service.name, clusterIP);
  }

  /** Removes a service's entries and DNS name (its endpoints stay until set to []); false when it was not there. */
  removeService(ref: ServiceRef): boolean {
    const key = serviceKey(ref);
    const old = this.services.get(key);
    if (!old) return false;
    this.unindex(old, undefined);
    this.services.delete(key);
    this.dns.delete(ref.namespace, ref.name);
    return true;
  }

  /** Replaces a service's endpoints (all of its slices, flattened: endpointsFromSlices); [] forgets them. */
  setEndpoints(ref: ServiceRef, endpoints: readonly ServiceEndpoint[]): void {
    const key = serviceKey(ref);
    if (endpoints.length === 0) this.endpoints.delete(key);
    else this.endpoints.set(key, endpoints);
    const record = this.services.get(key);
    if (!record) return;
    for (const e of record.entries.values()) {
      const b = backendsFor(endpoints, e.portName, e.protocol);
      e.ips = b.ips;
      e.ports = b.ports;
    }
  }

  /**
   * The forwarding decision for a first packet, written into `out` when it forwards. Addresses
   * are uint32, `protocol` a PROTOCOL_CODE. O(1); allocates nothing.
   */
  route(dstIp: Ipv4, dstPort: number, protocol: number, srcIp: Ipv4, srcPort: number, out: BackendSlot): RouteOutcome {
    const record = this.byAddress.get(dstIp | 0);
    if (record === undefined) return "no-such-service";
    const entry = record.entries.get(portKey(dstPort, protocol));
    if (entry === undefined) return "port-not-exposed";
    const n = entry.ips.length;
    if (n === 0) return "no-ready-endpoints";
    const i = (record.affinity ? clientIpHash(srcIp) : flowHash(srcIp, srcPort, dstIp, dstPort, protocol)) % n;
    out.ip = entry.ips[i] as number;
    out.port = entry.ports[i] as number;
    return "forwarded";
  }

  /** `route` with the service named in the answer (the connectivity check's form). */
  lookup(dstIp: Ipv4, dstPort: number, protocol: ServiceProtocol, srcIp: Ipv4 = 0, srcPort = 0): LookupResult {
    const slot: BackendSlot = { ip: 0, port: 0 };
    const outcome = this.route(dstIp, dstPort, PROTOCOL_CODE[protocol], srcIp, srcPort, slot);
    if (outcome !== "forwarded") return { outcome };
    const record = this.byAddress.get(dstIp | 0) as ServiceRecord;
    const entry = record.entries.get(portKey(dstPort, PROTOCOL_CODE[protocol])) as PortEntry;
    return { outcome, ip: slot.ip, port: slot.port, service: record.ref, portName: entry.portName };
  }

  /** A service name as a pod in `fromNamespace` of this tenant resolves it. */
  resolveName(query: string, fromNamespace: string): DnsAnswer {
    return this.dns.resolve(query, fromNamespace);
  }

  /** Every entry (ClusterIP and public IP rows), sorted by service, address, port and protocol. */
  entries(): ForwardingEntryView[] {
    const rows: ForwardingEntryView[] = [];
    for (const r of this.services.values())
      for (const address of r.publicIp === undefined ? [r.clusterIP] : [r.clusterIP, r.publicIp])
        for (const e of r.entries.values())
          rows.push({
            service: r.key,
            address: formatIpv4(address),
            port: e.port,
            protocol: e.protocol,
            portName: e.portName,
            sessionAffinity: r.affinity ? "ClientIP" : "None",
            backends: [...e.ips].map((ip, i) => `${formatIpv4(ip)}:${e.ports[i]}`),
          });
    const key = (v: ForwardingEntryView) =>
      `${v.service}|${v.address}|${String(v.port).padStart(5, "0")}|${v.protocol}`;
    return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }

  /** Drops an old record's addresses; releases its public IP unless the new record keeps it. */
  private unindex(old: ServiceRecord, keptPublicIp: Ipv4 | undefined): void {
    if (this.byAddress.get(old.clusterIP | 0) === old) this.byAddress.delete(old.clusterIP | 0);
    if (old.publicIp !== undefined) {
      if (this.byAddress.get(old.publicIp | 0) === old) this.byAddress.delete(old.publicIp | 0);
      if (old.publicIp !== keptPublicIp) this.claims?.release(old.publicIp, this.tenantId);
    }
  }
}
