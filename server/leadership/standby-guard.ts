/**
 * The engine as requests see it on a standby. On the leader the guard passes every call through
 * unchanged. On a standby each member of the Orchestrator port is classified (`ORCHESTRATOR_ACCESS`):
 * - "read": answered from the standby's followed cache (core/follower.ts) while it follows the
 *   store's change log (PostgreSQL); before that (loading, or on a standby that cannot follow)
 *   it throws UNAVAILABLE ("standby: the engine runs in another process"), which the API answers
 *   as 503, rather than answer from a cache that holds nothing (empty lists would read as "you
 *   have nothing");
 * - "leader": always UNAVAILABLE on a standby: every command (and so every write), driving the
 *   lifecycle, and the reads only the leader's process can answer (the runtime's logs and usage,
 *   billing's in-memory growth freezes);
 * - "any": answered by any process about itself (whether its engine runs, how current it is).
 * The record's type makes the compiler name a port member added without a class, and a member
 * of the engine outside the port (its `internals`) is "leader" by default.
 * The jobs around the engine (billing, monitoring, history) hold the engine itself: they only
 * run on the leader.
 */
import { EngineError, type Orchestrator } from "../engine";

const standbyMessage =
  "standby: the engine runs in another process; try again in a few seconds, or on the active server";

export function standbyError(): EngineError {
  return new EngineError("UNAVAILABLE", standbyMessage, { key: "lease.standby", text: standbyMessage });
}

export type StandbyAccess = "read" | "leader" | "any";

