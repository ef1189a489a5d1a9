/**
 * The orchestrator port: the one interface the routers (and through them the typed client and
 * cloudctl), billing, monitoring, the demo and the test world depend on. Nothing outside
 * server/engine names the engine's implementation (`createEngine`'s return type, `internals`;
 * orchestrator-boundary.test.ts checks it): an engine refactor changes what sits behind this
 * port, not its callers, and the API's views (`.output()`) keep the wire apart from both.
 *
 * Contracts, by group:
 * - Commands are async, take the tenant id first, validate their input and either commit
 *   their whole change or throw EngineError (NOT_FOUND, INVALID, QUOTA_EXCEEDED,
 *   GROWTH_FROZEN, CONFLICT, UNAVAILABLE) and change nothing; controllers converge after.
 * - Queries are synchronous reads of the engine's cache. A tenant query sees only that
 *   tenant's objects; operator queries see the whole cluster and are never reachable by a
 *   tenant (the API checks the operator role first). Results are the engine's immutable
 *   objects: callers must not mutate them, and the API turns them into views (`.output()`).
 * - Admission hooks: every command runs through the admission plugins. Quota is one
 *   (`setQuota`/`getQuota` are its controls); the growth freeze is another, owned by billing,
 *   which sets it again at every start since the engine keeps freezes in memory only.
 * - Namespaces are owned by one tenant each; namespaced commands and queries take a
 *   `namespace` (commands: default the tenant's default one; lists: absent = all of them).
 * - Watch delivers committed changes in commit order, resumable by revision.
 * - Lifecycle: the owner of the process (services) starts and stops the engine, or has it
 *   follow the store as a standby (served reads, refused commands) until it starts; tests and
 *   benchmarks drive a virtual clock with `settle`/`runFor`.
 */
import type { GrowthFreeze } from "../admission/admission";
import type { FollowStatus } from "../core/follower";
import type { Page } from "../core/lookup";
import type {
  ConfigMap,
  Deployment,
  EngineEvent,
  Namespace,
  Node,
  NodePool,
  Pod,
  ReplicaSet,
  ResourceQuota,
  ManagedFields,
  Resources,
  Secret,
  TenantQuota,
} from "../kinds/types";
import type { ConfigMapInput } from "../kinds/config-map";
import type { LimitRange, LimitRangeInput } from "../kinds/limit-range";
import type { SecretInput } from "../kinds/secret";
import type { EndpointSlice } from "../kinds/endpoint-slice";
import type { Service, ServiceInput } from "../kinds/service";
import type { ForwardingEntryView, LookupResult } from "../network/forwarding";
import type { PodSecurityGroups } from "./security-commands";
import type { ServiceLookupInput } from "./service-commands";
import type { NetworkPolicyInput, NetworkPolicyObject } from "../kinds/network-policy";
import type { PortBan, PortBanInput } from "../kinds/port-ban";
import type { SecurityGroupObject, SecurityGroupObjectInput } from "../kinds/security-group";
import type { SubnetInput, SubnetObject } from "../kinds/subnet";
import type { VpcInput, VpcObject } from "../kinds/vpc";
import type { PublicIp, PublicIpInput, PublicIpTarget } from "../kinds/public-ip";
import type { PublicIpPool, PublicIpPoolInput, PublicIpPoolView } from "../kinds/public-ip-pool";
import type { ConnectivityCheckInput, ConnectivityCheckResult, TenantNetworkView } from "./network-types";
import type { NodePoolInput, QuotaInput, ResourceQuotaInput } from "../kinds/validation";
import type { QueueDepth } from "../queue/work-queue";
import type { SchedulerStats } from "../scheduler/scheduler";
import type { Watch, WatchEvent, WatchKind, WatchOptions } from "../watch/types";
import type { CreateDeploymentInput, UpdateDeploymentInput, WriteOptions } from "./deployment-commands";
import type { DryRunOption } from "./dry-run";
import type { CreateNamespaceInput, NamespaceView, UpdateNamespaceMetadataInput } from "./namespace-commands";
import type { Precondition, UpdateNodePoolInput } from "./node-commands";
import type { OperatorNodeView, PodPlacement, TenantUsage } from "./operator-queries";
import type { CacheQueries } from "./port-queries";
import type {
  DeploymentView,
  ListOptions,
  NamespacedListOptions,
  NamespaceOption,
  NodeView,
  PodFilter,
} from "./queries";

