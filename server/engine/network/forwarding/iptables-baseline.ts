/**
 * The baseline the per-tenant tables are measured against: kube-proxy in iptables mode, its
 * cost structure modelled honestly (this is not iptables; no packet touches a kernel).
 *
 * What is modelled, as kube-proxy (pkg/proxy/iptables, full-sync mode) does it:
 * - One global rule set over every tenant's services. A tenant is told apart by a packet mark
 *   matched in each rule (overlapping ClusterIPs of two tenants are two rules).
 * - Changes are recorded by change trackers (cheap, per service: its ports, chain names and
 *   usable endpoints are worked out then, as kube-proxy's serviceInfo/endpointInfo are), and
 *   `sync()` is syncProxyRules: it regenerates every rule of every service, writes the whole
 *   iptables-restore payload (the text kube-proxy pipes to iptables-restore) and replaces the
 *   compiled table whole, as iptables-restore replaces the kernel's. A change costs O(all rules).
 * - nat KUBE-SERVICES: one rule per service port with endpoints (ClusterIP, and the public IP of
 *   a LoadBalancer), jumping to its KUBE-SVC chain; the KUBE-SVC chain has, for ClientIP
 *   affinity, one `recent --rcheck` rule per endpoint, then one `statistic --probability
 *   1/(n-i)` rule per endpoint, each jumping to a KUBE-SEP chain (masquerade mark + DNAT).
 *   filter KUBE-SERVICES: one REJECT rule per service port without endpoints.
 * - Lookup walks nat KUBE-SERVICES rule by rule until one matches (address, mark, port and
 *   protocol compared per rule, over typed arrays: the kernel's walk is tight C, so this one
 *   is tight too), then the service's chain rule by rule; without a match, filter
 *   KUBE-SERVICES the same way. A first packet costs O(rules before its match).
 * Determinism instead of randomness: the probability rules' coin flips are replaced by the
 * flow hash (rule i matches when hash % n = i, which given rule i is reached happens with
 * probability 1/(n-i), as `--probability` says), and the `recent` table by the client-IP hash,
 * so the baseline decides exactly as the per-tenant table does and the two can be compared.
 * Not modelled: minSyncPeriod batching (each sync here is one change), partial syncs
 * (kube-proxy ≥ 1.27 may rewrite only changed chains but still rewrites KUBE-SERVICES), NodePorts,
 * masquerade rules' effect, conntrack (later packets of a flow skip the walk in both designs).
 */
import { stableHash } from "../../queue/rng";
import { type Ipv4, parseIpv4 } from "../ipv4";
import { backendsFor, type ServiceEndpoint } from "./backends";
import { clientIpHash, flowHash } from "./flow-hash";
import {
  type BaselinePort,
  type BaselineService,
  type CompiledRules,
  type RestoreStats,
  restoreAll,
} from "./iptables-restore";
import { loadBalancerIpOf, type ServiceLike, type ServiceRef } from "./service";
import type { BackendSlot, RouteOutcome } from "./tenant-table";

/** The mark `routePublic` walks with: traffic from outside matches any tenant's public-IP rules. */
const PUBLIC_MARK = -1;

const EMPTY: CompiledRules = restoreAll(new Map()).rules;

export class GlobalIptablesProxy {
  private readonly services = new Map<string, BaselineService>();
  private readonly endpoints = new Map<string, readonly ServiceEndpoint[]>();
  private readonly marks = new Map<string, number>();
  /** The compiled table, replaced whole by sync(). */
  private rules: CompiledRules = EMPTY;

  /** The packet mark that stands for a tenant (assigned on first use, from 1). */
  markOf(tenantId: string): number {
    let m = this.marks.get(tenantId);
    if (m === undefined) {
      m = this.marks.size + 1;
      this.marks.set(tenantId, m);
    }
    return m;
  }

  /** Records a service (the service change tracker); takes effect at the next sync. */
  upsertService(tenantId: string, service: ServiceLike): void {
    const mark = this.markOf(tenantId);
    const key = `${mark}/${service.namespace}/${service.name}`;
    const lb = loadBalancerIpOf(service);
    const ports = service.spec.ports.map((p): BaselinePort => {
      const name = p.name ?? "";
      const svcPortName = `${service.namespace}/${service.name}:${name}`;
      return {
        name,
        protocol: p.protocol,
        port: p.port,
        svcChain: `KUBE-SVC-${stableHash(`${mark}${svcPortName}${p.protocol}`).toUpperCase()}`,
        comment: svcPortName,
        backends: { ips: new Uint32Array(0), ports: new Uint16Array(0) },
        sepChains: [],
      };
    });
    const svc: BaselineService = {
      key,
      mark,
      clusterIP: parseIpv4(service.spec.clusterIP as string),
      publicIp: lb === undefined ? undefined : parseIpv4(lb),
      affinity: service.spec.sessionAffinity === "ClientIP",
      ports,
    };
    this.services.set(key, svc);
    this.refreshEndpoints(svc);
  }

