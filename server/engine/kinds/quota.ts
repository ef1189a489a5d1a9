/**
 * Kind Quota, on the wire TenantQuota (the engine's own group, cluster-scoped): a tenant's
 * limits across all its namespaces. `spec.hard` in Kubernetes' quantities; an absent
 * resource is unlimited. Printer columns: NAME CPU MEMORY PODS NODES AGE.
 */
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { changePriority, metadataFieldGetters } from "./definition";
import { compact, ENGINE_API_GROUP, ENGINE_API_VERSION, type KubeObject, objectMeta } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import { formatCpu, formatMemory } from "./quantity";
import type { TenantQuota } from "./types";
import { quotaSchema } from "./validation";

export function tenantQuotaHard(q: TenantQuota): Record<string, string> {
  return compact({
    cpu: q.cpuMillis === undefined ? undefined : formatCpu(q.cpuMillis),
    memory: q.memoryBytes === undefined ? undefined : formatMemory(q.memoryBytes),
    pods: q.pods === undefined ? undefined : String(q.pods),
    nodes: q.nodes === undefined ? undefined : String(q.nodes),
    publicips: q.publicIps === undefined ? undefined : String(q.publicIps),
  });
}

export function quotaToKubernetes(q: TenantQuota): KubeObject {
  return {
    apiVersion: ENGINE_API_VERSION,
    kind: "TenantQuota",
    metadata: objectMeta(q),
    spec: { hard: tenantQuotaHard(q) },
  };
}

const limit = (v: string | undefined) => v ?? "<unlimited>";

/** Informer handler: the tenant's provisioner re-plans its nodes (quota sizes and limits feed it). */
function onQuotaChange(ctx: Ctx, b: TenantQuota | undefined, a: TenantQuota | undefined): void {
  ctx.queues.provisioner.add((a ?? b)?.tenantId ?? "", changePriority(b, a));
}

export const quotaKind: KindDefinition<"Quota"> = {
  kind: "Quota",
  apiKind: "TenantQuota",
  group: ENGINE_API_GROUP,
  version: "v1",
  apiVersion: ENGINE_API_VERSION,
  plural: "tenantquotas",
  singular: "tenantquota",
  shortNames: [],
  namespaced: false,
  nameScope: "tenant",
  categories: [],
  inputSchema: quotaSchema,
  fieldGetters: metadataFieldGetters<TenantQuota>(),
  printerColumns: [
    nameColumn<TenantQuota>(),
    {
      name: "CPU",
      type: "string",
      priority: 0,
      description: "CPU requests limit.",
      cell: (q) => limit(tenantQuotaHard(q).cpu),
    },
    {
      name: "Memory",
      type: "string",
      priority: 0,
      description: "Memory requests limit.",
      cell: (q) => limit(tenantQuotaHard(q).memory),
    },
    {
      name: "Pods",
      type: "string",
      priority: 0,
      description: "Pods limit.",
      cell: (q) => limit(tenantQuotaHard(q).pods),
    },
    {
      name: "Nodes",
      type: "string",
      priority: 0,
      description: "Nodes limit.",
      cell: (q) => limit(tenantQuotaHard(q).nodes),
    },
    ageColumn<TenantQuota>(),
  ],
  toKubernetes: quotaToKubernetes,
  onChange: onQuotaChange,
};