export type {
  PublicIp,
  PublicIpInput,
  PublicIpPool,
  PublicIpPoolInput,
  PublicIpPoolView,
  PublicIpTarget,
  ConnectivityCheckInput,
  ConnectivityCheckResult,
  NetworkPolicyInput,
  NetworkPolicyObject,
  PortBan,
  PortBanInput,
  SecurityGroupObject,
  SecurityGroupObjectInput,
  SubnetInput,
  SubnetObject,
  TenantNetworkView,
  VpcInput,
  VpcObject,
  CreateNamespaceInput,
  DryRunOption,
  FollowStatus,
  NamespaceView,
  OperatorNodeView,
  PodPlacement,
  TenantUsage,
  Watch,
  WatchEvent,
  WatchKind,
  WatchOptions,
};

/** An event recorded from outside the engine (alerts, billing), de-duplicated like the engine's own. */
export interface ExternalEventInput {
  objectKind: string;
  objectName: string;
  type: "Normal" | "Warning";
  /** CamelCase, at most 64 letters (INVALID otherwise). */
  reason: string;
  message: string;
}

export interface EventFilter extends NamespacedListOptions {
  objectKind?: string;
  objectName?: string;
  type?: "Normal" | "Warning";
}

/** A tenant's limits (absent = unlimited), what its running pods and nodes use, and what its deployments claim. */
export interface QuotaStatus {
  limits: { cpuMillis?: number; memoryBytes?: number; pods?: number; nodes?: number; publicIps?: number };
  used: Resources & { pods: number; nodes: number; publicIps: number };
  /** Steady-state claims of the deployments (a rolling one claims its surge too). */
  claimed: Resources & { pods: number };
}

/** The operators' view of the whole engine. */
export interface EngineStats {
  tenants: number;
  nodes: number;
  nodesByPhase: Record<string, number>;
  capacity: Resources & { pods: number };
  allocated: Resources & { pods: number };
  pods: number;
  podsByPhase: Record<string, number>;
  podsTerminating: number;
  podsAvailable: number;
  deployments: number;
  events: number;
  queues: Record<string, QueueDepth>;
  scheduler: SchedulerStats;
  engine: {
    passes: number;
    commits: number;
    commitFailures: number;
    syncErrors: number;
    opsCommitted: number;
    pendingWorkTimers: number;
  };
}

/** Starting, stopping and (virtual clock only) driving time. */
export interface OrchestratorLifecycle {
  /**
   * Load everything from the store, then reconcile it all (safe after a crash). Following, it
   * catches up from the followed revision instead of loading ("followed"; "loaded" otherwise).
   */
  start(): Promise<"loaded" | "followed" | "running">;
  /** Stop controllers, timers and the runtime (or stop following); uncommitted work is lost (by design). */
  stop(): Promise<void>;
  /**
   * Stand by (another process runs the engine): load the store, then follow its change log, so
   * queries and watches answer with what the leader committed; nothing runs and commands are
   * refused. `start()` then promotes: it catches up from the followed revision instead of loading.
   */
  follow(): Promise<void>;
  /** How current a standing-by engine is (undefined unless it follows). */
  followStatus(): FollowStatus | undefined;
  /** True between start() and stop(): jobs around the engine (billing) run only then. */
  isRunning(): boolean;
  /** Wait until no controller pass is running or queued (does not move time). */
  whenIdle(): Promise<void>;
  /** Virtual clock only: advance time until no work is queued or timed (bounded by maxMs). */
  settle(maxMs?: number): Promise<{ idle: boolean; elapsedMs: number }>;
  /** Virtual clock only: advance exactly `ms`, running controllers at every timer; onStep sees each state. */
  runFor(ms: number, onStep?: () => void): Promise<void>;
}

