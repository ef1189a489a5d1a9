/**
 * Service views (Kubernetes' Service, a stable address in front of the pods its selector
 * matches): what the console's list and detail pages and cloudctl read. The list row carries
 * kubectl's columns (type, ClusterIP, EXTERNAL-IP with `<pending>` for a LoadBalancer still
 * waiting for its public IP, ports); the detail adds the endpoints from the service's
 * EndpointSlices (ready and not-ready, by pod), the name pods resolve it by, and the rows of
 * the tenant's forwarding table that carry its traffic. Metadata as clients read it elsewhere
 * (string resourceVersion, RFC 3339 creationTimestamp, no owner tenant).
 */
import { z } from "zod";
import type { EndpointSlice } from "../../engine/kinds/endpoint-slice";
import { externalIpCell, type Service } from "../../engine/kinds/service";
import { CLUSTER_DOMAIN, type ForwardingEntryView } from "../../engine/network/forwarding";
import { wireMeta } from "../../workloads/views";
import { labelsView } from "./common";

const servicePortView = z.object({
  name: z.string().optional(),
  protocol: z.enum(["TCP", "UDP", "SCTP"]),
  port: z.number(),
  /** A container port number, or the name of one (resolved per pod into the endpoints' ports). */
  targetPort: z.union([z.number(), z.string()]),
});

export const serviceView = z.object({
  uid: z.string(),
  name: z.string(),
  namespace: z.string(),
  resourceVersion: z.string(),
  creationTimestamp: z.string(),
  createdAt: z.number(),
  type: z.enum(["ClusterIP", "LoadBalancer"]),
  /** Absent only in the instant before the engine allocates it. */
  clusterIP: z.string().optional(),
  /** kubectl's EXTERNAL-IP: the bound public IP(s), `<pending>` for a LoadBalancer without one, `<none>` otherwise. */
  externalIP: z.string(),
  ports: z.array(servicePortView),
  /** Absent: the service selects no pods (its endpoints are managed by hand). */
  selector: labelsView.optional(),
  sessionAffinity: z.enum(["None", "ClientIP"]),
});
export type ServiceViewOut = z.infer<typeof serviceView>;

const endpointView = z.object({
  address: z.string(),
  pod: z.string(),
  namespace: z.string(),
  nodeName: z.string().optional(),
  ready: z.boolean(),
  serving: z.boolean(),
  terminating: z.boolean(),
});

const forwardingEntryView = z.object({
  address: z.string(),
  port: z.number(),
  protocol: z.enum(["TCP", "UDP", "SCTP"]),
  portName: z.string(),
  sessionAffinity: z.enum(["None", "ClientIP"]),
  /** `ip:port` of each backend, in the table's order. */
  backends: z.array(z.string()),
});

export const serviceDetailView = serviceView.extend({
  /** The A record pods of the tenant resolve (`<name>.<namespace>.svc.cluster.local`). */
  dnsName: z.string(),
  endpoints: z.array(endpointView),
  /** The ports the endpoints serve on (targetPorts resolved), from the slices. */
  endpointPorts: z.array(z.object({ name: z.string(), protocol: z.enum(["TCP", "UDP", "SCTP"]), port: z.number() })),
  forwarding: z.array(forwardingEntryView),
  /** The tenant's PublicIP bound to this service (a LoadBalancer's EXTERNAL-IP comes from it), by name. */
  publicIp: z.string().optional(),
});
export type ServiceDetailViewOut = z.infer<typeof serviceDetailView>;

export function toServiceView(s: Service): ServiceViewOut {
  return {
    ...wireMeta(s),
    name: s.name,
    namespace: s.namespace,
    createdAt: s.createdAt,
    type: s.spec.type,
    ...(s.spec.clusterIP ? { clusterIP: s.spec.clusterIP } : {}),
    externalIP: externalIpCell(s),
    ports: s.spec.ports.map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      protocol: p.protocol,
      port: p.port,
      targetPort: p.targetPort,
    })),
    ...(s.spec.selector ? { selector: { ...s.spec.selector } } : {}),
    sessionAffinity: s.spec.sessionAffinity,
  };
}

/** The service's detail from its slices and the tenant's forwarding rows (every row of the table; this keeps its own). */
export function toServiceDetailView(
  s: Service,
  slices: readonly EndpointSlice[],
  table: readonly ForwardingEntryView[],
  publicIp?: string,
): ServiceDetailViewOut {
  const endpoints = slices
    .flatMap((slice) =>
      slice.endpoints.flatMap((e) =>
        e.addresses.map((address) => ({
          address,
          pod: e.targetRef.name,
          namespace: e.targetRef.namespace,
          ...(e.nodeName ? { nodeName: e.nodeName } : {}),
          ready: e.conditions.ready,
          serving: e.conditions.serving,
          terminating: e.conditions.terminating,
        })),
      ),
    )
    .sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
  const ports = new Map<string, { name: string; protocol: "TCP" | "UDP" | "SCTP"; port: number }>();
  for (const slice of slices) for (const p of slice.ports) ports.set(`${p.name}/${p.protocol}/${p.port}`, { ...p });
  const key = `${s.namespace}/${s.name}`;
  return {
    ...toServiceView(s),
    dnsName: `${s.name}.${s.namespace}.svc.${CLUSTER_DOMAIN}`,
    endpoints,
    endpointPorts: [...ports.values()],
    forwarding: table
      .filter((row) => row.service === key)
      .map((row) => ({
        address: row.address,
        port: row.port,
        protocol: row.protocol,
        portName: row.portName,
        sessionAffinity: row.sessionAffinity,
        backends: [...row.backends],
      })),
    ...(publicIp ? { publicIp } : {}),
  };
}
