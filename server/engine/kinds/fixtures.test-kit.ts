/**
 * Hand-built engine objects for the kind modules' tests: one of each kind, linked as the
 * controllers link them (deployment → replica set → pod → node → pool), and a conversion
 * context over them. Not used by production code.
 */
import type { ConversionContext } from "./kubernetes";
import type {
  Deployment,
  EngineEvent,
  EngineObject,
  Namespace,
  Node,
  NodePool,
  ObjectKind,
  ObjectOfKind,
  Pod,
  PodTemplate,
  ReplicaSet,
  ResourceQuota,
  TenantQuota,
} from "./types";

export const T0 = Date.UTC(2026, 11, 2, 0, 0, 0, 250);
const meta = (id: string, name: string, rv = 7) => ({
  id,
  tenantId: "tenant-a",
  name,
  labels: {},
  annotations: {},
  generation: 1,
  createdAt: T0,
  resourceVersion: rv,
});

export const template: PodTemplate = {
  labels: { app: "web" },
  annotations: {},
  spec: {
    containers: [
      {
        name: "web",
        image: "nginx:1.27",
        env: [],
        ports: [{ containerPort: 80, protocol: "TCP" }],
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: {} },
      },
    ],
    restartPolicy: "Always",
    terminationGracePeriodSeconds: 30,
    nodeSelector: {},
  },
};

const cond = (type: string, status: "True" | "False", at: number) => ({
  type,
  status,
  reason: status === "True" ? "" : "NotYet",
  message: "",
  lastUpdateTime: at,
  lastTransitionTime: at,
});

export const deployment: Deployment = {
  ...meta("d-1", "web", 12),
  kind: "Deployment",
  namespace: "team-a",
  generation: 2,
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    template,
    strategy: { type: "RollingUpdate", maxSurge: "25%", maxUnavailable: 1 },
    revisionHistoryLimit: 10,
    paused: false,
    progressDeadlineSeconds: 600,
  },
  status: {
    observedGeneration: 2,
    replicas: 2,
    updatedReplicas: 2,
    readyReplicas: 1,
    availableReplicas: 1,
    unavailableReplicas: 1,
    currentRevision: 3,
    conditions: [cond("Available", "False", T0 + 5000)],
  },
  changeCause: { reason: "ImageSet", images: ["nginx:1.27"] },
};

const rsLabels = { app: "web", "pod-template-hash": "5d8f7c" };
export const replicaSet: ReplicaSet = {
  ...meta("rs-1", "web-5d8f7c", 13),
  kind: "ReplicaSet",
  namespace: "team-a",
  labels: rsLabels,
  deploymentId: "d-1",
  revision: 3,
  templateHash: "5d8f7c",
  template,
  replicas: 2,
  desiredReplicas: 2,
  maxReplicas: 3,
};

export const pool: NodePool = {
  ...meta("np-1", "general"),
  kind: "NodePool",
  labels: { tier: "general" },
  machineType: "4c8g",
  minSize: 1,
  maxSize: 5,
  trimmedImage: true,
  staticIp: false,
  warmPoolSize: 1,
};

export const node: Node = {
  ...meta("n-1", "general-abcde"),
  kind: "Node",
  labels: { tier: "general", "node.kubernetes.io/instance-type": "4c8g" },
  poolId: "np-1",
  capacity: { cpuMillis: 4000, memoryBytes: 8 * 2 ** 30, pods: 110 },
  phase: "Ready",
  unschedulable: true,
  draining: false,
  warm: false,
  lastHeartbeat: T0 + 60_000,
  provisionReadyAt: T0 + 52_000,
  readyAt: T0 + 52_000,
};

export function pod(id: string, name: string, ready: boolean, extra: Partial<Pod> = {}): Pod {
  return {
    ...meta(id, name, 20),
    kind: "Pod",
    namespace: "team-a",
    labels: rsLabels,
    ownerReplicaSetId: "rs-1",
    deploymentId: "d-1",
    templateHash: "5d8f7c",
    nodeId: "n-1",
    nodeName: "general-abcde",
    spec: template.spec,
    requests: { cpuMillis: 100, memoryBytes: 128 * 2 ** 20 },
    status: {
      phase: "Running",
      conditions: [cond("PodScheduled", "True", T0 + 1000), cond("Ready", ready ? "True" : "False", T0 + 9000)],
      containerStatuses: [
        {
          name: "web",
          image: "nginx:1.27",
          state: ready ? { running: { startedAt: T0 + 8000 } } : { waiting: { reason: "CrashLoopBackOff" } },
          ready,
          restartCount: ready ? 0 : 4,
        },
      ],
    },
    scheduledAt: T0 + 1000,
    ...extra,
  };
}

export const pods = [pod("p-1", "web-5d8f7c-aaaaa", true), pod("p-2", "web-5d8f7c-bbbbb", false)];

export const namespace: Namespace = {
  ...meta("ns-1", "team-a"),
  kind: "Namespace",
  status: { phase: "Active" },
};

export const resourceQuota: ResourceQuota = {
  ...meta("rq-1", "namespace-quota"),
  kind: "ResourceQuota",
  namespace: "team-a",
  hard: { cpuMillis: 2000, memoryBytes: 4 * 2 ** 30, pods: 10 },
};

export const tenantQuota: TenantQuota = {
  ...meta("tenant-a", "tenant-quota"),
  kind: "Quota",
  cpuMillis: 8000,
  nodes: 4,
};

export const event: EngineEvent = {
  ...meta("ev-1", "ev-1"),
  kind: "Event",
  namespace: "team-a",
  objectKind: "Pod",
  objectName: "web-5d8f7c-bbbbb",
  objectNamespace: "team-a",
  objectUid: "p-2",
  type: "Warning",
  reason: "BackOff",
  message: "Back-off restarting failed container web",
  count: 3,
  firstTime: T0 + 10_000,
  lastTime: T0 + 70_000,
};

export const ALL: EngineObject[] = [
  namespace,
  tenantQuota,
  resourceQuota,
  pool,
  node,
  deployment,
  replicaSet,
  ...pods,
  event,
];

/** A context over ALL (minus `without`), at engine time `now`. */
export function contextOf(now = T0 + 130_000, without: ObjectKind[] = []): ConversionContext {
  const objs = ALL.filter((o) => !without.includes(o.kind));
  return {
    get<K extends ObjectKind>(kind: K, id: string | undefined) {
      return objs.find((o) => o.kind === kind && o.id === id) as ObjectOfKind<K> | undefined;
    },
    podsOfReplicaSet: (rsId) => objs.filter((o): o is Pod => o.kind === "Pod" && o.ownerReplicaSetId === rsId),
    now: () => now,
  };
}
