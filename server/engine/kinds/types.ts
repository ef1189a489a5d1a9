/**
 * Engine objects. Every object carries `kind`, `id` (metadata.uid), `tenantId` (its owner,
 * never on the wire) and Kubernetes' object metadata, flat (ObjectMeta below); namespaced
 * kinds (NAMESPACED_KINDS) also carry `namespace`. Objects are treated as immutable values
 * (a change is a new object), which is what lets the store diff and the informers compare
 * before/after cheaply. `resourceVersion` is the revision of the commit that last wrote the
 * object: one revision per committed batch, stamped by the engine core as the batch is
 * committed. Empty label and annotation maps are the one frozen EMPTY_MAP, and all pods of
 * a replica set share its `labels` object (memory: one object per pod, 150,000 pods).
 * Words and defaults follow Kubernetes (K8S-SEMANTICS.md).
 */

import type { ConfigMap } from "./config-map";
import type { EndpointSlice } from "./endpoint-slice";
import type { LimitRange } from "./limit-range";
import type { Secret } from "./secret";
import type { NetworkPolicyObject } from "./network-policy";
import type { PortBan } from "./port-ban";
import type { PublicIp } from "./public-ip";
import type { PublicIpPool } from "./public-ip-pool";
import type { SecurityGroupObject } from "./security-group";
import type { SubnetObject } from "./subnet";
import type { VpcObject } from "./vpc";
import type { Service } from "./service";

export type {
  ConfigMap,
  EndpointSlice,
  LimitRange,
  NetworkPolicyObject,
  PortBan,
  PublicIp,
  PublicIpPool,
  SecurityGroupObject,
  Secret,
  Service,
  SubnetObject,
  VpcObject,
};

/** Labels or annotations: never mutated in place (a change is a new map). */
export type StringMap = Readonly<Record<string, string>>;
/** The shared empty label/annotation map: frozen, so no holder can write into it. */
export const EMPTY_MAP: StringMap = Object.freeze({});

/**
 * Kubernetes' ObjectMeta, flat. `name` is unique per (kind, namespace) for namespaced kinds,
 * per (kind, tenant) for the tenant's cluster-scoped kinds (Node, NodePool, Quota) and
 * globally for Namespace. `generation` counts spec changes (1 at creation). `createdAt` is
 * creationTimestamp (epoch ms); `deletionTimestamp` marks an object being deleted.
 */
export interface ObjectMeta {
  id: string;
  tenantId: string;
  name: string;
  labels: StringMap;
  annotations: StringMap;
  generation: number;
  createdAt: number;
  deletionTimestamp?: number;
  finalizers?: string[];
  /** The change-log revision of the commit that last wrote this object (metadata.resourceVersion). */
  resourceVersion: number;
}

/**
 * metadata.managedFields in its Kubernetes form (ManagedFieldsEntry[]): written by the Kubernetes
 * API's field managers (server-side apply and every write through that API), stored and returned
 * as given; the engine never reads it. Only on the kinds the API writes (ManagedMeta), never on
 * pods (their memory stays as it is). Absent when nobody manages a field.
 */
export type ManagedFields = readonly Readonly<Record<string, unknown>>[];

/** The kinds whose objects carry managed fields. */
export interface ManagedMeta {
  managedFields?: ManagedFields;
}

/** Metadata of a namespaced object. */
export interface NamespacedMeta extends ObjectMeta {
  namespace: string;
}

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
export interface TenantQuota extends ObjectMeta {
  kind: "Quota";
  /** Always TENANT_QUOTA_NAME ("tenant-quota"), the name quota messages use. */
  name: string;
  cpuMillis?: number;
  memoryBytes?: number;
  pods?: number;
  nodes?: number;
  /** PublicIPs the tenant may hold (any phase). */
  publicIps?: number;
}

export const TENANT_QUOTA_NAME = "tenant-quota";

export type NamespacePhase = "Active" | "Terminating";

/**
 * A namespace, owned by one tenant; its name is unique across all tenants. Deleting it marks
 * it Terminating (deletionTimestamp set); the namespace controller deletes everything in it,
 * then the namespace. `tenantDefault`: the tenant's default namespace (where a command that
 * names none creates), which may not be deleted, like Kubernetes' `default`.
 */
export interface Namespace extends ObjectMeta, ManagedMeta {
  kind: "Namespace";
  tenantDefault?: boolean;
  status: { phase: NamespacePhase };
}