/**
 * Tenant commands on workloads (deployments and their pods). Refs are names or ids; a name is
 * looked up in `opts.namespace` (default: the tenant's default namespace). `opts.resourceVersion`
 * is a precondition: CONFLICT, and nothing changed, unless it is still the object's. `dryRun`
 * (where taken): the command's checks and admission, its answer, nothing stored (dry-run.ts).
 */
export interface WorkloadCommands {
  /** Created in `input.namespace` (default: the tenant's default namespace). */
  createDeployment(tenantId: string, input: CreateDeploymentInput, opts?: DryRunOption): Promise<Deployment>;
  /** A template change starts a rollout; a replicas change does not. */
  updateDeployment(
    tenantId: string,
    ref: string,
    patch: UpdateDeploymentInput,
    opts?: WriteOptions & DryRunOption,
  ): Promise<Deployment>;
  scaleDeployment(
    tenantId: string,
    ref: string,
    replicas: number,
    opts?: WriteOptions & DryRunOption & { managedFields?: ManagedFields },
  ): Promise<Deployment>;
  /** Copies revision `toRevision` (default: the previous one) into a new highest revision. */
  rollbackDeployment(tenantId: string, ref: string, toRevision?: number, opts?: WriteOptions): Promise<Deployment>;
  pauseDeployment(tenantId: string, ref: string, opts?: WriteOptions): Promise<Deployment>;
  resumeDeployment(tenantId: string, ref: string, opts?: WriteOptions): Promise<Deployment>;
  restartDeployment(tenantId: string, ref: string, opts?: WriteOptions): Promise<Deployment>;
  /** Deletes it and its replica sets now; its pods terminate gracefully. */
  deleteDeployment(tenantId: string, ref: string, opts?: WriteOptions & DryRunOption): Promise<void>;
  deletePod(
    tenantId: string,
    ref: string,
    opts?: WriteOptions & DryRunOption & { gracePeriodSeconds?: number },
  ): Promise<void>;
  /** Make-before-break: starts a copy on the node, stops the original once the copy is available. */
  movePod(tenantId: string, podRef: string, nodeRef: string, opts?: WriteOptions): Promise<Pod>;
  recordEvent(tenantId: string, e: ExternalEventInput): Promise<void>;
}

/**
 * A tenant's namespaces: names unique across every tenant (another tenant's name is refused
 * as if it were the caller's own, revealing nobody's). Deleting one deletes what is in it.
 */
export interface NamespaceCommands {
  /** Idempotent: the tenant's default namespace, created when missing (tenancy calls it at creation and start). */
  ensureTenantNamespace(tenantId: string, name: string): Promise<Namespace>;
  createNamespace(tenantId: string, input: CreateNamespaceInput, opts?: DryRunOption): Promise<Namespace>;
  /** Marks it Terminating; the namespace controller deletes its contents, then the namespace. */
  deleteNamespace(tenantId: string, name: string, opts?: Precondition & DryRunOption): Promise<Namespace>;
  /** Replace a namespace's labels and annotations (absent: kept) and its managed fields. */
  updateNamespaceMetadata(
    tenantId: string,
    name: string,
    input: UpdateNamespaceMetadataInput,
    opts?: DryRunOption,
  ): Promise<Namespace>;
  listNamespaces(tenantId: string, opts?: ListOptions): Page<NamespaceView>;
  getNamespace(tenantId: string, name: string): NamespaceView;
}

/**
 * A namespace's ConfigMaps and Secrets (api/config-commands.ts): create refuses a taken name,
 * replace is a whole-object PUT with an optional resourceVersion precondition, immutable
 * objects refuse data changes. Secrets are plain base64 here; the store encrypts them at rest.
 */
