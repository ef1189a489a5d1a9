/**
 * Endpoints controller (Kubernetes' EndpointSlice controller). Key: a service id.
 * Guarantees: level-triggered and idempotent: a sync derives the service's slices from the pods
 * of its namespace as they are now (network/forwarding deriveEndpointSlices, readiness and
 * addresses through endpointPodOf), writes only the slices that differ from what is stored
 * (endpointSlicesEqual), and deletes the stale ones; a service that is gone takes its slices with
 * it. A sync of an unchanged service writes nothing, so a resync costs reads only.
 * Queued by: the Service's own changes (kinds/service.ts), pod changes that touch a service's
 * selection before or after (queueServicesOfPod, from the Pod informer), bootstrap and resync.
 */
import { derivedShape, type EndpointSlice, SLICES_BY_SERVICE } from "../kinds/endpoint-slice";
import { deriveEndpointSlices, endpointPodOf, endpointSlicesEqual } from "../network/forwarding";
import { type Ctx, newId } from "../core/context";
import { EMPTY_MAP } from "../kinds/types";

export function syncEndpointSlices(ctx: Ctx, serviceId: string): void {
  const { state } = ctx;
  const stored = state.indexed("EndpointSlice", SLICES_BY_SERVICE, serviceId);
  const svc = state.get("Service", serviceId);
  if (!svc || svc.deletionTimestamp !== undefined) {
    for (const s of stored) state.remove("EndpointSlice", s.id);
    return;
  }
  const pods = state
    .ofTenant("Pod", svc.tenantId)
    .filter((p) => p.namespace === svc.namespace)
    .map((p) => endpointPodOf(p, p.podIP));
  const wanted = deriveEndpointSlices(svc, pods);
  const byName = new Map<string, EndpointSlice>(stored.map((s) => [s.name, s]));
  const now = ctx.clock.now();
  for (const d of wanted) {
    const have = byName.get(d.name);
    byName.delete(d.name);
    if (have && endpointSlicesEqual([derivedShape(have)], [d])) continue;
    const fields = {
      labels: d.labels,
      ownerService: { name: svc.name, uid: svc.id },
      addressType: d.addressType,
      endpoints: d.endpoints,
      ports: d.ports,
    };
    if (have) state.put({ ...have, ...fields, generation: have.generation + 1 });
    else
      state.put({
        kind: "EndpointSlice",
        id: newId(ctx, "EndpointSlice", "eps"),
        tenantId: svc.tenantId,
        namespace: svc.namespace,
        name: d.name,
        annotations: EMPTY_MAP,
        generation: 1,
        createdAt: now,
        resourceVersion: 0,
        ...fields,
      });
  }
  for (const stale of byName.values()) state.remove("EndpointSlice", stale.id);
}
