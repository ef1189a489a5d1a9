/**
 * EndpointSlices (discovery.k8s.io/v1) of a service, derived as Kubernetes' EndpointSlice
 * controller derives them (pkg/controller/endpointslice): pods in the service's namespace
 * whose labels match its selector, with an IP and not terminal for their restart policy; one
 * endpoint per pod with conditions ready/serving/terminating, nodeName and a Pod targetRef;
 * ports resolved per pod from targetPort (a named targetPort is looked up among the pod's
 * container ports of the same protocol, and a service port that does not resolve is left out
 * for that pod); pods grouped by their resolved port set, at most 100 endpoints per slice;
 * a service that selects nothing keeps one empty placeholder slice.
 *
 * Unlike Kubernetes, which packs slices to minimise writes against what exists, the output
 * is a pure function of its input, sorted (groups by port set, endpoints by address, then pod
 * name) and named deterministically, so an unchanged input yields an equal result and a
 * controller can compare before it writes (`endpointSlicesEqual`).
 */
import { canonicalJson, stableHash } from "../../queue/rng";
import { parseIpv4 } from "../ipv4";
import type { ServiceLike, ServicePort, ServiceProtocol } from "./service";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
export const ENDPOINTSLICE_CONTROLLER = "endpointslice-controller.k8s.io";
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** What the derivation reads of a pod; `endpointPodOf` (endpoint-pod.ts) builds it from the engine's Pod. */
export interface EndpointPod {
  readonly uid: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** status.podIP; a pod without one is not an endpoint. */
  readonly podIP?: string;
  /** The pod's Ready condition is True. */
  readonly ready: boolean;
  /** metadata.deletionTimestamp is set. */
  readonly terminating: boolean;
  readonly phase: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  readonly restartPolicy: "Always" | "OnFailure" | "Never";
  readonly nodeName?: string;
  /** Every container's ports, in container order. */
  readonly containerPorts: readonly { name?: string; containerPort: number; protocol: ServiceProtocol }[];
}

export interface EndpointConditions {
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

export interface Endpoint {
  readonly addresses: readonly string[];
  readonly conditions: EndpointConditions;
  readonly nodeName?: string;
  readonly targetRef: { readonly kind: "Pod"; readonly namespace: string; readonly name: string; readonly uid: string };
}

export interface EndpointPort {
  readonly name: string;
  readonly protocol: ServiceProtocol;
  readonly port: number;
}

/** An EndpointSlice as Kubernetes serves it, less the metadata the store adds. */
export interface EndpointSlice {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The owning service (metadata.ownerReferences[0]: kind Service, controller true). */
  readonly ownerService: { readonly name: string; readonly uid?: string };
  readonly addressType: "IPv4";
  readonly endpoints: readonly Endpoint[];
  readonly ports: readonly EndpointPort[];
}

/** Kubernetes' ShouldPodBeInEndpoints with terminating pods included (as the EndpointSlice controller asks). */
export function podIsEndpointCandidate(pod: EndpointPod): boolean {
  if (!pod.podIP) return false;
  if (pod.restartPolicy === "Never") return pod.phase !== "Failed" && pod.phase !== "Succeeded";
  if (pod.restartPolicy === "OnFailure") return pod.phase !== "Succeeded";
  return true;
}

/** Kubernetes' FindPort: a number as it is; a name from the first container port of that name and protocol. */
export function resolveTargetPort(pod: EndpointPod, port: ServicePort): number | undefined {
  if (typeof port.targetPort === "number") return port.targetPort;
  for (const cp of pod.containerPorts)
    if (cp.name === port.targetPort && cp.protocol === port.protocol) return cp.containerPort;
  return undefined;
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

function endpointOf(pod: EndpointPod, publishNotReady: boolean): Endpoint {
  const serving = publishNotReady || pod.ready;
  // Kubernetes: "ready" is never true for a terminating pod unless publishNotReadyAddresses is set.
  const ready = publishNotReady || (serving && !pod.terminating);
  return {
    addresses: [pod.podIP as string],
    conditions: { ready, serving, terminating: pod.terminating },
    ...(pod.nodeName ? { nodeName: pod.nodeName } : {}),
    targetRef: { kind: "Pod", namespace: pod.namespace, name: pod.name, uid: pod.uid },
  };
}

interface Group {
  readonly key: string;
  readonly ports: EndpointPort[];
  readonly members: { ip: number; name: string; endpoint: Endpoint }[];
}

/** The service's EndpointSlices from the tenant's pods; [] for a service without a selector. */
export function deriveEndpointSlices(
  service: ServiceLike,
  pods: readonly EndpointPod[],
  maxPerSlice = MAX_ENDPOINTS_PER_SLICE,
): EndpointSlice[] {
  const selector = service.spec.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  const groups = new Map<string, Group>();
  for (const pod of pods) {
    if (pod.namespace !== service.namespace || !selects(selector, pod.labels) || !podIsEndpointCandidate(pod)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of service.spec.ports) {
      const port = resolveTargetPort(pod, sp);
      if (port !== undefined) ports.push({ name: sp.name ?? "", protocol: sp.protocol, port });
    }
    const key = ports.map((p) => `${p.name}/${p.protocol}/${p.port}`).join(",");
    let g = groups.get(key);
    if (!g) {
      g = { key, ports, members: [] };
      groups.set(key, g);
    }
    g.members.push({
      ip: parseIpv4(pod.podIP as string),
      name: pod.name,
      endpoint: endpointOf(pod, service.spec.publishNotReadyAddresses === true),
    });
  }
  const labels = {
    ...service.labels,
    [SERVICE_NAME_LABEL]: service.name,
    [MANAGED_BY_LABEL]: ENDPOINTSLICE_CONTROLLER,
  };
  const slice = (tag: string, endpoints: Endpoint[], ports: EndpointPort[]): EndpointSlice => ({
    name: `${service.name.slice(0, 57)}-${stableHash(`${service.name}|${tag}`).slice(0, 5)}`,
    namespace: service.namespace,
    labels,
    ownerService: { name: service.name, ...(service.id ? { uid: service.id } : {}) },
    addressType: "IPv4",
    endpoints,
    ports,
  });
  if (groups.size === 0) return [slice("placeholder", [], [])];
  const out: EndpointSlice[] = [];
  for (const g of [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    g.members.sort((a, b) => a.ip - b.ip || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (let i = 0; i < g.members.length; i += maxPerSlice)
      out.push(
        slice(
          `${g.key}|${i / maxPerSlice}`,
          g.members.slice(i, i + maxPerSlice).map((m) => m.endpoint),
          g.ports,
        ),
      );
  }
  return out;
}

/**
 * Whether two derivations are equal field by field, whatever their key order (one may come back
 * from the store): what a controller checks before it writes.
 */
export function endpointSlicesEqual(a: readonly EndpointSlice[], b: readonly EndpointSlice[]): boolean {
  return a.length === b.length && a.every((s, i) => canonicalJson(s) === canonicalJson(b[i]));
}
