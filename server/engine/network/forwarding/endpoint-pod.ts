/**
 * The engine's Pod as the EndpointSlice derivation reads it. Readiness is the pod's Ready
 * condition (Kubernetes' IsPodReady), terminating is a set deletionTimestamp. The pod's IP is
 * passed in: it is assigned by IPAM and lives in the pod's status once the Pod kind carries it.
 */
import type { Pod } from "../../kinds/types";
import type { EndpointPod } from "./endpoint-slices";

export function endpointPodOf(pod: Pod, podIP: string | undefined): EndpointPod {
  return {
    uid: pod.id,
    name: pod.name,
    namespace: pod.namespace,
    labels: pod.labels,
    ...(podIP ? { podIP } : {}),
    ready: pod.status.conditions.some((c) => c.type === "Ready" && c.status === "True"),
    terminating: pod.deletionTimestamp !== undefined,
    phase: pod.status.phase,
    restartPolicy: pod.spec.restartPolicy,
    ...(pod.nodeName ? { nodeName: pod.nodeName } : {}),
    containerPorts: pod.spec.containers.flatMap((c) => c.ports),
  };
}
