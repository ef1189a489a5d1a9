/**
 * The wire shape of workloads (`.output()` of the deployments, pods, events and namespaces
 * procedures): views, not stored objects. Every view carries Kubernetes' metadata as clients
 * read it — `uid`, `name`, `namespace`, `resourceVersion` as an opaque string,
 * `creationTimestamp` as RFC 3339, `labels` — plus the fields the console and `cloudctl`
 * show. The owner tenant never goes on the wire. Objects are parsed through these schemas,
 * so a field the engine adds or renames reaches no client until it is added here.
 */
import { z } from "zod";
import type { PodSpec } from "../engine";
import { HEALTH_STATES } from "./health";

const stringMap = z.record(z.string(), z.string());
const conditionSchema = z.object({
  type: z.string(),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string(),
  message: z.string(),
  lastUpdateTime: z.number(),
  lastTransitionTime: z.number(),
});

/** Metadata every namespaced view carries (`id` = `uid`, `createdAt` in epoch ms, both kept for older clients). */
const namespacedMeta = {
  id: z.string(),
  uid: z.string(),
  name: z.string(),
  namespace: z.string(),
  resourceVersion: z.string(),
  creationTimestamp: z.string(),
  createdAt: z.number(),
  labels: stringMap,
};

const containerSpecCheck = z.looseObject({
  name: z.string(),
  image: z.string(),
  command: z.array(z.string()).optional(),
  env: z.array(z.looseObject({ name: z.string(), value: z.string().optional() })),
  ports: z.array(z.looseObject({ containerPort: z.number(), protocol: z.enum(["TCP", "UDP"]) })),
  resources: z.object({
    requests: z.object({ cpu: z.string(), memory: z.string() }),
    limits: z.object({ cpu: z.string().optional(), memory: z.string().optional() }),
  }),
});
const podSpecCheck = z.looseObject({
  containers: z.array(containerSpecCheck),
  restartPolicy: z.enum(["Always", "OnFailure", "Never"]),
  terminationGracePeriodSeconds: z.number(),
  nodeSelector: stringMap,
});
/**
 * The pod spec whole, as the engine keeps it: it carries more than the console reads (probes,
 * volumes, env sources, fields kept as given), and a view that dropped them would lose them on
 * the way back (the image edit sends the template it read). Its common fields are checked.
 */
