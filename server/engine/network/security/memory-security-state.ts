/**
 * The reference implementation of the decision's ports (network-view.ts) over plain maps, for
 * tests and benchmarks, and the pattern for the lead's implementation over real state: pods
 * become PortIdentity values with their groups resolved by attachment, groups compile through
 * GroupMatcherCache, policies per tenant into a NetworkPolicySet, the blocklist once.
 */
import type { ContainerPort } from "../../kinds/types";
import type { Labels } from "../../kinds/label-selector";
import { type Cidr, cidrContains, type Ipv4, parseCidr, parseIpv4 } from "../ipv4";
import { canonicalMac } from "./anti-spoofing";
import { Blocklist, type BlocklistEntry } from "./blocklist";
import { DdosProtection } from "./ddos";
import { compileGroupAttachments, type GroupAttachments } from "./group-attachment";
import type { SecurityGroupMatcher } from "./group-matcher";
import { GroupMatcherCache } from "./group-matcher-cache";
import { DEFAULT_SECURITY_LIMITS, type SecurityLimits } from "./limits";
import type { SecurityNetworkView, SecurityTables } from "./network-view";
import { NetworkPolicySet } from "./network-policy";
import type { NetworkPolicy } from "./network-policy-types";
import type { SecurityGroup } from "./security-group";
import type { AllowedAddressPair, PortIdentity } from "./types";

export interface MemoryPodInput {
  readonly namespace: string;
  readonly podName: string;
  readonly labels?: Labels;
  readonly ip: string;
  readonly mac: string;
  readonly containerPorts?: readonly ContainerPort[];
  readonly publicIp?: string;
  readonly allowedAddressPairs?: readonly AllowedAddressPair[];
}

interface Tenant {
  vpc: Cidr[];
  nat?: Ipv4;
  namespaces: Map<string, Labels>;
  groups: Map<string, SecurityGroup>;
  attachments: GroupAttachments;
  policyObjects: readonly NetworkPolicy[];
  policies?: NetworkPolicySet;
  ports: Map<Ipv4, PortIdentity>;
}

export class MemorySecurityState implements SecurityNetworkView, SecurityTables {
  blocklist = new Blocklist();
  readonly ddos: DdosProtection;
  private readonly tenants = new Map<string, Tenant>();
  private readonly publicPorts = new Map<Ipv4, PortIdentity>();
  private readonly matchers: GroupMatcherCache;

  constructor(
    private readonly limits: SecurityLimits = DEFAULT_SECURITY_LIMITS,
    ddos = new DdosProtection(),
  ) {
    this.ddos = ddos;
    this.matchers = new GroupMatcherCache((t) => this.tenants.get(t)?.groups);
  }

  // --- set-up ---------------------------------------------------------------------------

  /** The tenant's VPC (e.g. "10.0.0.0/16"), with an outbound NAT address when given. */
  addTenant(tenantId: string, vpc: string | readonly string[], natAddress?: string): void {
    this.tenants.set(tenantId, {
      vpc: (typeof vpc === "string" ? [vpc] : vpc).map(parseCidr),
      ...(natAddress !== undefined ? { nat: parseIpv4(natAddress) } : {}),
      namespaces: new Map(),
      groups: new Map(),
      attachments: compileGroupAttachments([], this.limits),
      policyObjects: [],
      ports: new Map(),
    });
  }

  setNamespace(tenantId: string, name: string, labels: Labels = {}): void {
    this.tenant(tenantId).namespaces.set(name, { ...labels, "kubernetes.io/metadata.name": name });
  }

  /** Replaces the tenant's groups (valid ones) and resolves every pod's groups again. */
  setGroups(tenantId: string, groups: readonly SecurityGroup[]): void {
    const t = this.tenant(tenantId);
    t.groups = new Map(groups.map((g) => [g.name, g]));
    t.attachments = compileGroupAttachments(groups, this.limits);
    this.matchers.invalidateTenant(tenantId);
    for (const port of [...t.ports.values()]) this.store(t, { ...port, groups: this.resolveGroups(t, port) });
  }

  setNetworkPolicies(tenantId: string, policies: readonly NetworkPolicy[]): void {
    const t = this.tenant(tenantId);
    t.policyObjects = policies;
    t.policies = policies.length === 0 ? undefined : new NetworkPolicySet(policies);
  }

