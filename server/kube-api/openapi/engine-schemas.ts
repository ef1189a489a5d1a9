/**
 * Schemas of the kinds upstream does not define: the engine's own cloud.tenant.io/v1 kinds (the
 * shape their toKubernetes gives: kinds/node-pool.ts, kinds/quota.ts) and metrics.k8s.io/v1beta1
 * (metrics-server's NodeMetrics and PodMetrics, for `kubectl top`). Written in the upstream style so
 * they sit beside the generated definitions.
 */
import { nodePoolSchema } from "../../engine/kinds/validation";
import type { Schema } from "./schema-types";

const META = "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1";
const QUANTITY = "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity";
const TYPE_META: Record<string, Schema> = {
  apiVersion: {
    type: "string",
    description: "APIVersion defines the versioned schema of this representation of an object.",
  },
  kind: {
    type: "string",
    description: "Kind is a string value representing the REST resource this object represents.",
  },
};

function kind(group: string, version: string, name: string, description: string, props: Record<string, Schema>) {
  return {
    description,
    type: "object",
    properties: {
      ...TYPE_META,
      metadata: { $ref: `${META}.ObjectMeta`, description: "Standard object's metadata." },
      ...props,
    },
    "x-kubernetes-group-version-kind": [{ group, version, kind: name }],
  } satisfies Schema;
}

function list(group: string, version: string, name: string, item: string) {
  return {
    description: `${name} is a list of ${item.split(".").pop()}.`,
    type: "object",
    required: ["items"],
    properties: {
      ...TYPE_META,
      items: { type: "array", description: "List of objects.", items: { $ref: `#/definitions/${item}` } },
      metadata: { $ref: `${META}.ListMeta`, description: "Standard list metadata." },
    },
    "x-kubernetes-group-version-kind": [{ group, version, kind: name }],
  } satisfies Schema;
}

const int = (description: string): Schema => ({ type: "integer", format: "int32", description });
const bool = (description: string): Schema => ({ type: "boolean", description });
const quantity = (description: string): Schema => ({ $ref: QUANTITY, description });
const usage: Schema = {
  type: "object",
  description: "The memory and CPU usage.",
  additionalProperties: { $ref: QUANTITY },
};
const time = (description: string): Schema => ({ $ref: `${META}.Time`, description });
const duration: Schema = { type: "string", description: "The time window the usage was measured over." };

const ENGINE = "io.tenant.cloud.v1";
const METRICS = "io.k8s.metrics.pkg.apis.metrics.v1beta1";

export const ENGINE_DEFINITIONS: Record<string, Schema> = {
  [`${ENGINE}.NodePool`]: kind("cloud.tenant.io", "v1", "NodePool", "NodePool is a tenant's group of identical VMs.", {
    spec: { $ref: `#/definitions/${ENGINE}.NodePoolSpec`, description: "The pool's machines and sizes." },
  }),
  [`${ENGINE}.NodePoolSpec`]: {
    description: "NodePoolSpec sizes a pool. The pool's labels are the labels its nodes get.",
    type: "object",
    required: ["machineType", "maxSize"],
    properties: {
      machineType: {
        type: "string",
        description: "The VM size of the pool's nodes.",
        enum: [...nodePoolSchema.shape.machineType.options],
      },
      minSize: int("Fewest nodes kept. Defaults to 0."),
      maxSize: int("Most nodes a scale-up may reach."),
      warmPoolSize: int("Booted standby VMs kept ready. Defaults to 0."),
      trimmedImage: bool("Boot the nodes from the trimmed image. Defaults to false."),
      staticIp: bool("Nodes keep a static address. Defaults to false."),
    },
  },
  [`${ENGINE}.NodePoolList`]: list("cloud.tenant.io", "v1", "NodePoolList", `${ENGINE}.NodePool`),
  [`${ENGINE}.TenantQuota`]: kind(
    "cloud.tenant.io",
    "v1",
    "TenantQuota",
    "TenantQuota is a tenant's limits across all its namespaces.",
    { spec: { $ref: `#/definitions/${ENGINE}.TenantQuotaSpec`, description: "The limits." } },
  ),
  [`${ENGINE}.TenantQuotaSpec`]: {
    description: "TenantQuotaSpec holds the limits; an absent resource is unlimited.",
    type: "object",
    properties: {
      hard: {
        type: "object",
        description: "The limit of each resource, in Kubernetes' quantities.",
        properties: {
          cpu: quantity("CPU requests limit."),
          memory: quantity("Memory requests limit."),
          pods: quantity("Pods limit."),
          nodes: quantity("Nodes limit."),
          publicips: quantity("Public IPs limit (held, bound or not)."),
        },
      },
    },
  },
  [`${ENGINE}.TenantQuotaList`]: list("cloud.tenant.io", "v1", "TenantQuotaList", `${ENGINE}.TenantQuota`),
  [`${METRICS}.NodeMetrics`]: kind(
    "metrics.k8s.io",
    "v1beta1",
    "NodeMetrics",
    "NodeMetrics sets resource usage metrics of a node.",
    {
      timestamp: time("The time the usage was measured at."),
      window: duration,
      usage,
    },
  ),
  [`${METRICS}.NodeMetricsList`]: list("metrics.k8s.io", "v1beta1", "NodeMetricsList", `${METRICS}.NodeMetrics`),
  [`${METRICS}.PodMetrics`]: kind(
    "metrics.k8s.io",
    "v1beta1",
    "PodMetrics",
    "PodMetrics sets resource usage metrics of a pod.",
    {
      timestamp: time("The time the usage was measured at."),
      window: duration,
      containers: {
        type: "array",
        description: "Metrics for all containers, collected within the same time window.",
        items: { $ref: `#/definitions/${METRICS}.ContainerMetrics` },
        "x-kubernetes-list-type": "atomic",
      },
    },
  ),
  [`${METRICS}.ContainerMetrics`]: {
    description: "ContainerMetrics sets resource usage metrics of a container.",
    type: "object",
    required: ["name", "usage"],
    properties: { name: { type: "string", description: "Container name." }, usage },
  },
  [`${METRICS}.PodMetricsList`]: list("metrics.k8s.io", "v1beta1", "PodMetricsList", `${METRICS}.PodMetrics`),
};
