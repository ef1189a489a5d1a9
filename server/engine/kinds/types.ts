/**
 * Engine objects. Every object carries `kind`, `id`, `tenantId` and `resourceVersion`;
 * objects are treated as immutable values (a change is a new object), which is what lets
 * the store diff and the informers compare before/after cheaply. `resourceVersion` is the
 * revision of the commit that last wrote the object: one revision per committed batch,
 * stamped by the engine core as the batch is committed.
 * Words and defaults follow Kubernetes (K8S-SEMANTICS.md).
 */

export type MachineType = "2c4g" | "4c8g" | "8c16g";
export const MAX_PODS_PER_NODE = 110;
export const MACHINE_TYPES: Record<MachineType, NodeCapacity> = {
  "2c4g": { cpuMillis: 2000, memoryBytes: 4 * 2 ** 30, pods: MAX_PODS_PER_NODE },
  "4c8g": { cpuMillis: 4000, memoryBytes: 8 * 2 ** 30, pods: MAX_PODS_PER_NODE },
  "8c16g": { cpuMillis: 8000, memoryBytes: 16 * 2 ** 30, pods: MAX_PODS_PER_NODE },
};

export interface Resources {
  cpuMillis: number;
  memoryBytes: number;
}
export interface NodeCapacity extends Resources {
  pods: number;
}

/** Per-tenant limits; an absent field means unlimited. id === tenantId. */
export interface TenantQuota {
  kind: "Quota";
  id: string;
  tenantId: string;
  cpuMillis?: number;
  memoryBytes?: number;
  pods?: number;
  nodes?: number;
  /** The change-log revision of the commit that last wrote this object (metadata.resourceVersion). */
  resourceVersion: number;
}

/** A tenant's group of identical VMs; the provisioner keeps minSize..maxSize nodes. */
export interface NodePool {
  kind: "NodePool";
  id: string;
  tenantId: string;
  name: string;
  machineType: MachineType;
  minSize: number;
  maxSize: number;
  labels: Record<string, string>;
  /** VM boot options that shorten creation time (SEED design 7). */
  trimmedImage: boolean;
  staticIp: boolean;
  /** Booted standby VMs kept ready so a scale-up is immediate. */
  warmPoolSize: number;
  createdAt: number;
  /** The change-log revision of the commit that last wrote this object (metadata.resourceVersion). */
  resourceVersion: number;
}

export type NodePhase = "Provisioning" | "Ready" | "NotReady";

/** A tenant-owned VM. Warm nodes are booted standbys: never scheduled on until promoted. */
export interface Node {
  kind: "Node";
  id: string;
  tenantId: string;
  poolId: string;
  name: string;
  capacity: NodeCapacity;
  labels: Record<string, string>;
  phase: NodePhase;
  unschedulable: boolean;
  draining: boolean;
  warm: boolean;
  /** Last heartbeat seen (kept in memory; the stored value is the last write). */
  lastHeartbeat: number;
  createdAt: number;
  /** When a Provisioning VM finishes create + boot + network set-up. */
  provisionReadyAt: number;
  readyAt?: number;
  notReadySince?: number;
  /** The change-log revision of the commit that last wrote this object (metadata.resourceVersion). */
  resourceVersion: number;
}

export type RestartPolicy = "Always" | "OnFailure" | "Never";

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  env: { name: string; value: string }[];
  ports: { containerPort: number; protocol: "TCP" | "UDP" }[];
  resources: {
    requests: { cpu: string; memory: string };
    limits: { cpu?: string; memory?: string };
  };
}

export interface PodSpec {
  containers: ContainerSpec[];
  restartPolicy: RestartPolicy;
  terminationGracePeriodSeconds: number;
  nodeSelector: Record<string, string>;
}

export interface PodTemplate {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: PodSpec;
}

export type IntOrPercent = number | `${number}%`;

export interface DeploymentSpec {
  replicas: number;
  template: PodTemplate;
  strategy: { type: "RollingUpdate"; maxSurge: IntOrPercent; maxUnavailable: IntOrPercent };
  revisionHistoryLimit: number;
  paused: boolean;
  progressDeadlineSeconds: number;
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastUpdateTime: number;
  lastTransitionTime: number;
}

