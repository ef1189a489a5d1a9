/**
 * What the traffic model reads of the network: the flow decision's two ports (the real tables:
 * addresses, groups, blocklist, policies, blackholes) and the tenants' service forwarding
 * (DNS names to ClusterIPs, ClusterIPs to an endpoint). The engine implements `security` over
 * its state (network/engine-security-state.ts); tests use MemorySecurityState. Every method is a
 * synchronous lookup: the model calls them per flow and interval.
 */
import type { ForwardingTables } from "../../network/forwarding/forwarding-tables";
import type { BackendSlot, RouteOutcome } from "../../network/forwarding/tenant-table";
import type { Ipv4 } from "../../network/ipv4";
import type { SecurityNetworkView, SecurityTables } from "../../network/security/network-view";
import type { PublicIpDirectory } from "./public-ip-traffic";

export interface ServiceForwarding {
  /** The ClusterIP a pod in `fromNamespace` gets for the service name `query` (`web`, `web.shop`), if any. */
  resolveName(tenantId: string, query: string, fromNamespace: string): Ipv4 | undefined;
  /**
   * If `dstIp` is one of the tenant's service addresses: the endpoint written into `out`
   * ("forwarded"), or why none; "no-such-service" when it is not a service address.
   * `protocol` is a forwarding PROTOCOL_CODE (TCP 0, UDP 1).
   */
  route(
    tenantId: string,
    dstIp: Ipv4,
    dstPort: number,
    protocol: number,
    srcIp: Ipv4,
    srcPort: number,
    out: BackendSlot,
  ): RouteOutcome;
}

export interface TrafficNetwork {
  readonly security: SecurityNetworkView & SecurityTables;
  readonly services: ServiceForwarding;
  /** The bound public IPs (their NICs' bandwidth, their per-address report); absent: none. */
  readonly publicIps?: PublicIpDirectory;
}

/** No services at all (a network without the forwarding tables, e.g. tests of the filters alone). */
export const NO_SERVICES: ServiceForwarding = {
  resolveName: () => undefined,
  route: () => "no-such-service",
};

/**
 * ServiceForwarding over the engine's forwarding tables. `tables` is read at every call because
 * the engine replaces the object at each restore (service-network.ts).
 */
export function forwardingOf(tables: () => ForwardingTables): ServiceForwarding {
  return {
    resolveName(tenantId, query, fromNamespace) {
      const t = tables();
      if (!t.has(tenantId)) return undefined;
      const answer = t.forTenant(tenantId).resolveName(query, fromNamespace);
      return answer.rcode === "NOERROR" ? answer.ip : undefined;
    },
    route(tenantId, dstIp, dstPort, protocol, srcIp, srcPort, out) {
      const t = tables();
      if (!t.has(tenantId)) return "no-such-service";
      return t.forTenant(tenantId).route(dstIp, dstPort, protocol, srcIp, srcPort, out);
    },
  };
}
