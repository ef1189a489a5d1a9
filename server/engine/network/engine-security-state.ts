/**
 * The flow decision's two ports (network/security/network-view.ts) over the engine's real state:
 * pods' committed addresses (IPAM, network/pod-addresses.ts), their labels and container ports,
 * their namespaces' labels, each tenant's SecurityGroups (attached by compileGroupAttachments,
 * compiled through one GroupMatcherCache) and NetworkPolicies (one NetworkPolicySet per tenant),
 * the operator's PortBans (one Blocklist) and one DdosProtection. The traffic model and the
 * connectivity check read only these two interfaces.
 *
 * Guarantees:
 * - Follows the committed objects: `committed` is called with every committed batch (before the
 *   informers, so their handlers read it current), `reset` whenever the engine loads its state
 *   (bootstrap, also after a failed commit), so a staged write lost with its commit is forgotten.
 *   A table rebuilt in the middle of a pass may already include that pass's staged writes; the
 *   commit then confirms them, or the reload forgets them.
 * - Lazy and per tenant: a change marks what it touches stale (a pod: its port, at once; a group:
 *   the tenant's attachments, ports and compiled matchers; a policy: the tenant's policy set; a
 *   ban: the blocklist); the next read rebuilds it. Reads are then map lookups, allocation-free.
 * - A pod whose groups exceed the limits (limits.ts) is not given a network interface
 *   (`assignmentRefusal`, which keeps it Pending); should one already hold an address (a restart
 *   with limits lowered), it fails closed: it gets a group no one wrote, so everything is denied.
 * - Public addresses answer from the committed PublicIP bindings (network/public-ip-network.ts): a
 *   pod's public IP reaches it, and its traffic to the internet leaves from it; a LoadBalancer's
 *   address reaches the endpoint the tenant's forwarding table picks for the Service's first port.
 *   A pod without a public IP has no way out (no NAT gateway is modelled): `no-internet-egress`.
 */
import type { EngineState } from "../core/state";
import { blocklistEntryOf, PORT_BAN_OWNER } from "../kinds/port-ban";
import { securityGroupData } from "../kinds/security-group";
import type { Labels } from "../kinds/label-selector";
import type { ContainerPort, EngineObject, Pod, PodSpec } from "../kinds/types";
import type { Change } from "../core/state";
import type { ForwardingTables } from "./forwarding/forwarding-tables";
import type { PublicIpNetwork } from "./public-ip-network";
import { type Cidr, cidrContains, type Ipv4, parseIpv4 } from "./ipv4";
import {
  Blocklist,
  canonicalMac,
  compileGroupAttachments,
  DdosProtection,
  DEFAULT_SECURITY_LIMITS,
  type GroupAttachments,
  type GroupResolution,
  GroupMatcherCache,
  NetworkPolicySet,
  type PortIdentity,
  type SecurityGroup,
  type SecurityGroupMatcher,
  type SecurityLimits,
  type SecurityNetworkView,
  type SecurityTables,
} from "./security";

/** The group a port gets when its groups exceed the limits: it names no group, so it denies everything. */
export const LIMIT_EXCEEDED_GROUP = "\u0000groups-over-limit";
const FAIL_CLOSED: readonly string[] = Object.freeze([LIMIT_EXCEEDED_GROUP]);
const NO_GROUPS: readonly string[] = Object.freeze([]);

interface TenantTables {
  groups: Map<string, SecurityGroup>;
  attachments: GroupAttachments;
  /** One array per distinct group set, so the matcher cache hits on identity. */
  groupSets: Map<string, readonly string[]>;
  /** Undefined until first read after a change (built from the tenant's pods). */
  ports: Map<Ipv4, PortIdentity> | undefined;
  /** Undefined: stale; null: the tenant has no policies. */
  policies: NetworkPolicySet | null | undefined;
}

const containerPortsOf = new WeakMap<PodSpec, readonly ContainerPort[]>();
function containerPorts(spec: PodSpec): readonly ContainerPort[] {
  let ports = containerPortsOf.get(spec);
  if (ports === undefined) {
    ports = spec.containers.flatMap((c) => c.ports);
    containerPortsOf.set(spec, ports);
  }
  return ports;
}

export class EngineSecurityState implements SecurityNetworkView, SecurityTables {
  readonly ddos: DdosProtection;
  private readonly tenants = new Map<string, TenantTables>();
  /** By namespace name (names are global), with its owner. */
  private readonly namespaceLabelCache = new Map<string, { tenantId: string; labels: Labels }>();
  private readonly matchers: GroupMatcherCache;
  private currentBlocklist: Blocklist | undefined;
  private publicIps: PublicIpNetwork | undefined;
  private serviceTables: (() => ForwardingTables) | undefined;