/**
 * Why a revision exists: Kubernetes' `kubernetes.io/change-cause` annotation, kept as a
 * reason code with its values so a console can say it in its reader's language
 * (`changeCauseText` gives the English annotation text). Set by the command that changed
 * the template; scaling changes no template, so it makes no revision and no cause.
 */
export type ChangeCause =
  | { reason: "Created"; images: string[] }
  | { reason: "ImageSet"; images: string[] }
  | { reason: "Restarted" }
  | { reason: "RolledBack"; toRevision: number }
  | { reason: "TemplateChanged"; fields: string[] };

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  currentRevision: number;
  conditions: Condition[];
}

export interface Deployment {
  kind: "Deployment";
  id: string;
  tenantId: string;
  name: string;
  spec: DeploymentSpec;
  status: DeploymentStatus;
  generation: number;
  /** The cause of the current template (absent on deployments made before causes were kept). */
  changeCause?: ChangeCause;
  createdAt: number;
  /** The change-log revision of the commit that last wrote this object (metadata.resourceVersion). */
  resourceVersion: number;
}

/** One revision of a deployment's template. */
export interface ReplicaSet {
  kind: "ReplicaSet";
  id: string;
  tenantId: string;
  deploymentId: string;
  name: string;
  revision: number;
  templateHash: string;
  template: PodTemplate;
  replicas: number;
  /** deployment.spec.replicas and replicas+maxSurge when last scaled (kube annotations). */
  desiredReplicas: number;
  maxReplicas: number;
  /** Copied from the deployment when this revision became its newest (kube's annotation copy). */
  changeCause?: ChangeCause;
  createdAt: number;
  /** The change-log revision of the commit that last wrote this object (metadata.resourceVersion). */
  resourceVersion: number;
}

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: number } }
  | { terminated: { reason: string; exitCode: number; finishedAt: number } };

export interface ContainerStatus {
  name: string;
  image: string;
  state: ContainerState;
  ready: boolean;
  restartCount: number;
  lastTerminationReason?: string;
}

export interface PodStatus {
  phase: PodPhase;
  conditions: Condition[];
  containerStatuses: ContainerStatus[];
  reason?: string;
  message?: string;
}

export interface Pod {
  kind: "Pod";
  id: string;
  tenantId: string;
  name: string;
  ownerReplicaSetId?: string;
  deploymentId?: string;
  templateHash?: string;
  labels: Record<string, string>;
  nodeId?: string;
  nodeName?: string;
  spec: PodSpec;
  /** Sum of container requests, parsed once. */
  requests: Resources;
  status: PodStatus;
  /** Set when the pod is Terminating; it is removed at deletionTimestamp + grace. */
  deletionTimestamp?: number;
  deletionGraceMs?: number;
  /** This pod replaces another during movePod (make-before-break). */
  migrationOf?: string;
  createdAt: number;
  scheduledAt?: number;
  runningAt?: number;
  /** The change-log revision of the commit that last wrote this object (metadata.resourceVersion). */
  resourceVersion: number;
}

/** How long events are kept after they last happened (EngineConfig.eventRetentionMs's default). */
export const EVENT_RETENTION_MS = 3_600_000;

export interface EngineEvent {
  kind: "Event";
  id: string;
  tenantId: string;
  objectKind: string;
  objectName: string;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  count: number;
  firstTime: number;
  lastTime: number;
  /** The change-log revision of the commit that last wrote this object (metadata.resourceVersion). */
  resourceVersion: number;
}

export type EngineObject = TenantQuota | NodePool | Node | Deployment | ReplicaSet | Pod | EngineEvent;
export type ObjectKind = EngineObject["kind"];
export const OBJECT_KINDS: readonly ObjectKind[] = [
  "Quota",
  "NodePool",
  "Node",
  "Deployment",
  "ReplicaSet",
  "Pod",
  "Event",
];
export type ObjectOfKind<K extends ObjectKind> = Extract<EngineObject, { kind: K }>;
