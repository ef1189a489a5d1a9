/**
 * Public API of the embedded orchestration engine. Nothing here imports web, database
 * or UI code: the store, clock, RNG and runtime are injected through createEngine(deps).
 */
export { createEngine, type Engine, type EngineDeps } from "./engine";
export {
  type Clock,
  type VirtualClock,
  type TimerHandle,
  createRealClock,
  createVirtualClock,
  isVirtualClock,
} from "./clock";
export { type Rng, createRng } from "./rng";
export {
  type EngineStore,
  type WriteBatch,
  type WriteOp,
  type Snapshot,
  type MemoryStore,
  createMemoryStore,
  emptySnapshot,
} from "./store";
export {
  EngineError,
  isEngineError,
  type EngineErrorCode,
  type ErrorDetail,
  type MessageParam,
  type MessageRef,
} from "./errors";
export type { GrowthFreeze } from "./admission";
export { type EngineConfig, DEFAULT_CONFIG } from "./context";
export { type RuntimePort, type RuntimeSink, type RuntimeContext } from "./runtime";
export { createSimulatedRuntime, type SimulatedRuntimeOptions } from "./simulated-runtime";
export { createWorkQueue, type WorkQueue, type Priority, type QueueDepth, PRIORITIES } from "./work-queue";
export { createTimerSet, type TimerSet } from "./timers";
export { parseCpu, parseMemory, formatCpu, formatMemory } from "./quantity";
export { createGlobalAlgorithm, numFeasibleNodesToFind, type PlacementAlgorithm } from "./global-scheduler";
export { tenantAlgorithm } from "./scheduler";
export type { Page } from "./lookup";
export type { ListOptions, PodFilter, NodeView, DeploymentView } from "./queries";
export type { CreateDeploymentInput, UpdateDeploymentInput } from "./deployment-commands";
export type { UpdateNodePoolInput } from "./node-commands";
export type { NodePoolInput, QuotaInput, PodTemplateInput, DeploymentSpecInput } from "./validation";
export * from "./types";
export { deploymentSpecSchema, podTemplateSchema, nodePoolSchema, quotaSchema, dnsName, imageRef } from "./validation";
export {
  SAMPLE_FIELDS,
  profileOf,
  sampleAt,
  oomKillAfterMs,
  type ContainerSample,
  type WorkloadProfile,
} from "./workload-profile";
/** A pod holds its node (and its requests there) while bound and not finished. */
export { holdsNode } from "./state";