  constructor(
    private readonly state: EngineState,
    /** The tenant's VPC block (its Vpc object's, network/pod-addresses.ts). */
    private readonly vpcOf: (tenantId: string) => Cidr,
    readonly limits: SecurityLimits = DEFAULT_SECURITY_LIMITS,
    ddos: DdosProtection = new DdosProtection(),
  ) {
    this.ddos = ddos;
    this.matchers = new GroupMatcherCache((t) => this.tenant(t).groups);
  }

  /** Where public addresses are bound, and the tenants' forwarding tables (for LoadBalancer addresses). */
  attachPublicIps(publicIps: PublicIpNetwork, tables: () => ForwardingTables): void {
    this.publicIps = publicIps;
    this.serviceTables = tables;
  }

  // --- feeding ------------------------------------------------------------------------------

  /** The state was (re)loaded: forget everything; it is rebuilt from the committed objects on read. */
  reset(): void {
    for (const t of this.tenants.keys()) this.matchers.invalidateTenant(t);
    this.tenants.clear();
    this.namespaceLabelCache.clear();
    this.currentBlocklist = undefined;
  }

  /** A committed batch: mark what it changed stale (pods are re-filed at once when their tenant is built). */
  committed(changes: readonly Change[]): void {
    for (const c of changes) {
      const o = (c.after ?? c.before) as EngineObject;
      switch (o.kind) {
        case "Pod":
          this.podChanged(c.before as Pod | undefined, c.after as Pod | undefined);
          break;
        case "Namespace":
          this.namespaceLabelCache.delete(o.name);
          break;
        case "SecurityGroup":
          this.groupsChanged(o.tenantId);
          break;
        case "NetworkPolicy":
          this.policiesChanged(o.tenantId);
          break;
        case "PortBan":
          this.currentBlocklist = undefined;
          break;
      }
    }
  }

  private groupsChanged(tenantId: string): void {
    this.tenants.delete(tenantId);
    this.matchers.invalidateTenant(tenantId);
  }

  private policiesChanged(tenantId: string): void {
    const t = this.tenants.get(tenantId);
    if (t) t.policies = undefined;
  }

  private podChanged(before: Pod | undefined, after: Pod | undefined): void {
    const pod = (after ?? before) as Pod;
    const ports = this.tenants.get(pod.tenantId)?.ports;
    if (ports === undefined) return;
    // Status reports (most pod writes) change nothing a filter sees.
    if (
      before !== undefined &&
      after !== undefined &&
      before.podIP === after.podIP &&
      before.macAddress === after.macAddress &&
      before.labels === after.labels &&
      before.spec === after.spec
    )
      return;
    if (before?.podIP !== undefined) {
      const ip = parseIpv4(before.podIP);
      if (ports.get(ip)?.podName === before.name) ports.delete(ip);
    }
    if (after?.podIP !== undefined) {
      const t = this.tenant(after.tenantId);
      ports.set(parseIpv4(after.podIP), this.portOf(t, after));
    }
  }

  // --- reads for the commands --------------------------------------------------------------------

  /** The groups a pod would get, or the refusal when they exceed the limits. */
  resolveGroups(pod: Pod): GroupResolution {
    return this.tenant(pod.tenantId).attachments.resolve({
      namespace: pod.namespace,
      labels: pod.labels,
      podName: pod.name,
    });
  }

  /** Why a pod may not get a network interface (its groups exceed the limits), or undefined. */
  assignmentRefusal(pod: Pod): string | undefined {
    const r = this.resolveGroups(pod);
    return r.ok ? undefined : r.message;
  }

  /**
   * The port of the tenant's pod, if it holds an address: the filed one when the tenant's ports
   * are built, else made for it alone (a check right after a change need not build them all).
   */
  portOfPod(pod: Pod): PortIdentity | undefined {
    if (pod.podIP === undefined) return undefined;
    const t = this.tenant(pod.tenantId);
    const filed = t.ports?.get(parseIpv4(pod.podIP));
    if (filed !== undefined) return filed.podName === pod.name && filed.namespace === pod.namespace ? filed : undefined;
    return this.portOf(t, pod);
  }

  // --- SecurityNetworkView ------------------------------------------------------------------------

  vpcContains(tenantId: string, ip: Ipv4): boolean {
    return cidrContains(this.vpcOf(tenantId), ip);
  }

  portAt(tenantId: string, ip: Ipv4): PortIdentity | undefined {
    return this.portsOf(tenantId).get(ip);
  }

