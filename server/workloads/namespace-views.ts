/**
 * Namespace views (view-schemas.ts's namespaceViewSchema): the tenant's namespaces as
 * clients read them, with Kubernetes' phase (Terminating while what was in it is deleted)
 * and what the namespace's pods use.
 */
import type { Namespace } from "../engine";
import { wireMeta } from "./views";

type Usage = { cpuMillis: number; memoryBytes: number; pods: number };

export function namespaceView(ns: Namespace & { used?: Usage }) {
  return {
    ...wireMeta(ns),
    name: ns.name,
    createdAt: ns.createdAt,
    labels: ns.labels,
    default: ns.tenantDefault === true,
    phase: ns.status.phase,
    used: ns.used ?? { cpuMillis: 0, memoryBytes: 0, pods: 0 },
    ...(ns.deletionTimestamp !== undefined ? { deletionTimestamp: new Date(ns.deletionTimestamp).toISOString() } : {}),
  };
}