export interface ConfigCommands {
  createConfigMap(tenantId: string, input: ConfigMapInput, opts?: DryRunOption): Promise<ConfigMap>;
  replaceConfigMap(tenantId: string, input: ConfigMapInput, opts?: DryRunOption): Promise<ConfigMap>;
  deleteConfigMap(tenantId: string, name: string, opts?: NamespaceOption & Precondition & DryRunOption): Promise<void>;
  listConfigMaps(tenantId: string, opts?: NamespacedListOptions): Page<ConfigMap>;
  getConfigMap(tenantId: string, name: string, opts?: NamespaceOption): ConfigMap;
  createSecret(tenantId: string, input: SecretInput, opts?: DryRunOption): Promise<Secret>;
  replaceSecret(tenantId: string, input: SecretInput, opts?: DryRunOption): Promise<Secret>;
  deleteSecret(tenantId: string, name: string, opts?: NamespaceOption & Precondition & DryRunOption): Promise<void>;
  listSecrets(tenantId: string, opts?: NamespacedListOptions): Page<Secret>;
  getSecret(tenantId: string, name: string, opts?: NamespaceOption): Secret;
}

/**
 * A namespace's LimitRanges (api/limit-range-commands.ts), in the shape of ConfigCommands:
 * create refuses a taken name, replace is a whole-object PUT with an optional resourceVersion
 * precondition. The stored object holds Kubernetes' defaults for Container items; an
 * inconsistent one is refused. They act when a deployment's template is admitted (defaults
 * filled in, breaking templates refused: admission/limit-range.ts), never on what exists.
 */
export interface LimitRangeCommands {
  createLimitRange(tenantId: string, input: LimitRangeInput, opts?: DryRunOption): Promise<LimitRange>;
  replaceLimitRange(tenantId: string, input: LimitRangeInput, opts?: DryRunOption): Promise<LimitRange>;
  deleteLimitRange(tenantId: string, name: string, opts?: NamespaceOption & Precondition & DryRunOption): Promise<void>;
  listLimitRanges(tenantId: string, opts?: NamespacedListOptions): Page<LimitRange>;
  getLimitRange(tenantId: string, name: string, opts?: NamespaceOption): LimitRange;
}

/**
 * A namespace's Services (api/service-commands.ts), in the shape of ConfigCommands, and the
 * EndpointSlices the endpoints controller keeps for them (read only). A Service gets its ClusterIP
 * from the tenant's own service range at creation and keeps it; a LoadBalancer's EXTERNAL-IP is the
 * PublicIP bound to it (`status.loadBalancer.ingress`; `<pending>` without one). The forwarding reads answer from the tenant's table, fed by the
 * committed Services and EndpointSlices (the leader's memory: a standby does not answer them).
 */
export interface ServiceCommands {
  createService(tenantId: string, input: ServiceInput, opts?: DryRunOption): Promise<Service>;
  replaceService(tenantId: string, input: ServiceInput, opts?: DryRunOption): Promise<Service>;
  deleteService(tenantId: string, name: string, opts?: NamespaceOption & Precondition & DryRunOption): Promise<void>;
  listServices(tenantId: string, opts?: NamespacedListOptions): Page<Service>;
  getService(tenantId: string, name: string, opts?: NamespaceOption): Service;
  listEndpointSlices(tenantId: string, opts?: NamespacedListOptions & { service?: string }): Page<EndpointSlice>;
  /** The forwarding decision for a first packet to a service address of the tenant. */
  lookupServiceRoute(tenantId: string, dst: ServiceLookupInput): LookupResult;
  /** The tenant's forwarding table, row by row. */
  listForwardingEntries(tenantId: string): ForwardingEntryView[];
}

/**
 * A tenant's network as the console draws it, and the connectivity check (api/network-queries.ts).
 * Both read the leader's memory (IPAM, forwarding and security tables): a standby does not answer
 * them (UNAVAILABLE).
 */
