/**
 * Kind Deployment (apps/v1). Conversion: `spec.selector`, `spec.strategy.rollingUpdate`,
 * the revision and change-cause annotations, status counts and conditions with RFC 3339
 * times. Printer columns as kubectl's (NAME READY UP-TO-DATE AVAILABLE AGE; wide
 * CONTAINERS IMAGES SELECTOR).
 * Guarantees: `metadata.generation` and `status.observedGeneration` are the engine's own, so
 * `kubectl rollout status` reads progress as it does from Kubernetes.
 */
import { changeCauseText } from "./change-cause";
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { changePriority, metadataFieldGetters } from "./definition";
import {
  CHANGE_CAUSE_ANNOTATION,
  compact,
  type KubeObject,
  kubeCondition,
  objectMeta,
  REVISION_ANNOTATION,
} from "./kubernetes";
import { kubePodTemplate } from "./pod";
import { ageColumn, nameColumn } from "./printers";
import { formatLabelSelector } from "./selectors";
import type { Deployment, LabelSelector, PodTemplate } from "./types";
import { deploymentSpecSchema } from "./validation";

/** A LabelSelector on the wire: copies, with empty parts omitted. */
export function kubeSelector(sel: LabelSelector): Record<string, unknown> {
  return compact({
    matchLabels: Object.keys(sel.matchLabels).length > 0 ? { ...sel.matchLabels } : undefined,
    matchExpressions:
      sel.matchExpressions && sel.matchExpressions.length > 0
        ? sel.matchExpressions.map((e) =>
            compact({ key: e.key, operator: e.operator, values: e.values && [...e.values] }),
          )
        : undefined,
  });
}

/**
 * The deployment's selector. A deployment stored before deployments carried `spec.selector`
 * has none: its pods were selected by the template's labels, so that is its selector (what
 * apps/v1 defaulting would have given it).
 */
export function deploymentSelector(d: Deployment): LabelSelector {
  const sel: LabelSelector | undefined = d.spec.selector;
  return sel ?? { matchLabels: d.spec.template.labels };
}

export const containerNames = (t: PodTemplate) => t.spec.containers.map((c) => c.name).join(",");
export const containerImages = (t: PodTemplate) => t.spec.containers.map((c) => c.image).join(",");

export function deploymentToKubernetes(d: Deployment): KubeObject {
  const { spec, status } = d;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: objectMeta(d, {
      annotations: {
        [REVISION_ANNOTATION]: status.currentRevision > 0 ? String(status.currentRevision) : undefined,
        [CHANGE_CAUSE_ANNOTATION]: d.changeCause ? changeCauseText(d.changeCause) : undefined,
      },
    }),
    spec: compact({
      replicas: spec.replicas,
      selector: kubeSelector(deploymentSelector(d)),
      template: kubePodTemplate(spec.template),
      strategy:
        spec.strategy.type === "Recreate"
          ? { type: "Recreate" }
          : {
              type: spec.strategy.type,
              rollingUpdate: { maxSurge: spec.strategy.maxSurge, maxUnavailable: spec.strategy.maxUnavailable },
            },
      minReadySeconds: spec.minReadySeconds || undefined,
      revisionHistoryLimit: spec.revisionHistoryLimit,
      paused: spec.paused ? true : undefined,
      progressDeadlineSeconds: spec.progressDeadlineSeconds,
    }),
    status: compact({
      observedGeneration: status.observedGeneration,
      replicas: status.replicas || undefined,
      updatedReplicas: status.updatedReplicas || undefined,
      readyReplicas: status.readyReplicas || undefined,
      availableReplicas: status.availableReplicas || undefined,
      unavailableReplicas: status.unavailableReplicas || undefined,
      conditions: status.conditions.length > 0 ? status.conditions.map((c) => kubeCondition(c, "workload")) : undefined,
    }),
  };
}

/**
 * Informer handler: a spec change (new generation) queues the deployment; a deleted one's
 * replica sets are collected and its progress-deadline timer cancelled.
 */
function onDeploymentChange(ctx: Ctx, b: Deployment | undefined, a: Deployment | undefined): void {
  if (!a && b) {
    for (const r of ctx.state.replicaSetsOf(b.id)) ctx.queues.gc.add(`rs/${r.id}`, "delete");
    const t = ctx.deadlineTimers.get(b.id);
    if (t !== undefined) ctx.timers.cancel(t);
    ctx.deadlineTimers.delete(b.id);
    return;
  }
  // Status-only writes come from the controller itself: nothing new to reconcile.
  if (a && (!b || a.generation !== b.generation || a.spec !== b.spec))
    ctx.queues.deployment.add(a.id, changePriority(b, a));
}

export const deploymentKind: KindDefinition<"Deployment"> = {
  kind: "Deployment",
  apiKind: "Deployment",
  group: "apps",
  version: "v1",
  apiVersion: "apps/v1",
  plural: "deployments",
  singular: "deployment",
  shortNames: ["deploy"],
  namespaced: true,
  nameScope: "namespace",
  categories: ["all"],
  inputSchema: deploymentSpecSchema,
  fieldGetters: metadataFieldGetters<Deployment>(),
  printerColumns: [
    nameColumn<Deployment>(),
    {
      name: "Ready",
      type: "string",
      priority: 0,
      description: "Number of the pod with ready state",
      cell: (d) => `${d.status.readyReplicas}/${d.spec.replicas}`,
    },
    {
      name: "Up-to-date",
      type: "string",
      priority: 0,
      description:
        "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
      cell: (d) => String(d.status.updatedReplicas),
    },
    {
      name: "Available",
      type: "string",
      priority: 0,
      description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
      cell: (d) => String(d.status.availableReplicas),
    },
    ageColumn<Deployment>(),
    {
      name: "Containers",
      type: "string",
      priority: 1,
      description: "Names of each container in the template.",
      cell: (d) => containerNames(d.spec.template),
    },
    {
      name: "Images",
      type: "string",
      priority: 1,
      description: "Images referenced by each container in the template.",
      cell: (d) => containerImages(d.spec.template),
    },
    {
      name: "Selector",
      type: "string",
      priority: 1,
      description:
        "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
      cell: (d) => formatLabelSelector(deploymentSelector(d)),
    },
  ],
  toKubernetes: deploymentToKubernetes,
  onChange: onDeploymentChange,
};