const podSpecSchema = z.custom<PodSpec>((v) => podSpecCheck.safeParse(v).success, "not a pod spec");
const podTemplateViewSchema = z.object({ labels: stringMap, annotations: stringMap, spec: podSpecSchema });
const intOrPercent = z.union([z.number(), z.templateLiteral([z.number(), "%"])]);
const labelSelectorSchema = z.object({
  matchLabels: stringMap,
  matchExpressions: z
    .array(
      z.object({
        key: z.string(),
        operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
const changeCauseSchema = z.union([
  z.object({ reason: z.literal("Created"), images: z.array(z.string()) }),
  z.object({ reason: z.literal("ImageSet"), images: z.array(z.string()) }),
  z.object({ reason: z.literal("Restarted") }),
  z.object({ reason: z.literal("RolledBack"), toRevision: z.number() }),
  z.object({ reason: z.literal("TemplateChanged"), fields: z.array(z.string()) }),
]);

export const healthSchema = z.object({
  state: z.enum(HEALTH_STATES),
  reason: z.string(),
  message: z.string(),
  cause: z.object({ reason: z.string(), message: z.string(), pod: z.string(), pods: z.number() }).optional(),
});

const containerStateSchema = z.union([
  z.object({ waiting: z.object({ reason: z.string(), message: z.string().optional() }) }),
  z.object({ running: z.object({ startedAt: z.number() }) }),
  z.object({ terminated: z.object({ reason: z.string(), exitCode: z.number(), finishedAt: z.number() }) }),
]);

export const podViewSchema = z.object({
  ...namespacedMeta,
  kind: z.literal("Pod"),
  ownerReplicaSetId: z.string().optional(),
  deploymentId: z.string().optional(),
  templateHash: z.string().optional(),
  nodeId: z.string().optional(),
  nodeName: z.string().optional(),
  /** The pod's private address and MAC in its tenant's network, once bound. */
  podIP: z.string().optional(),
  macAddress: z.string().optional(),
  spec: podSpecSchema,
  requests: z.object({ cpuMillis: z.number(), memoryBytes: z.number() }),
  status: z.object({
    phase: z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]),
    conditions: z.array(conditionSchema),
    containerStatuses: z.array(
      z.object({
        name: z.string(),
        image: z.string(),
        state: containerStateSchema,
        ready: z.boolean(),
        restartCount: z.number(),
        lastTerminationReason: z.string().optional(),
      }),
    ),
    reason: z.string().optional(),
    message: z.string().optional(),
  }),
  deletionTimestamp: z.number().optional(),
  deletionGraceMs: z.number().optional(),
  migrationOf: z.string().optional(),
  scheduledAt: z.number().optional(),
  runningAt: z.number().optional(),
  health: healthSchema,
});

const deploymentFields = {
  ...namespacedMeta,
  kind: z.literal("Deployment"),
  generation: z.number(),
  spec: z.object({
    replicas: z.number(),
    selector: labelSelectorSchema,
    template: podTemplateViewSchema,
    strategy: z.object({
      type: z.enum(["RollingUpdate", "Recreate"]),
      maxSurge: intOrPercent,
      maxUnavailable: intOrPercent,
    }),
    minReadySeconds: z.number().optional(),
    revisionHistoryLimit: z.number(),
    paused: z.boolean(),
    progressDeadlineSeconds: z.number(),
  }),
  status: z.object({
    observedGeneration: z.number(),
    replicas: z.number(),
    updatedReplicas: z.number(),
    readyReplicas: z.number(),
    availableReplicas: z.number(),
    unavailableReplicas: z.number(),
    currentRevision: z.number(),
    conditions: z.array(conditionSchema),
  }),
  changeCause: changeCauseSchema.optional(),
  health: healthSchema,
};
export const deploymentViewSchema = z.object(deploymentFields);

export const replicaSetViewSchema = z.object({
  ...namespacedMeta,
  kind: z.literal("ReplicaSet"),
  deploymentId: z.string(),
  revision: z.number(),
  templateHash: z.string(),
  template: podTemplateViewSchema,
  replicas: z.number(),
  desiredReplicas: z.number(),
  maxReplicas: z.number(),
  changeCause: changeCauseSchema.optional(),
});

export const deploymentDetailSchema = z.object({
  ...deploymentFields,
  revisions: z.array(replicaSetViewSchema),
  pods: z.array(podViewSchema),
});

export const eventViewSchema = z.object({
  ...namespacedMeta,
  kind: z.literal("Event"),
  objectKind: z.string(),
  objectName: z.string(),
  objectNamespace: z.string().optional(),
  type: z.enum(["Normal", "Warning"]),
  reason: z.string(),
  message: z.string(),
  count: z.number(),
  firstTime: z.number(),
  lastTime: z.number(),
});

export const namespaceViewSchema = z.object({
  uid: z.string(),
  name: z.string(),
  resourceVersion: z.string(),
  creationTimestamp: z.string(),
  createdAt: z.number(),
  labels: stringMap,
  /** The tenant's default namespace: commands that name none act in it, and it cannot be deleted. */
  default: z.boolean(),
  phase: z.enum(["Active", "Terminating"]),
  deletionTimestamp: z.string().optional(),
  /** What the namespace's pods request now (what a ResourceQuota counts). */
  used: z.object({ cpuMillis: z.number(), memoryBytes: z.number(), pods: z.number() }),
});

/** A page of views: `nextCursor` absent on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

export type PodViewOut = z.infer<typeof podViewSchema>;
export type DeploymentViewOut = z.infer<typeof deploymentViewSchema>;
export type NamespaceViewOut = z.infer<typeof namespaceViewSchema>;
export type ReplicaSetViewOut = z.infer<typeof replicaSetViewSchema>;