/** A namespace's limits (Kubernetes' ResourceQuota `spec.hard`); an absent field is unlimited. */
export interface ResourceQuota extends NamespacedMeta {
  kind: "ResourceQuota";
  hard: { cpuMillis?: number; memoryBytes?: number; pods?: number };
}

/** A tenant's group of identical VMs; the provisioner keeps minSize..maxSize nodes. */
export interface NodePool extends ObjectMeta {
  kind: "NodePool";
  machineType: MachineType;
  minSize: number;
  maxSize: number;
  /** VM boot options that shorten creation time (SEED design 7). */
  trimmedImage: boolean;
  staticIp: boolean;
  /** Booted standby VMs kept ready so a scale-up is immediate. */
  warmPoolSize: number;
}

export type NodePhase = "Provisioning" | "Ready" | "NotReady";

/** A tenant-owned VM. Warm nodes are booted standbys: never scheduled on until promoted. */
export interface Node extends ObjectMeta {
  kind: "Node";
  poolId: string;
  capacity: NodeCapacity;
  phase: NodePhase;
  unschedulable: boolean;
  draining: boolean;
  warm: boolean;
  /** Last heartbeat seen (kept in memory; the stored value is the last write). */
  lastHeartbeat: number;
  /** When a Provisioning VM finishes create + boot + network set-up. */
  provisionReadyAt: number;
  readyAt?: number;
  notReadySince?: number;
}

export type RestartPolicy = "Always" | "OnFailure" | "Never";

/**
 * Fields of a container or pod spec that Kubernetes has and the engine does not model
 * (`lifecycle`, `stdin`, `hostAliases`, a volume's `hostPath`, …): kept as given, by their
 * Kubernetes names, and merged back into the Kubernetes shape by the conversion. The API
 * layer fills it (and says so in a warning); a key that names a modelled field is refused.
 * Absent when empty. It lives in the template, so pods share it with their replica set.
 */
export type Unmodelled = Readonly<Record<string, unknown>>;

export type ImagePullPolicy = "Always" | "IfNotPresent" | "Never";

/** One key of a ConfigMap or Secret (EnvVarSource.configMapKeyRef / secretKeyRef). */
export interface KeySelector {
  name: string;
  key: string;
  optional?: boolean;
}

export type ResourceFieldName =
  | "limits.cpu"
  | "limits.memory"
  | "limits.ephemeral-storage"
  | "requests.cpu"
  | "requests.memory"
  | "requests.ephemeral-storage";

/** Kubernetes' EnvVarSource: exactly one of the four. */
export interface EnvVarSource {
  configMapKeyRef?: KeySelector;
  secretKeyRef?: KeySelector;
  /** fieldPath: metadata.name|namespace|uid, metadata.labels['k'], metadata.annotations['k'], spec.nodeName, spec.serviceAccountName, status.podIP, status.hostIP. */
  fieldRef?: { apiVersion: string; fieldPath: string };
  /** resource: limits.cpu|memory|ephemeral-storage, requests.cpu|memory|ephemeral-storage; divisor default "0" (= 1). */
  resourceFieldRef?: { containerName?: string; resource: ResourceFieldName; divisor: string };
}

/**
 * An environment variable: a literal `value` or `valueFrom`, never both; with `valueFrom` the
 * stored `value` is "" (the input may leave it out; the conversion does not show it).
 */
export interface EnvVar {
  name: string;
  value: string;
  valueFrom?: EnvVarSource;
}

/** Kubernetes' EnvFromSource: every key of a ConfigMap or Secret, optionally prefixed. */
export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface ContainerPort {
  /** IANA_SVC_NAME (at most 15 characters, lowercase letters, digits and '-'); unique in the pod. */
  name?: string;
  containerPort: number;
  protocol: "TCP" | "UDP";
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

/** A probe's handler and timing, with Kubernetes' defaults filled in (period 10, timeout 1, success 1, failure 3). */
export interface Probe {
  httpGet?: {
    path: string;
    port: number | string;
    host?: string;
    scheme: "HTTP" | "HTTPS";
    httpHeaders?: { name: string; value: string }[];
  };
  tcpSocket?: { port: number | string; host?: string };
  exec?: { command: string[] };
  grpc?: { port: number; service?: string };
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
  failureThreshold: number;
  terminationGracePeriodSeconds?: number;
}

/** Kubernetes' SecurityContext (container) and PodSecurityContext, kept as given. */
export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: "RuntimeDefault" | "Unconfined" | "Localhost"; localhostProfile?: string };
  fsGroup?: number;
  fsGroupChangePolicy?: "OnRootMismatch" | "Always";
  supplementalGroups?: number[];
  procMount?: "Default" | "Unmasked";
  seLinuxOptions?: { user?: string; role?: string; type?: string; level?: string };
  windowsOptions?: Readonly<Record<string, unknown>>;
  appArmorProfile?: { type: "RuntimeDefault" | "Unconfined" | "Localhost"; localhostProfile?: string };
  supplementalGroupsPolicy?: "Merge" | "Strict";
  sysctls?: { name: string; value: string }[];
}

