/**
 * ResourceQuota views (Kubernetes' ResourceQuota, one namespace's limits): its metadata as
 * clients read it (string resourceVersion, RFC 3339 creationTimestamp, no owner tenant), `hard`
 * (an absent field is unlimited) and `used`, what the namespace's pods request now (pods that
 * are neither finished nor terminating), in the units the rest of the API uses (millicores,
 * bytes, pods). Kubernetes reports `used` only for the resources the quota limits; the view
 * reports all three, so a client can show what an unlimited resource takes too.
 */
import { z } from "zod";
import type { ResourceQuotaView } from "../../engine";
import { wireMeta } from "../../workloads/views";
import { labelsView, resourcesWithPodsView } from "./common";

export const resourceQuotaView = z.object({
  uid: z.string(),
  name: z.string(),
  namespace: z.string(),
  resourceVersion: z.string(),
  creationTimestamp: z.string(),
  createdAt: z.number(),
  labels: labelsView,
  hard: z.object({ cpuMillis: z.number().optional(), memoryBytes: z.number().optional(), pods: z.number().optional() }),
  used: resourcesWithPodsView,
});

export const resourceQuotaListView = z.object({ items: z.array(resourceQuotaView) });

export type ResourceQuotaViewOut = z.infer<typeof resourceQuotaView>;

export function toResourceQuotaView(q: ResourceQuotaView): ResourceQuotaViewOut {
  return {
    ...wireMeta(q),
    name: q.name,
    namespace: q.namespace,
    createdAt: q.createdAt,
    labels: q.labels,
    hard: { ...q.hard },
    used: { cpuMillis: q.used.cpuMillis, memoryBytes: q.used.memoryBytes, pods: q.used.pods },
  };
}
