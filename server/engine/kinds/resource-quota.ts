/**
 * Kind ResourceQuota (core/v1), namespaced: a namespace's limits on cpu and memory
 * requests and pods. Conversion: `spec.hard` and `status.hard` as quantities, `status.used`
 * when the context can measure the namespace. Printer columns as kubectl's
 * (NAME AGE REQUEST LIMIT; REQUEST reads `cpu: 500m/2, memory: 1Gi/4Gi, pods: 3/10`).
 */
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import { type ConversionContext, compact, type KubeObject, objectMeta } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import { formatCpu, formatMemory } from "./quantity";
import type { ResourceQuota, Resources } from "./types";
import { resourceQuotaSchema } from "./validation";

/** What a namespace uses now (requests of its pods that count for quota, and their number). */
export interface NamespaceUsage extends Resources {
  pods: number;
}

/** The context's measure of a namespace, when it has one (EngineState does not yet). */
export type UsageContext = ConversionContext & {
  namespaceUsage?(tenantId: string, namespace: string): NamespaceUsage | undefined;
};

export function resourceQuotaHard(q: ResourceQuota): Record<string, string> {
  return compact({
    cpu: q.hard.cpuMillis === undefined ? undefined : formatCpu(q.hard.cpuMillis),
    memory: q.hard.memoryBytes === undefined ? undefined : formatMemory(q.hard.memoryBytes),
    pods: q.hard.pods === undefined ? undefined : String(q.hard.pods),
  });
}

function used(q: ResourceQuota, ctx: UsageContext): Record<string, string> | undefined {
  const u = ctx.namespaceUsage?.(q.tenantId, q.namespace);
  if (u === undefined) return undefined;
  const hard = resourceQuotaHard(q);
  const all: Record<string, string> = {
    cpu: formatCpu(u.cpuMillis),
    memory: formatMemory(u.memoryBytes),
    pods: String(u.pods),
  };
  // Kubernetes reports usage only for the resources the quota limits.
  return Object.fromEntries(Object.entries(all).filter(([k]) => k in hard));
}

export function resourceQuotaToKubernetes(q: ResourceQuota, ctx: UsageContext): KubeObject {
  const hard = resourceQuotaHard(q);
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: objectMeta(q),
    spec: { hard },
    status: compact({ hard: { ...hard }, used: used(q, ctx) }),
  };
}

/** kubectl's REQUEST column: `resource: used/hard` for every limited resource, sorted by name. */
export function requestColumn(q: ResourceQuota, ctx: UsageContext): string {
  const hard = resourceQuotaHard(q);
  const u = used(q, ctx) ?? {};
  return Object.keys(hard)
    .sort()
    .map((k) => `${k}: ${u[k] ?? "0"}/${hard[k]}`)
    .join(", ");
}

/** Informer handler: after a raised or removed quota, replica sets refused pods in its namespace may create them. */
function onResourceQuotaChange(ctx: Ctx, b: ResourceQuota | undefined, a: ResourceQuota | undefined): void {
  const q = (a ?? b) as ResourceQuota;
  for (const rs of ctx.state.ofTenant("ReplicaSet", q.tenantId))
    if (rs.namespace === q.namespace) ctx.queues.replicaSet.add(rs.id, "update");
}

export const resourceQuotaKind: KindDefinition<"ResourceQuota"> = {
  kind: "ResourceQuota",
  apiKind: "ResourceQuota",
  group: "",
  version: "v1",
  apiVersion: "v1",
  plural: "resourcequotas",
  singular: "resourcequota",
  shortNames: ["quota"],
  namespaced: true,
  nameScope: "namespace",
  categories: [],
  inputSchema: resourceQuotaSchema,
  fieldGetters: metadataFieldGetters<ResourceQuota>(),
  printerColumns: [
    nameColumn<ResourceQuota>(),
    ageColumn<ResourceQuota>(),
    {
      name: "Request",
      type: "string",
      priority: 0,
      description: "Request represents a minimum amount of cpu/memory that a container may consume.",
      cell: requestColumn,
    },
    {
      name: "Limit",
      type: "string",
      priority: 0,
      description:
        "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
      // The engine limits requests only; no `limits.*` resources.
      cell: () => "",
    },
  ],
  toKubernetes: resourceQuotaToKubernetes,
  onChange: onResourceQuotaChange,
};
