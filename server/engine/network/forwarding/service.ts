/**
 * The parts of a Kubernetes Service (core/v1) that the data plane needs, in Kubernetes' field
 * names, and Kubernetes' defaulting. What is modelled: types ClusterIP and LoadBalancer (a
 * LoadBalancer is a ClusterIP service plus a public IP bound to it, its
 * `status.loadBalancer.ingress[0].ip`), ports with a number or named targetPort, a
 * label selector (equality only, as Service.spec.selector is), sessionAffinity None or
 * ClientIP, publishNotReadyAddresses. Not modelled: NodePort and ExternalName types,
 * headless services (`clusterIP: None`), IPv6 and dual stack, traffic policies, appProtocol.
 */

export type ServiceType = "ClusterIP" | "LoadBalancer";
export type ServiceProtocol = "TCP" | "UDP" | "SCTP";
export type SessionAffinity = "None" | "ClientIP";

export const SERVICE_TYPES: readonly ServiceType[] = ["ClusterIP", "LoadBalancer"];
export const SERVICE_PROTOCOLS: readonly ServiceProtocol[] = ["SCTP", "TCP", "UDP"];
export const SESSION_AFFINITIES: readonly SessionAffinity[] = ["ClientIP", "None"];

/** Kubernetes' default service range for a cluster; each tenant has its own (they may overlap). */
export const DEFAULT_SERVICE_CIDR = "10.96.0.0/16";
/** The cluster domain of every tenant's service names (`<svc>.<ns>.svc.cluster.local`). */
export const CLUSTER_DOMAIN = "cluster.local";

/**
 * One service port. `targetPort` is a container port number or the name of a container port
 * (IANA_SVC_NAME), resolved per pod when endpoints are derived. `name` is required (and
 * unique) when the service has more than one port.
 */
export interface ServicePort {
  readonly name?: string;
  readonly protocol: ServiceProtocol;
  readonly port: number;
  readonly targetPort: number | string;
}

/** A Service's spec after defaulting. `clusterIP` is absent only until it is allocated. */
export interface ServiceSpec {
  readonly type: ServiceType;
  readonly clusterIP?: string;
  readonly ports: readonly ServicePort[];
  /** Equality selector; absent or empty: the service selects no pods (endpoints are managed by hand). */
  readonly selector?: Readonly<Record<string, string>>;
  readonly sessionAffinity: SessionAffinity;
  /** Endpoints of not-ready pods count as ready (Kubernetes' publishNotReadyAddresses). */
  readonly publishNotReadyAddresses?: boolean;
  /** The public IP a LoadBalancer asks for (Kubernetes' deprecated field, still the common spelling). */
  readonly loadBalancerIP?: string;
}

/** status.loadBalancer.ingress: the public IP actually bound to a LoadBalancer service. */
export interface ServiceStatus {
  readonly loadBalancer?: { readonly ingress?: readonly { readonly ip?: string }[] };
}

/**
 * What the forwarding table and the endpoint derivation read from a Service object. The
 * engine's Service kind (flat metadata, `spec`, `status`) satisfies it as it is.
 */
export interface ServiceLike {
  readonly namespace: string;
  readonly name: string;
  readonly id?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly spec: ServiceSpec;
  readonly status?: ServiceStatus;
}

/** A service's identity inside its tenant. */
export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
}

export interface ServicePortInput {
  name?: string;
  protocol?: ServiceProtocol;
  port: number;
  targetPort?: number | string;
}

export interface ServiceSpecInput {
  type?: ServiceType;
  clusterIP?: string;
  ports?: readonly ServicePortInput[];
  selector?: Readonly<Record<string, string>>;
  sessionAffinity?: SessionAffinity;
  publishNotReadyAddresses?: boolean;
  loadBalancerIP?: string;
}

/**
 * Kubernetes' defaults (SetDefaults_Service): type ClusterIP, protocol TCP, targetPort = port,
 * sessionAffinity None. An empty clusterIP means "allocate one", as Kubernetes reads it.
 */
export function defaultServiceSpec(input: ServiceSpecInput): ServiceSpec {
  const ports = (input.ports ?? []).map(
    (p): ServicePort => ({
      ...(p.name !== undefined && p.name !== "" ? { name: p.name } : {}),
      protocol: p.protocol ?? "TCP",
      port: p.port,
      targetPort: p.targetPort === undefined || p.targetPort === 0 || p.targetPort === "" ? p.port : p.targetPort,
    }),
  );
  return {
    type: input.type ?? "ClusterIP",
    ...(input.clusterIP ? { clusterIP: input.clusterIP } : {}),
    ports,
    ...(input.selector && Object.keys(input.selector).length > 0 ? { selector: input.selector } : {}),
    sessionAffinity: input.sessionAffinity ?? "None",
    ...(input.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}),
    ...(input.loadBalancerIP ? { loadBalancerIP: input.loadBalancerIP } : {}),
  };
}

/**
 * The public IP bound to a LoadBalancer service: its status, written once the public IP is
 * bound. The requested `spec.loadBalancerIP` alone forwards nothing: until the binding is made
 * the address may not be the tenant's.
 */
export function loadBalancerIpOf(service: ServiceLike): string | undefined {
  if (service.spec.type !== "LoadBalancer") return undefined;
  return service.status?.loadBalancer?.ingress?.find((i) => i.ip)?.ip;
}

/** `namespace/name`: the key a tenant's services are held under. */
export function serviceKey(ref: ServiceRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** Protocols as 2-bit codes, packed into the tables' numeric keys. */
export const PROTOCOL_CODE: Readonly<Record<ServiceProtocol, number>> = { TCP: 0, UDP: 1, SCTP: 2 };
export const PROTOCOL_OF_CODE: readonly ServiceProtocol[] = ["TCP", "UDP", "SCTP"];