  /** Drops the tenant's compiled matchers and compiles its policies again (what a rule edit costs a check). */
  recompileTables(tenantId: string): void {
    this.matchers.invalidateTenant(tenantId);
    this.setNetworkPolicies(tenantId, this.tenant(tenantId).policyObjects);
  }

  setBlocklist(entries: readonly BlocklistEntry[]): void {
    this.blocklist = new Blocklist(entries);
  }

  /** Adds a pod's port, its groups resolved; throws the attachment's refusal (too many groups). */
  addPod(tenantId: string, pod: MemoryPodInput): PortIdentity {
    const t = this.tenant(tenantId);
    if (!t.namespaces.has(pod.namespace)) this.setNamespace(tenantId, pod.namespace);
    const base: PortIdentity = {
      tenantId,
      namespace: pod.namespace,
      podName: pod.podName,
      labels: pod.labels ?? {},
      ip: parseIpv4(pod.ip),
      mac: canonicalMac(pod.mac),
      groups: [],
      ...(pod.containerPorts ? { containerPorts: pod.containerPorts } : {}),
      ...(pod.allowedAddressPairs ? { allowedAddressPairs: pod.allowedAddressPairs } : {}),
      ...(pod.publicIp !== undefined ? { publicIp: parseIpv4(pod.publicIp) } : {}),
    };
    const port = { ...base, groups: this.resolveGroups(t, base) };
    this.store(t, port);
    return port;
  }

  removePod(tenantId: string, ip: string): void {
    const t = this.tenant(tenantId);
    const port = t.ports.get(parseIpv4(ip));
    if (port === undefined) return;
    t.ports.delete(port.ip);
    if (port.publicIp !== undefined) this.publicPorts.delete(port.publicIp);
  }

  /** The tenant's port at a private address (throws when none: a test's mistake). */
  port(tenantId: string, ip: string): PortIdentity {
    const p = this.portAt(tenantId, parseIpv4(ip));
    if (p === undefined) throw new Error(`no pod at ${ip} in tenant ${tenantId}`);
    return p;
  }

  // --- SecurityNetworkView ----------------------------------------------------------------

  vpcContains(tenantId: string, ip: Ipv4): boolean {
    return this.tenants.get(tenantId)?.vpc.some((c) => cidrContains(c, ip)) ?? false;
  }
  portAt(tenantId: string, ip: Ipv4): PortIdentity | undefined {
    return this.tenants.get(tenantId)?.ports.get(ip);
  }
  portAtPublicAddress(ip: Ipv4): PortIdentity | undefined {
    return this.publicPorts.get(ip);
  }
  internetAddressOf(port: PortIdentity): Ipv4 | undefined {
    return port.publicIp ?? this.tenants.get(port.tenantId)?.nat;
  }
  namespaceLabels(tenantId: string, namespace: string): Labels | undefined {
    return this.tenants.get(tenantId)?.namespaces.get(namespace);
  }

  // --- SecurityTables -----------------------------------------------------------------------

  groupMatcher(port: PortIdentity): SecurityGroupMatcher {
    return this.matchers.matcherFor(port.tenantId, port.groups);
  }
  networkPolicies(tenantId: string): NetworkPolicySet | undefined {
    return this.tenants.get(tenantId)?.policies;
  }
  blackholedUntil(ip: Ipv4, now: number): number | undefined {
    return this.ddos.blackholedUntil(ip, now);
  }

  private tenant(tenantId: string): Tenant {
    const t = this.tenants.get(tenantId);
    if (t === undefined) throw new Error(`unknown tenant ${tenantId}: addTenant first`);
    return t;
  }

  private resolveGroups(t: Tenant, port: PortIdentity): readonly string[] {
    const r = t.attachments.resolve({ namespace: port.namespace, labels: port.labels, podName: port.podName });
    if (!r.ok) throw new Error(r.message);
    return r.groups;
  }

  private store(t: Tenant, port: PortIdentity): void {
    t.ports.set(port.ip, port);
    if (port.publicIp !== undefined) this.publicPorts.set(port.publicIp, port);
  }
}