  removeService(tenantId: string, ref: ServiceRef): void {
    this.services.delete(`${this.markOf(tenantId)}/${ref.namespace}/${ref.name}`);
  }

  /** Records a service's endpoints (the endpoints change tracker); takes effect at the next sync. */
  setEndpoints(tenantId: string, ref: ServiceRef, endpoints: readonly ServiceEndpoint[]): void {
    const key = `${this.markOf(tenantId)}/${ref.namespace}/${ref.name}`;
    if (endpoints.length === 0) this.endpoints.delete(key);
    else this.endpoints.set(key, endpoints);
    const svc = this.services.get(key);
    if (svc) this.refreshEndpoints(svc);
  }

  /** syncProxyRules: every rule of every service regenerated, the payload written, the table replaced. */
  sync(): RestoreStats {
    const { rules, stats } = restoreAll(this.services);
    this.rules = rules;
    return stats;
  }

  /** A tenant's first packet, decided by walking the synced rules in order. */
  route(
    mark: number,
    dstIp: Ipv4,
    dstPort: number,
    protocol: number,
    srcIp: Ipv4,
    srcPort: number,
    out: BackendSlot,
  ): RouteOutcome {
    const r = this.rules;
    const d = dstIp | 0;
    const pp = (dstPort << 2) | protocol;
    let addressSeen = false;
    for (let i = 0; i < r.natDst.length; i++) {
      if (r.natDst[i] !== d) continue;
      if (r.natMark[i] !== mark && !(mark === PUBLIC_MARK && r.natPublic[i] === 1)) continue;
      addressSeen = true;
      if (r.natPortProto[i] !== pp) continue;
      return this.walkChain(r.natChain[i] as number, dstIp, dstPort, protocol, srcIp, srcPort, out);
    }
    for (let i = 0; i < r.rejectDst.length; i++) {
      if (r.rejectDst[i] !== d) continue;
      if (r.rejectMark[i] !== mark && !(mark === PUBLIC_MARK && r.rejectPublic[i] === 1)) continue;
      addressSeen = true;
      if (r.rejectPortProto[i] === pp) return "no-ready-endpoints";
    }
    return addressSeen ? "port-not-exposed" : "no-such-service";
  }

  /** A first packet from outside to a public IP (any tenant's LoadBalancer rules match). */
  routePublic(
    dstIp: Ipv4,
    dstPort: number,
    protocol: number,
    srcIp: Ipv4,
    srcPort: number,
    out: BackendSlot,
  ): RouteOutcome {
    return this.route(PUBLIC_MARK, dstIp, dstPort, protocol, srcIp, srcPort, out);
  }

  private walkChain(
    chain: number,
    dstIp: Ipv4,
    dstPort: number,
    protocol: number,
    srcIp: Ipv4,
    srcPort: number,
    out: BackendSlot,
  ): RouteOutcome {
    const r = this.rules;
    const start = r.chainStart[chain] as number;
    const n = r.chainLength[chain] as number;
    const affinity = r.chainAffinity[chain] === 1;
    const pick = (affinity ? clientIpHash(srcIp) : flowHash(srcIp, srcPort, dstIp, dstPort, protocol)) % n;
    // Affinity: the `recent` rules come first, one per endpoint; the remembered one matches.
    // Otherwise the probability rules, in order: rule i matches when the flow's draw says so.
    for (let i = 0; i < n; i++)
      if (i === pick) {
        out.ip = r.sepIp[start + i] as number;
        out.port = r.sepPort[start + i] as number;
        return "forwarded";
      }
    return "no-ready-endpoints";
  }

  private refreshEndpoints(svc: BaselineService): void {
    const eps = this.endpoints.get(svc.key) ?? [];
    for (const p of svc.ports) {
      p.backends = backendsFor(eps, p.name, p.protocol);
      p.sepChains = [...p.backends.ips].map(
        (ip, i) => `KUBE-SEP-${stableHash(`${p.svcChain}${ip}:${p.backends.ports[i]}`).toUpperCase()}`,
      );
    }
  }
}