export interface NetworkQueries {
  /** The tenant's VPC, its subnets with address usage and namespaces, its service range and DNS suffix. */
  getTenantNetwork(tenantId: string): TenantNetworkView;
  /**
   * Would a first packet from the pod reach the destination now? Decided by the same filters and
   * tables the traffic model uses (network/security/decide-flow.ts), with every stage's outcome in
   * `trace`; a Service resolves through the tenant's forwarding table to one endpoint. An unknown
   * pod or service, or another tenant's, is NOT_FOUND; bad input INVALID with its field.
   */
  checkConnectivity(tenantId: string, input: ConnectivityCheckInput): ConnectivityCheckResult;
}

/**
 * A tenant's Vpc and Subnets (api/network-commands.ts; its own, outside namespaces), in the shape
 * of SecurityCommands. Exactly one Vpc, `default`, made with the tenant's first namespace with its
 * default Subnet (a second Vpc is INVALID; deleting it while it has subnets CONFLICT; its CIDR
 * changes only while every subnet fits). A Subnet's block is inside the VPC and overlaps no other
 * (INVALID at `spec.cidrBlock`); a namespace is named by one subnet at most (INVALID at
 * `spec.namespaces[i]`); exactly one is the default (marking one takes it from the other). New pods
 * of a namespace take addresses from its subnet, else the default; changing `spec.namespaces`
 * affects new pods only. A subnet holding a live pod's address cannot be deleted or shrunk past it
 * (CONFLICT naming the pod); the default cannot be deleted. Another tenant's is NOT_FOUND.
 */
export interface NetworkCommands {
  createVpc(tenantId: string, input: VpcInput, opts?: DryRunOption): Promise<VpcObject>;
  replaceVpc(tenantId: string, input: VpcInput, opts?: DryRunOption): Promise<VpcObject>;
  deleteVpc(tenantId: string, name: string, opts?: Precondition & DryRunOption): Promise<void>;
  /** With `status.subnets`. */
  listVpcs(tenantId: string, opts?: ListOptions): Page<VpcObject>;
  getVpc(tenantId: string, name: string): VpcObject;
  createSubnet(tenantId: string, input: SubnetInput, opts?: DryRunOption): Promise<SubnetObject>;
  replaceSubnet(tenantId: string, input: SubnetInput, opts?: DryRunOption): Promise<SubnetObject>;
  deleteSubnet(tenantId: string, name: string, opts?: Precondition & DryRunOption): Promise<void>;
  /** With `status` (usable, used, onHold, free from the leader's IPAM; the namespaces served), by name. */
  listSubnets(tenantId: string, opts?: ListOptions): Page<SubnetObject>;
  getSubnet(tenantId: string, name: string): SubnetObject;
}

/**
 * A tenant's SecurityGroups (its own, outside namespaces, like NodePools) and a namespace's
 * NetworkPolicies (api/security-commands.ts), in the shape of ConfigCommands: create refuses a
 * taken name (CONFLICT), replace is a whole-object PUT with an optional resourceVersion
 * precondition, an invalid object is INVALID with the field path; `dryRun`: checked, nothing
 * stored. A group's rules per direction and the groups per pod are bounded (network/security/
 * limits.ts); a pod whose groups exceed them is kept from starting (Pending, with an event).
 * The operator's port bans are readable by every tenant.
 */
