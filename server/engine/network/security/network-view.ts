/**
 * What the flow decision needs from the rest of the network, as two small ports the lead
 * implements over real state (memory-security-state.ts is the reference):
 * - SecurityNetworkView: addresses → ports (IPAM, public IP bindings, NAT) and namespace labels;
 * - SecurityTables: the compiled rules (blocklist, each port's group matcher, each tenant's
 *   NetworkPolicies, DDoS blackholes).
 * Every method is a lookup, synchronous and cheap: the model calls the decision per flow.
 */
import type { Ipv4 } from "../ipv4";
import type { Blocklist } from "./blocklist";
import type { SecurityGroupMatcher } from "./group-matcher";
import type { NamespaceLabelSource, NetworkPolicySet } from "./network-policy";
import type { PortIdentity } from "./types";

export interface SecurityNetworkView extends NamespaceLabelSource {
  /** Whether `ip` lies in the tenant's private network (its VPC's CIDR). */
  vpcContains(tenantId: string, ip: Ipv4): boolean;
  /** The port holding private address `ip` in the tenant's network. */
  portAt(tenantId: string, ip: Ipv4): PortIdentity | undefined;
  /**
   * The pod port traffic to public address `ip` reaches (whichever tenant's): the pod it is
   * bound to, or for a LoadBalancer's address the endpoint the forwarding table picked.
   */
  portAtPublicAddress(ip: Ipv4): PortIdentity | undefined;
  /**
   * The address `port`'s traffic to the internet comes from: its own public IP, else its
   * network's outbound NAT address; undefined when it has neither (no way out).
   */
  internetAddressOf(port: PortIdentity): Ipv4 | undefined;
}

export interface SecurityTables {
  readonly blocklist: Blocklist;
  /** The port's groups compiled (GroupMatcherCache.matcherFor(port.tenantId, port.groups)). */
  groupMatcher(port: PortIdentity): SecurityGroupMatcher;
  /** The tenant's NetworkPolicies compiled; undefined when it has none. */
  networkPolicies(tenantId: string): NetworkPolicySet | undefined;
  /** When the blackhole on public `ip` in force at `now` ends, or undefined (DdosProtection.blackholedUntil). */
  blackholedUntil(ip: Ipv4, now: number): number | undefined;
}
