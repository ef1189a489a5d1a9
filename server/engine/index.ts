/**
 * Public API of the embedded orchestration engine. Nothing here imports web, database
 * or UI code: the store, clock, RNG and runtime are injected through createEngine(deps).
 */
export { createEngine, type Engine, type EngineDeps } from "./api/engine";
export {
  type Clock,
  type VirtualClock,
  type TimerHandle,
  createRealClock,
  createVirtualClock,
  isVirtualClock,
} from "./queue/clock";
export { type Rng, createRng } from "./queue/rng";
export {
  type EngineStore,
  type WriteBatch,
  type WriteOp,
  type Snapshot,
  type MemoryStore,
  createMemoryStore,
  emptySnapshot,
} from "./store/store";
export {
  EngineError,
  isEngineError,
  type EngineErrorCode,
  type ErrorDetail,
  type MessageParam,
  type MessageRef,
} from "./core/errors";
export type { GrowthFreeze } from "./admission/admission";
export { type EngineConfig, DEFAULT_CONFIG } from "./core/context";
export type { RuntimePort, RuntimeSink, RuntimeContext } from "./runtime/runtime";
export { createSimulatedRuntime, type SimulatedRuntimeOptions } from "./runtime/simulated-runtime";
export { createWorkQueue, type WorkQueue, type Priority, type QueueDepth, PRIORITIES } from "./queue/work-queue";
export { createTimerSet, type TimerSet } from "./queue/timers";
export { parseCpu, parseMemory, formatCpu, formatMemory } from "./kinds/quantity";
export { createGlobalAlgorithm, numFeasibleNodesToFind, type PlacementAlgorithm } from "./scheduler/global-scheduler";
export { tenantAlgorithm } from "./scheduler/scheduler";
export type { Page } from "./core/lookup";
export type {
  ListOptions,
  NamespaceOption,
  NamespacedListOptions,
  PodFilter,
  NodeView,
  DeploymentView,
} from "./api/queries";
export type { CreateDeploymentInput, UpdateDeploymentInput, WriteOptions } from "./api/deployment-commands";
export type { UpdateNodePoolInput, Precondition } from "./api/node-commands";
export type { NamespaceView, ResourceQuotaView } from "./api/namespace-commands";
export type { ServiceLookupInput } from "./api/service-commands";
export type { ServiceInput } from "./kinds/service";
export type {
  ConnectivityCheckInput,
  ConnectivityCheckResult,
  ConnectivityProtocol,
  InternetSourceRef,
  PodEndpointRef,
  SourcePodRef,
  TenantNetworkView,
  TenantSubnetView,
} from "./api/network-types";
export { DEFAULT_VPC_NAME } from "./api/network-queries";
export {
  type SubnetInput,
  type SubnetObject,
  type SubnetSpec,
  type SubnetStatus,
  subnetSchema,
  subnetToKubernetes,
} from "./kinds/subnet";
export { type VpcInput, type VpcObject, type VpcSpec, type VpcStatus, vpcSchema, vpcToKubernetes } from "./kinds/vpc";
export {
  type SecurityGroupObjectInput,
  type SecurityGroupSpec,
  type SecurityGroupStatus,
  securityGroupSchema,
} from "./kinds/security-group";
export { type NetworkPolicyInput, networkPolicySchema } from "./kinds/network-policy";
export { PORT_BAN_OWNER, type PortBanInput, type PortBanSpec, portBanSchema } from "./kinds/port-ban";
export {
  type PublicIpInput,
  type PublicIpSpec,
  type PublicIpStatus,
  type PublicIpPhase,
  type PublicIpTarget,
  type PublicIpTargetKind,
  type PublicIpDdosStatus,
  publicIpSchema,
  publicIpToKubernetes,
  DEFAULT_PUBLIC_IP_BANDWIDTH_MBPS,
  MAX_PUBLIC_IP_BANDWIDTH_MBPS,
} from "./kinds/public-ip";
export {
  type PublicIpPoolInput,
  type PublicIpPoolSpec,
  type PublicIpPoolUsage,
  type PublicIpRangeUsage,
  type PublicIpPoolView,
  publicIpPoolSchema,
  publicIpPoolToKubernetes,
} from "./kinds/public-ip-pool";
export type { PublicIpTrafficReport, PodTrafficReport } from "./runtime/traffic/traffic-report";
export { DEFAULT_DDOS_THRESHOLDS, type DdosThresholds } from "./network/security/ddos";
export type {
  NodePoolInput,
  QuotaInput,
  PodTemplateInput,
  DeploymentSpecInput,
  NamespaceInput,
  ResourceQuotaInput,
  LabelSelectorInput,
} from "./kinds/validation";
export * from "./kinds/types";
/** Which container, pod-spec and volume fields the engine models (the rest goes into `unmodelled`). */
export {
  CONTAINER_FIELDS,
  POD_SPEC_FIELDS,
  VOLUME_FIELDS,
  defaultPullPolicy,
} from "./kinds/container-schema";
export {
  deploymentSpecSchema,
  podTemplateSchema,
  nodePoolSchema,
  quotaSchema,
  namespaceSchema,
  resourceQuotaSchema,
  labelSelectorSchema,
  dnsName,
  imageRef,
} from "./kinds/validation";
export {
  SAMPLE_FIELDS,
  profileOf,
  sampleAt,
  oomKillAfterMs,
  type ContainerSample,
  type WorkloadProfile,
} from "./runtime/workload-profile";
/** A pod holds its node (and its requests there) while bound and not finished. */
export { holdsNode } from "./core/state";
/** The kind registry: each kind's identity, conversion, printer columns and selectors (kinds/README.md). */
export {
  KINDS,
  kindDefinition,
  findKindByResource,
  findKindByApiKind,
  kindsInCategory,
  toKubernetes,
  objectMatcher,
  type SelectorOptions,
} from "./kinds/registry";
export type {
  KindDefinition,
  AnyKindDefinition,
  PrinterColumn,
  KindIndex,
  KindSum,
  NameScope,
} from "./kinds/definition";
export type { ConversionContext, KubeObject, KubeObjectMeta, KubeOwnerReference } from "./kinds/kubernetes";
export type { UsageContext } from "./kinds/resource-quota";
export { toTable, columnDefinitions, type Table, type TableRow, type TableColumnDefinition } from "./kinds/printers";
export type { Watch, WatchEvent, WatchKind, WatchOptions } from "./watch/types";
export type { ChangeRecord, ChangeType, ChangeLogWindow, Subscription } from "./store/store";
export type {
  Orchestrator,
  NetworkQueries,
  SecurityCommands,
  OperatorNetworkCommands,
  PublicIpCommands,
  OperatorPublicIpCommands,
  TenantNetworkUsage,
  QuotaStatus,
} from "./api/orchestrator";