export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

/** A pod volume: exactly one source (an unmodelled source, e.g. `hostPath`, sits in `unmodelled`). */
export interface Volume {
  name: string;
  emptyDir?: { medium?: "" | "Memory"; sizeLimit?: string };
  configMap?: { name: string; items?: KeyToPath[]; defaultMode: number; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; defaultMode: number; optional?: boolean };
  unmodelled?: Unmodelled;
}

/**
 * A container. The fields after `resources` are optional and absent when not given, so a
 * template stored before they existed hashes (pod-template-hash) as it did; where Kubernetes
 * has a default the stored form is canonical (a given value equal to the default is not
 * kept: `imagePullPolicy`, `terminationMessagePath`/`Policy`, an empty `securityContext`), and the
 * conversion shows the default, so re-applying what `get -o yaml` shows changes nothing.
 */
export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env: EnvVar[];
  envFrom?: EnvFromSource[];
  ports: ContainerPort[];
  resources: {
    requests: { cpu: string; memory: string };
    limits: { cpu?: string; memory?: string };
  };
  /** Absent: Kubernetes' default for the image (Always for `:latest` or no tag, else IfNotPresent). */
  imagePullPolicy?: ImagePullPolicy;
  volumeMounts?: VolumeMount[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: SecurityContext;
  /** Absent: /dev/termination-log. */
  terminationMessagePath?: string;
  /** Absent: File. */
  terminationMessagePolicy?: "File" | "FallbackToLogsOnError";
  unmodelled?: Unmodelled;
}

export interface PodSpec {
  containers: ContainerSpec[];
  restartPolicy: RestartPolicy;
  terminationGracePeriodSeconds: number;
  nodeSelector: Record<string, string>;
  volumes?: Volume[];
  securityContext?: SecurityContext;
  unmodelled?: Unmodelled;
}

export interface PodTemplate {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: PodSpec;
}

export type IntOrPercent = number | `${number}%`;

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

/** Kubernetes' LabelSelector: every matchLabels pair and every expression must hold. */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/**
 * RollingUpdate within maxSurge/maxUnavailable, or Recreate: every old pod gone before a
 * new one starts. A Recreate strategy carries maxSurge 0 and maxUnavailable "100%", which is
 * what it means (quota claims no surge for it); the conversion shows `{ type: Recreate }`.
 */
export interface DeploymentStrategy {
  type: "RollingUpdate" | "Recreate";
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
}