export interface SecurityCommands {
  createSecurityGroup(
    tenantId: string,
    input: SecurityGroupObjectInput,
    opts?: DryRunOption,
  ): Promise<SecurityGroupObject>;
  replaceSecurityGroup(
    tenantId: string,
    input: SecurityGroupObjectInput,
    opts?: DryRunOption,
  ): Promise<SecurityGroupObject>;
  /** Refused (CONFLICT) while another group's rule names it as remoteSecurityGroup. */
  deleteSecurityGroup(tenantId: string, name: string, opts?: Precondition & DryRunOption): Promise<void>;
  /** With `status.attachedPods`. */
  listSecurityGroups(tenantId: string, opts?: ListOptions): Page<SecurityGroupObject>;
  /** With `status.attachedPods`. */
  getSecurityGroup(tenantId: string, name: string): SecurityGroupObject;
  /** The groups that apply to the pod now (by selector or namespace default), as its port gets them. */
  podSecurityGroups(tenantId: string, podRef: string, opts?: NamespaceOption): PodSecurityGroups;
  createNetworkPolicy(tenantId: string, input: NetworkPolicyInput, opts?: DryRunOption): Promise<NetworkPolicyObject>;
  replaceNetworkPolicy(tenantId: string, input: NetworkPolicyInput, opts?: DryRunOption): Promise<NetworkPolicyObject>;
  deleteNetworkPolicy(
    tenantId: string,
    name: string,
    opts?: NamespaceOption & Precondition & DryRunOption,
  ): Promise<void>;
  listNetworkPolicies(tenantId: string, opts?: NamespacedListOptions): Page<NetworkPolicyObject>;
  getNetworkPolicy(tenantId: string, name: string, opts?: NamespaceOption): NetworkPolicyObject;
  /** Every operator port ban, by name (tenants may read what is banned). */
  listPortBans(): PortBan[];
}

/** Operator commands on the cluster-wide L4 blocklist (never reachable by a tenant). */
export interface OperatorNetworkCommands {
  /** CONFLICT when the name is taken; INVALID with the field (`spec.portRangeMax`, …). */
  addPortBan(input: PortBanInput, opts?: DryRunOption): Promise<PortBan>;
  /** A whole-object replace: NOT_FOUND when there is none of that name, CONFLICT on a stale resourceVersion. */
  replacePortBan(input: PortBanInput, opts?: DryRunOption): Promise<PortBan>;
  /** NOT_FOUND when there is none of that name; CONFLICT when `resourceVersion` is not the ban's. */
  removePortBan(name: string, opts?: DryRunOption & { resourceVersion?: number }): Promise<void>;
}

/**
 * A namespace's PublicIPs (api/public-ip-commands.ts), in the shape of ConfigCommands: an address of
 * the operators' pool, held by the tenant from creation to deletion (quota `publicIps`), bound to a
 * pod (its public NIC) or a LoadBalancer Service of the namespace, or to nothing. Another tenant's
 * PublicIP is NOT_FOUND; an exhausted pool is CONFLICT `no free public address in the pool` (naming
 * nobody); a released address is held 5 min before any tenant gets it again. One target holds at
 * most one PublicIP (CONFLICT); a target that does not exist yet is allowed (phase Pending).
 */
export interface PublicIpCommands {
  createPublicIp(tenantId: string, input: PublicIpInput, opts?: DryRunOption): Promise<PublicIp>;
  /** Whole-object PUT (spec only; status is the engine's); status.address immutable. */
  replacePublicIp(tenantId: string, input: PublicIpInput, opts?: DryRunOption): Promise<PublicIp>;
  bindPublicIp(
    tenantId: string,
    name: string,
    target: PublicIpTarget & { sticky?: boolean },
    opts?: NamespaceOption & Precondition,
  ): Promise<PublicIp>;
  unbindPublicIp(tenantId: string, name: string, opts?: NamespaceOption & Precondition): Promise<PublicIp>;
  /** Release: the address goes back to the pool after the hold. */
  deletePublicIp(tenantId: string, name: string, opts?: NamespaceOption & Precondition & DryRunOption): Promise<void>;
  listPublicIps(tenantId: string, opts?: NamespacedListOptions): Page<PublicIp>;
  getPublicIp(tenantId: string, name: string, opts?: NamespaceOption): PublicIp;
}