/** Who answers each member of the port on a standby. */
export const ORCHESTRATOR_ACCESS = {
  // Lifecycle belongs to the process's owner, which holds the engine itself.
  start: "leader",
  stop: "leader",
  follow: "leader",
  whenIdle: "leader",
  settle: "leader",
  runFor: "leader",
  isRunning: "any",
  followStatus: "any",
  // Commands.
  createDeployment: "leader",
  updateDeployment: "leader",
  scaleDeployment: "leader",
  rollbackDeployment: "leader",
  pauseDeployment: "leader",
  resumeDeployment: "leader",
  restartDeployment: "leader",
  deleteDeployment: "leader",
  deletePod: "leader",
  movePod: "leader",
  recordEvent: "leader",
  ensureTenantNamespace: "leader",
  createNamespace: "leader",
  deleteNamespace: "leader",
  updateNamespaceMetadata: "leader",
  createNodePool: "leader",
  updateNodePool: "leader",
  deleteNodePool: "leader",
  cordonNode: "leader",
  uncordonNode: "leader",
  drainNode: "leader",
  injectNodeFailure: "leader",
  recoverNode: "leader",
  setQuota: "leader",
  setResourceQuota: "leader",
  deleteResourceQuota: "leader",
  createConfigMap: "leader",
  replaceConfigMap: "leader",
  deleteConfigMap: "leader",
  createSecret: "leader",
  replaceSecret: "leader",
  deleteSecret: "leader",
  createService: "leader",
  replaceService: "leader",
  deleteService: "leader",
  // The forwarding tables are the leader's memory (a standby runs no informer that feeds them).
  lookupServiceRoute: "leader",
  listForwardingEntries: "leader",
  // The tenant network's usage and the connectivity check read the leader's IPAM and tables.
  getTenantNetwork: "leader",
  checkConnectivity: "leader",
  createVpc: "leader",
  replaceVpc: "leader",
  deleteVpc: "leader",
  createSubnet: "leader",
  replaceSubnet: "leader",
  deleteSubnet: "leader",
  // A subnet's status is the leader's IPAM (usage, holds); a VPC's only names its subnets.
  listSubnets: "leader",
  getSubnet: "leader",
  createSecurityGroup: "leader",
  replaceSecurityGroup: "leader",
  deleteSecurityGroup: "leader",
  createNetworkPolicy: "leader",
  replaceNetworkPolicy: "leader",
  deleteNetworkPolicy: "leader",
  addPortBan: "leader",
  replacePortBan: "leader",
  removePortBan: "leader",
  createPublicIp: "leader",
  replacePublicIp: "leader",
  bindPublicIp: "leader",
  unbindPublicIp: "leader",
  deletePublicIp: "leader",
  createPublicIpPool: "leader",
  replacePublicIpPool: "leader",
  deletePublicIpPool: "leader",
  clearDdosBlackhole: "leader",
  setDdosProtection: "leader",
  // Pool usage reads the leader's allocator (holds are its memory); usage by tenant its traffic model.
  listPublicIpPools: "leader",
  getPublicIpPool: "leader",
  networkUsageByTenant: "leader",
  createLimitRange: "leader",
  replaceLimitRange: "leader",
  deleteLimitRange: "leader",
  setGrowthFrozen: "leader",
  // Reads only the leader can answer: freezes live in its memory, logs and usage in its runtime.
  growthFreeze: "leader",
  getPodLogs: "leader",
  getPodUsage: "leader",
  // Reads of the cache.
  listNamespaces: "read",
  getNamespace: "read",
  getQuota: "read",
  listResourceQuotas: "read",
  listConfigMaps: "read",
  getConfigMap: "read",
  listSecrets: "read",
  getSecret: "read",
  listServices: "read",
  getService: "read",
  listEndpointSlices: "read",
  listVpcs: "read",
  getVpc: "read",
  listSecurityGroups: "read",
  getSecurityGroup: "read",
  podSecurityGroups: "leader",
  listNetworkPolicies: "read",
  getNetworkPolicy: "read",
  listPortBans: "read",
  listPublicIps: "read",
  getPublicIp: "read",
  listAllPublicIps: "read",
  listDdosEvents: "read",
  listLimitRanges: "read",
  getLimitRange: "read",
  listDeployments: "read",
  getDeployment: "read",
  listRevisions: "read",
  listPods: "read",
  getPod: "read",
  listNodes: "read",
  getNode: "read",
  listNodePools: "read",
  listEvents: "read",
  watch: "read",
  currentRevision: "read",
  stats: "read",
  listAllNodes: "read",
  runningPodsByNode: "read",
  usageByTenant: "read",
  eachObject: "read",
  objectById: "read",
  objectNamed: "read",
  objectsOfTenant: "read",
  namespaceNamed: "read",
  podsOfReplicaSet: "read",
  namespaceUsage: "read",
} as const satisfies Record<keyof Orchestrator, StandbyAccess>;

export interface StandbyGuardOptions {
  /** True while this process's engine runs (the guard then passes everything). */
  isLeader(): boolean;
  /** True while the cache answers reads on a standby (it follows the store). Absent: never. */
  servesReads?(): boolean;
  /** The classification (default ORCHESTRATOR_ACCESS); unlisted members are "leader". */
  access?: Readonly<Record<string, StandbyAccess>>;
}

export function guardStandby<T extends object>(engine: T, options: StandbyGuardOptions): T {
  const { isLeader, servesReads = () => false } = options;
  const access: Readonly<Record<string, StandbyAccess>> = options.access ?? ORCHESTRATOR_ACCESS;
  const allowed = (property: string) => {
    if (isLeader()) return true;
    const a = Object.hasOwn(access, property) ? access[property] : "leader";
    return a === "any" || (a === "read" && servesReads());
  };
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      // Symbols and absent names (`then`, probed by every await) are no reads of the engine.
      if (typeof value !== "function") {
        if (value !== undefined && typeof property === "string" && !allowed(property)) throw standbyError();
        return value;
      }
      let guarded = wrapped.get(property);
      if (!guarded) {
        const fn = value as (...args: unknown[]) => unknown;
        const name = typeof property === "string" ? property : "";
        guarded = (...args: unknown[]) => {
          if (!allowed(name)) throw standbyError();
          return fn.apply(target, args);
        };
        wrapped.set(property, guarded);
      }
      return guarded;
    },
  });
}