export interface DeploymentSpec {
  replicas: number;
  /** Selects the deployment's pods; must match the template's labels; immutable after create (apps/v1). */
  selector: LabelSelector;
  template: PodTemplate;
  strategy: DeploymentStrategy;
  /** Seconds a new pod must be ready before it counts as available; absent: 0. */
  minReadySeconds?: number;
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

export interface Deployment extends NamespacedMeta, ManagedMeta {
  kind: "Deployment";
  spec: DeploymentSpec;
  status: DeploymentStatus;
  /** The cause of the current template (absent on deployments made before causes were kept). */
  changeCause?: ChangeCause;
}

/**
 * One revision of a deployment's template. `deploymentId` is the controller owner reference;
 * `revision` is the `deployment.kubernetes.io/revision` annotation (both rendered by the
 * conversion). `labels` = the template's labels plus `pod-template-hash`: the one object
 * every pod of this replica set holds as its labels. `generation` counts replicas changes.
 */
export interface ReplicaSet extends NamespacedMeta {
  kind: "ReplicaSet";
  deploymentId: string;
  revision: number;
  templateHash: string;
  template: PodTemplate;
  replicas: number;
  /** deployment.spec.replicas and replicas+maxSurge when last scaled (kube annotations). */
  desiredReplicas: number;
  maxReplicas: number;
  /** Copied from the deployment when this revision became its newest (kube's annotation copy). */
  changeCause?: ChangeCause;
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
  /** The startup probe passed (or there is none) and the container runs; absent: running means started. */
  started?: boolean;
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

/**
 * A pod. Its `labels` is its replica set's labels object (shared, with `pod-template-hash`),
 * its `annotations` the template's, its `spec` the template's spec: nothing per pod is
 * copied. `ownerReplicaSetId` is the controller owner reference.
 */
export interface Pod extends NamespacedMeta {
  kind: "Pod";
  ownerReplicaSetId?: string;
  deploymentId?: string;
  templateHash?: string;
  nodeId?: string;
  nodeName?: string;
  /** The pod's private address and MAC, from its tenant's subnet when it is bound (network/pod-addresses.ts). */
  podIP?: string;
  macAddress?: string;
  spec: PodSpec;
  /** Sum of container requests, parsed once. */
  requests: Resources;
  status: PodStatus;
  /** Set when the pod is Terminating (ObjectMeta.deletionTimestamp); it is removed at deletionTimestamp + grace. */
  deletionGraceMs?: number;
  /** This pod replaces another during movePod (make-before-break). */
  migrationOf?: string;
  scheduledAt?: number;
  runningAt?: number;
}

/** How long events are kept after they last happened (EngineConfig.eventRetentionMs's default). */
export const EVENT_RETENTION_MS = 3_600_000;

/**
 * An event (core/v1 Event). `name` is its id. `namespace` is the involved object's namespace,
 * or the tenant's default namespace for cluster-scoped objects (Kubernetes files those under
 * `default`); `objectNamespace`/`objectUid` describe the involved object (absent when it has
 * none or it came from outside the engine). `createdAt` = firstTime.
 */
export interface EngineEvent extends NamespacedMeta {
  kind: "Event";
  objectKind: string;
  objectName: string;
  objectNamespace?: string;
  objectUid?: string;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  count: number;
  firstTime: number;
  lastTime: number;
}

export type EngineObject =
  | TenantQuota
  | Namespace
  | ResourceQuota
  | LimitRange
  | ConfigMap
  | Secret
  | NodePool
  | Node
  | Deployment
  | ReplicaSet
  | Pod
  | Service
  | EndpointSlice
  | SecurityGroupObject
  | VpcObject
  | SubnetObject
  | NetworkPolicyObject
  | PortBan
  | PublicIpPool
  | PublicIp
  | EngineEvent;
export type ObjectKind = EngineObject["kind"];
export type ObjectOfKind<K extends ObjectKind> = Extract<EngineObject, { kind: K }>;

/** Kinds whose objects live in a namespace (those whose type carries `namespace`). */
export type NamespacedKind = Extract<EngineObject, { namespace: string }>["kind"];

/**
 * Every kind with its scope, in load order: namespaces before namespaced objects (legacy
 * objects are placed in their tenant's default namespace), replica sets before pods (pods
 * share their replica set's labels). The type makes the compiler refuse a kind of the union
 * missing here, an unknown one, or a wrong scope; the registry (registry.ts) refuses at
 * load a kind here without a definition and the reverse. OBJECT_KINDS and NAMESPACED_KINDS
 * derive from it. It stays here, beside the union, because store/ and core/state need the
 * list without importing the registry (whose kind modules import this file).
 */
const KIND_SCOPES: { readonly [K in ObjectKind]: K extends NamespacedKind ? "Namespaced" : "Cluster" } = {
  Quota: "Cluster",
  Namespace: "Cluster",
  ResourceQuota: "Namespaced",
  LimitRange: "Namespaced",
  ConfigMap: "Namespaced",
  Secret: "Namespaced",
  NodePool: "Cluster",
  Node: "Cluster",
  Deployment: "Namespaced",
  ReplicaSet: "Namespaced",
  Pod: "Namespaced",
  Service: "Namespaced",
  EndpointSlice: "Namespaced",
  SecurityGroup: "Cluster",
  Vpc: "Cluster",
  Subnet: "Cluster",
  NetworkPolicy: "Namespaced",
  PortBan: "Cluster",
  PublicIPPool: "Cluster",
  PublicIP: "Namespaced",
  Event: "Namespaced",
};
export const OBJECT_KINDS: readonly ObjectKind[] = Object.keys(KIND_SCOPES) as ObjectKind[];
export const NAMESPACED_KINDS: ReadonlySet<ObjectKind> = new Set<ObjectKind>(
  OBJECT_KINDS.filter((k) => KIND_SCOPES[k] === "Namespaced"),
);
export const isNamespaced = (o: EngineObject): o is Extract<EngineObject, { kind: NamespacedKind }> =>
  NAMESPACED_KINDS.has(o.kind);