/** Per tenant: public IPs held and bandwidth bought, and its pods' modelled traffic now. */
export interface TenantNetworkUsage {
  tenantId: string;
  /** Held (any phase). */
  publicIps: number;
  boundPublicIps: number;
  /** Sum bought. */
  bandwidthMbps: number;
  /** All its pods' achieved receive, from the traffic model now. */
  rxBitsPerSecond: number;
  txBitsPerSecond: number;
  /** All reasons. */
  droppedPacketsPerSecond: number;
  blackholedPublicIps: number;
}

/**
 * Operators' public address pools, every tenant's PublicIPs and their DDoS protection, and the
 * network usage by tenant (never reachable by a tenant). Pool usage, DDoS overrides and usage read
 * or drive the leader's memory (allocator, DDoS state, traffic model).
 */
export interface OperatorPublicIpCommands {
  createPublicIpPool(input: PublicIpPoolInput, opts?: DryRunOption): Promise<PublicIpPool>;
  /** Removing a CIDR that holds allocated addresses: CONFLICT naming it. */
  replacePublicIpPool(input: PublicIpPoolInput, opts?: DryRunOption): Promise<PublicIpPool>;
  /** CONFLICT while any of its addresses is allocated. */
  deletePublicIpPool(name: string, opts?: DryRunOption & { resourceVersion?: number }): Promise<void>;
  listPublicIpPools(): PublicIpPoolView[];
  getPublicIpPool(name: string): PublicIpPoolView;
  /** Every tenant's public IPs (operators' view), by tenant then namespace then name. */
  listAllPublicIps(opts?: ListOptions & { tenantId?: string }): Page<PublicIp>;
  /** End a blackhole now (event DDoSBlackholeEnded, cause cleared). NOT_FOUND for an unknown address. */
  clearDdosBlackhole(address: string): Promise<PublicIp>;
  /** enabled=false: never black-holed (ends one in force); true: protected again. */
  setDdosProtection(address: string, enabled: boolean): Promise<PublicIp>;
  /** DDoS events across tenants, newest first (the EngineEvents with reason DDoSBlackholed/Ended). */
  listDdosEvents(opts?: ListOptions): Page<EngineEvent>;
  /** Per tenant: public IPs held and bandwidth bought, and its pods' modelled traffic now. */
  networkUsageByTenant(): TenantNetworkUsage[];
}

/** Tenant commands on infrastructure (node pools and nodes: the tenant's own, outside namespaces). */
export interface InfrastructureCommands {
  createNodePool(tenantId: string, input: NodePoolInput): Promise<NodePool>;
  updateNodePool(tenantId: string, ref: string, patch: UpdateNodePoolInput, opts?: Precondition): Promise<NodePool>;
  /** Refused (CONFLICT) while a pod is on one of its nodes. */
  deleteNodePool(tenantId: string, ref: string, opts?: Precondition): Promise<void>;
  cordonNode(tenantId: string, ref: string, opts?: Precondition): Promise<Node>;
  uncordonNode(tenantId: string, ref: string, opts?: Precondition): Promise<Node>;
  /** Cordon, then evict every pod gracefully. */
  drainNode(tenantId: string, ref: string, opts?: Precondition): Promise<{ evicted: number }>;
}

/** Operator commands: failure injection on any tenant's node (by id). */
export interface OperatorCommands {
  injectNodeFailure(nodeId: string): Promise<void>;
  recoverNode(nodeId: string): Promise<void>;
}

/** A namespace's ResourceQuota, with what the namespace uses now. */
export type ResourceQuotaView = ResourceQuota & { used: Resources & { pods: number } };

/**
 * The admission plugins' controls: quota (per tenant, and per namespace as Kubernetes'
 * ResourceQuota) and billing's growth freeze.
 */
