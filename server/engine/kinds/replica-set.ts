/**
 * Kind ReplicaSet (apps/v1). Conversion: the controller owner reference to the deployment,
 * the `deployment.kubernetes.io/revision` (and desired/max replicas, change-cause)
 * annotations, `pod-template-hash` in labels, selector and template, and a status counted
 * from the replica set's pods when the context can list them. Printer columns as kubectl's
 * (NAME DESIRED CURRENT READY AGE; wide CONTAINERS IMAGES SELECTOR).
 */
import { changeCauseText } from "./change-cause";
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { changePriority, metadataFieldGetters } from "./definition";
import { containerImages, containerNames, kubeSelector } from "./deployment";
import {
  CHANGE_CAUSE_ANNOTATION,
  type ConversionContext,
  compact,
  controllerRef,
  DESIRED_REPLICAS_ANNOTATION,
  type KubeObject,
  MAX_REPLICAS_ANNOTATION,
  objectMeta,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
} from "./kubernetes";
import { kubePodTemplate } from "./pod";
import { ageColumn, nameColumn } from "./printers";
import { formatLabelSelector } from "./selectors";
import type { LabelSelector, Pod, ReplicaSet } from "./types";

export interface ReplicaSetCounts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

const isReady = (p: Pod) => p.status.conditions.some((c) => c.type === "Ready" && c.status === "True");
const isActive = (p: Pod) =>
  p.deletionTimestamp === undefined && p.status.phase !== "Succeeded" && p.status.phase !== "Failed";

/** Kubernetes' RS status counts: active pods, and of those the ready ones (minReadySeconds 0: ready = available). */
export function replicaSetCounts(rs: ReplicaSet, ctx: ConversionContext): ReplicaSetCounts {
  let replicas = 0;
  let ready = 0;
  for (const p of ctx.podsOfReplicaSet?.(rs.id) ?? []) {
    if (!isActive(p)) continue;
    replicas++;
    if (isReady(p)) ready++;
  }
  return { replicas, readyReplicas: ready, availableReplicas: ready };
}

/** The deployment's selector plus pod-template-hash, as the deployment controller sets it. */
export function replicaSetSelector(rs: ReplicaSet, ctx: ConversionContext): LabelSelector {
  const d = ctx.get("Deployment", rs.deploymentId);
  const base: LabelSelector = d?.spec.selector ?? { matchLabels: { ...rs.template.labels } };
  return { ...base, matchLabels: { ...base.matchLabels, [POD_TEMPLATE_HASH_LABEL]: rs.templateHash } };
}

function rsLabels(rs: ReplicaSet): Readonly<Record<string, string>> {
  if (rs.labels[POD_TEMPLATE_HASH_LABEL] !== undefined) return rs.labels;
  return { ...rs.template.labels, ...rs.labels, [POD_TEMPLATE_HASH_LABEL]: rs.templateHash };
}

export function replicaSetToKubernetes(rs: ReplicaSet, ctx: ConversionContext): KubeObject {
  const d = ctx.get("Deployment", rs.deploymentId);
  // `<deployment>-<hash>`: a replica set whose deployment is already gone still names it.
  const ownerName = d?.name ?? rs.name.slice(0, Math.max(0, rs.name.lastIndexOf("-")));
  const labels = rsLabels(rs);
  const counts = replicaSetCounts(rs, ctx);
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: objectMeta(rs, {
      labels,
      annotations: {
        [REVISION_ANNOTATION]: String(rs.revision),
        [DESIRED_REPLICAS_ANNOTATION]: String(rs.desiredReplicas),
        [MAX_REPLICAS_ANNOTATION]: String(rs.maxReplicas),
        [CHANGE_CAUSE_ANNOTATION]: rs.changeCause ? changeCauseText(rs.changeCause) : undefined,
      },
      ownerReferences: [controllerRef("apps/v1", "Deployment", ownerName, rs.deploymentId)],
    }),
    spec: compact({
      replicas: rs.replicas,
      // The deployment's, as its controller copies it to every replica set.
      minReadySeconds: d?.spec.minReadySeconds || undefined,
      selector: kubeSelector(replicaSetSelector(rs, ctx)),
      template: kubePodTemplate(rs.template, labels),
    }),
    status: compact({
      replicas: counts.replicas,
      fullyLabeledReplicas: counts.replicas || undefined,
      readyReplicas: counts.readyReplicas || undefined,
      availableReplicas: counts.availableReplicas || undefined,
      observedGeneration: rs.generation,
    }),
  };
}

/** Informer handler: the replica set and its deployment reconcile; a deleted one's pods are collected. */
function onReplicaSetChange(ctx: Ctx, b: ReplicaSet | undefined, a: ReplicaSet | undefined): void {
  const r = (a ?? b) as ReplicaSet;
  ctx.queues.replicaSet.add(r.id, changePriority(b, a));
  ctx.queues.deployment.add(r.deploymentId, "update");
  if (!a) for (const p of ctx.state.podsOfReplicaSet(r.id)) ctx.queues.gc.add(`pod/${p.id}`, "delete");
}

export const replicaSetKind: KindDefinition<"ReplicaSet"> = {
  kind: "ReplicaSet",
  apiKind: "ReplicaSet",
  group: "apps",
  version: "v1",
  apiVersion: "apps/v1",
  plural: "replicasets",
  singular: "replicaset",
  shortNames: ["rs"],
  namespaced: true,
  nameScope: "namespace",
  categories: ["all"],
  fieldGetters: metadataFieldGetters<ReplicaSet>(),
  printerColumns: [
    nameColumn<ReplicaSet>(),
    {
      name: "Desired",
      type: "integer",
      priority: 0,
      description: "Replicas is the number of desired pods.",
      cell: (rs) => rs.replicas,
    },
    {
      name: "Current",
      type: "integer",
      priority: 0,
      description: "Replicas is the most recently observed number of replicas.",
      cell: (rs, ctx) => replicaSetCounts(rs, ctx).replicas,
    },
    {
      name: "Ready",
      type: "integer",
      priority: 0,
      description: "The number of ready replicas for this replica set.",
      cell: (rs, ctx) => replicaSetCounts(rs, ctx).readyReplicas,
    },
    ageColumn<ReplicaSet>(),
    {
      name: "Containers",
      type: "string",
      priority: 1,
      description: "Names of each container in the template.",
      cell: (rs) => containerNames(rs.template),
    },
    {
      name: "Images",
      type: "string",
      priority: 1,
      description: "Images referenced by each container in the template.",
      cell: (rs) => containerImages(rs.template),
    },
    {
      name: "Selector",
      type: "string",
      priority: 1,
      description: "Selector is a label query over pods that should match the replica count.",
      cell: (rs, ctx) => formatLabelSelector(replicaSetSelector(rs, ctx)),
    },
  ],
  toKubernetes: replicaSetToKubernetes,
  indexes: [{ name: "byDeployment", key: (rs) => rs.deploymentId }],
  onChange: onReplicaSetChange,
};