  /** The pod a public IP is bound to, or the endpoint a LoadBalancer's address forwards to now. */
  portAtPublicAddress(ip: Ipv4): PortIdentity | undefined {
    const b = this.publicIps?.bindingAt(ip);
    if (b === undefined) return undefined;
    if (b.target.kind === "Pod") return this.portAt(b.tenantId, b.target.privateIp);
    const svc = this.state.byName("Service", b.tenantId, b.target.name, b.target.namespace);
    const first = svc?.spec.ports[0];
    const tables = this.serviceTables?.();
    if (svc?.spec.clusterIP === undefined || first === undefined || !tables?.has(b.tenantId)) return undefined;
    const r = tables.forTenant(b.tenantId).lookup(parseIpv4(svc.spec.clusterIP), first.port, first.protocol);
    return r.outcome === "forwarded" ? this.portAt(b.tenantId, r.ip) : undefined;
  }

  /** The pod's own public IP; without one no way out (no NAT gateway is modelled). */
  internetAddressOf(port: PortIdentity): Ipv4 | undefined {
    return port.publicIp ?? this.publicIps?.podBinding(port.tenantId, port.ip)?.ip;
  }

  namespaceLabels(tenantId: string, namespace: string): Labels | undefined {
    let known = this.namespaceLabelCache.get(namespace);
    if (known === undefined) {
      const ns = this.state.namespaceNamed(namespace);
      if (ns === undefined) return undefined;
      known = { tenantId: ns.tenantId, labels: { ...ns.labels, "kubernetes.io/metadata.name": ns.name } };
      this.namespaceLabelCache.set(namespace, known);
    }
    // Names are global; a namespace of another tenant is none of this tenant's.
    return known.tenantId === tenantId ? known.labels : undefined;
  }

  // --- SecurityTables -------------------------------------------------------------------------

  get blocklist(): Blocklist {
    if (this.currentBlocklist === undefined) {
      const bans = this.state.ofTenant("PortBan", PORT_BAN_OWNER).sort((a, b) => (a.name < b.name ? -1 : 1));
      this.currentBlocklist = new Blocklist(bans.map(blocklistEntryOf));
    }
    return this.currentBlocklist;
  }

  groupMatcher(port: PortIdentity): SecurityGroupMatcher {
    return this.matchers.matcherFor(port.tenantId, port.groups);
  }

  networkPolicies(tenantId: string): NetworkPolicySet | undefined {
    const t = this.tenant(tenantId);
    if (t.policies === undefined) {
      const objects = this.state.ofTenant("NetworkPolicy", tenantId);
      t.policies =
        objects.length === 0
          ? null
          : new NetworkPolicySet(objects.map((o) => ({ name: o.name, namespace: o.namespace, spec: o.spec })));
    }
    return t.policies ?? undefined;
  }

  blackholedUntil(ip: Ipv4, now: number): number | undefined {
    return this.ddos.blackholedUntil(ip, now);
  }

  // --- building -----------------------------------------------------------------------------------

  private tenant(tenantId: string): TenantTables {
    let t = this.tenants.get(tenantId);
    if (t === undefined) {
      const groups = this.state.ofTenant("SecurityGroup", tenantId).map(securityGroupData);
      t = {
        groups: new Map(groups.map((g) => [g.name, g])),
        attachments: compileGroupAttachments(groups, this.limits),
        groupSets: new Map(),
        ports: undefined,
        policies: undefined,
      };
      this.tenants.set(tenantId, t);
    }
    return t;
  }

  private portsOf(tenantId: string): Map<Ipv4, PortIdentity> {
    const t = this.tenant(tenantId);
    if (t.ports === undefined) {
      const ports = new Map<Ipv4, PortIdentity>();
      for (const pod of this.state.ofTenant("Pod", tenantId))
        if (pod.podIP !== undefined) ports.set(parseIpv4(pod.podIP), this.portOf(t, pod));
      t.ports = ports;
    }
    return t.ports;
  }

  private portOf(t: TenantTables, pod: Pod): PortIdentity {
    return {
      tenantId: pod.tenantId,
      namespace: pod.namespace,
      podName: pod.name,
      labels: pod.labels,
      ip: parseIpv4(pod.podIP as string),
      mac: canonicalMac(pod.macAddress ?? "00:00:00:00:00:00"),
      groups: this.groupsFor(t, pod),
      containerPorts: containerPorts(pod.spec),
    };
  }

  private groupsFor(t: TenantTables, pod: Pod): readonly string[] {
    if (t.groups.size === 0) return NO_GROUPS;
    const r = t.attachments.resolve({ namespace: pod.namespace, labels: pod.labels, podName: pod.name });
    if (!r.ok) return FAIL_CLOSED;
    if (r.groups.length === 0) return NO_GROUPS;
    const key = r.groups.join("\u0000");
    let shared = t.groupSets.get(key);
    if (shared === undefined) {
      shared = Object.freeze([...r.groups]);
      t.groupSets.set(key, shared);
    }
    return shared;
  }
}