export interface AdmissionHooks {
  /** Set the tenant's limits; omitted fields are unlimited. Lowering below usage blocks new work only. */
  setQuota(tenantId: string, input: QuotaInput): Promise<TenantQuota>;
  getQuota(tenantId: string): QuotaStatus;
  /** Create or replace one named quota of a namespace (default name "namespace-quota"). */
  setResourceQuota(tenantId: string, input: ResourceQuotaInput): Promise<ResourceQuota>;
  deleteResourceQuota(tenantId: string, name: string, opts?: NamespaceOption & Precondition): Promise<void>;
  listResourceQuotas(tenantId: string, opts?: NamespaceOption): ResourceQuotaView[];
  /**
   * Freeze a tenant's growth (or thaw it, with undefined): from the next command on,
   * whatever would raise its claims is refused with GROWTH_FROZEN and this reason.
   */
  setGrowthFrozen(tenantId: string, freeze: GrowthFreeze | undefined): void;
  growthFreeze(tenantId: string): GrowthFreeze | undefined;
}

/** Tenant reads. Namespaced lists read `namespace`, or every namespace of the tenant when it is absent. */
export interface TenantQueries {
  listDeployments(tenantId: string, opts?: NamespacedListOptions): Page<Deployment>;
  getDeployment(tenantId: string, ref: string, opts?: NamespaceOption): DeploymentView;
  /** Kept revisions (replica sets), oldest first. */
  listRevisions(tenantId: string, ref: string, opts?: NamespaceOption): ReplicaSet[];
  listPods(tenantId: string, filter?: PodFilter): Page<Pod>;
  getPod(tenantId: string, ref: string, opts?: NamespaceOption): Pod;
  /** A container's log lines; `previous`: its last terminated instance's ([] when it has not been restarted). */
  getPodLogs(
    tenantId: string,
    ref: string,
    container?: string,
    opts?: NamespaceOption & { previous?: boolean },
  ): string[];
  getPodUsage(tenantId: string, ref: string, opts?: NamespaceOption): Resources | undefined;
  listNodes(tenantId: string, opts?: ListOptions & { pool?: string }): Page<NodeView>;
  getNode(tenantId: string, ref: string): NodeView;
  listNodePools(tenantId: string, opts?: ListOptions): Page<NodePool>;
  /** Newest first. */
  listEvents(tenantId: string, opts?: EventFilter): Page<EngineEvent>;
}

/**
 * Changes as they commit (Kubernetes' watch): one kind or "*", one tenant or (operators,
 * `tenantId` undefined) all, in commit order, each once, resumable from a revision inside the
 * change log's window (an ERROR 410 "Expired" event beyond it: re-list). The callback runs
 * synchronously in the commit's fan-out: it must not block; it buffers (bounded) instead.
 */
export interface OrchestratorWatch {
  watch(kind: WatchKind, opts: WatchOptions, onEvent: (e: WatchEvent) => void): Watch;
  /** The revision of the last commit: where a watch that wants no initial list starts from. */
  currentRevision(): number;
}

/** Operator reads, across every tenant. */
export interface OperatorQueries {
  stats(): EngineStats;
  /** Every node (warm standbys included), by tenant then name; `search` matches part of the name. */
  listAllNodes(opts?: ListOptions & { tenantId?: string; search?: string }): Page<OperatorNodeView>;
  /** Every live node with its Running pods: what each node's monitoring agent collects. */
  runningPodsByNode(): { node: Node; pods: PodPlacement[] }[];
  usageByTenant(): TenantUsage[];
}

/** The orchestrator port: every group above. */
export interface Orchestrator
  extends OrchestratorLifecycle,
    WorkloadCommands,
    NamespaceCommands,
    ConfigCommands,
    LimitRangeCommands,
    ServiceCommands,
    NetworkQueries,
    NetworkCommands,
    SecurityCommands,
    OperatorNetworkCommands,
    PublicIpCommands,
    OperatorPublicIpCommands,
    InfrastructureCommands,
    OperatorCommands,
    AdmissionHooks,
    TenantQueries,
    OperatorQueries,
    CacheQueries,
    OrchestratorWatch {}
