/**
 * The tenant network reads (NetworkQueries): the tenant's VPC, subnet and service range, and the
 * connectivity check. Guarantees:
 * - Tenant-scoped: every pod, namespace and service is found through the caller's tenant only;
 *   another tenant's is NOT_FOUND exactly like a missing one, and an address is looked up in the
 *   caller's own network (tenants' ranges overlap; they never meet).
 * - The check is the traffic model's decision (network/security/decide-flow.ts) over the same
 *   tables (ctx.securityState), with every filter's outcome in `trace`; it changes nothing. A
 *   Service is resolved as kube-proxy would, through the tenant's forwarding table, to one
 *   endpoint (its targetPort is the port then checked); one with no ready endpoint is a drop
 *   (no-route, no-ready-endpoints).
 * - Bad input is INVALID naming its field (`port`, `to.address`, …); a pod without an address
 *   yet (Pending) cannot be checked (INVALID on `from.pod` / `to.pod`, saying why).
 */
import type { Ctx } from "../core/context";
import type { EngineCore } from "../core/core";
import { EngineError } from "../core/errors";
import { checkTenant, mustFind } from "../core/lookup";
import type { Pod } from "../kinds/types";
import { CLUSTER_DOMAIN } from "../network/forwarding";
import { formatCidr, formatIpv4, type Ipv4, parseIpv4 } from "../network/ipv4";
import {
  canonicalMac,
  decideFlow,
  type Flow,
  type FlowDestination,
  type FlowSource,
  type PortIdentity,
  type SecurityNetworkView,
  type TraceStep,
} from "../network/security";
import { isPublicAddress } from "../network/security/address-class";
import { INTERNET_HOST } from "../runtime/traffic/flow-spec";
import type {
  ConnectivityCheckInput,
  ConnectivityCheckResult,
  ConnectivityProtocol,
  InternetSourceRef,
  SourcePodRef,
  TenantNetworkView,
  TenantSubnetView,
} from "./network-types";
import { subnetsWithStatus } from "./network-commands";
import { DEFAULT_VPC_NAME } from "../kinds/vpc";
import type { SubnetObject } from "../kinds/subnet";
import { defaultSubnetPlan } from "../network/tenant-network-plan";

export { DEFAULT_VPC_NAME };

function subnetView(s: SubnetObject): TenantSubnetView {
  const status = s.status as NonNullable<SubnetObject["status"]>;
  return {
    name: s.name,
    cidr: s.spec.cidrBlock,
    gateway: s.spec.gateway,
    default: s.spec.default,
    namespaces: status.namespaces,
    assignedNamespaces: [...s.spec.namespaces],
    excludeIps: [...(s.spec.excludeIps ?? [])],
    resourceVersion: s.resourceVersion,
    total: status.usable,
    used: status.used,
    held: status.onHold,
    free: status.free,
  };
}

/** A tenant without Subnet objects yet (no namespace): the default subnet it will get, empty. */
function plannedDefaultSubnet(ctx: Ctx, tenantId: string): TenantSubnetView {
  const plan = defaultSubnetPlan(ctx.config.vpcCidr);
  const namespaces = ctx.state
    .ofTenant("Namespace", tenantId)
    .map((n) => n.name)
    .sort();
  return {
    name: plan.name,
    cidr: formatCidr(plan.cidr),
    gateway: formatIpv4(plan.gateway),
    default: true,
    namespaces,
    assignedNamespaces: [],
    excludeIps: [],
    resourceVersion: 0,
    total: plan.usable,
    used: 0,
    held: 0,
    free: plan.usable,
  };
}

/** INVALID at `field`, with the field in the detail so a console can mark it. */
const invalid = (field: string, message: string) =>
  new EngineError("INVALID", `${field}: ${message}`, {
    key: "errors.fieldMessage",
    params: { field, message },
    text: `${field}: ${message}`,
    field,
  });

const PROTOCOLS: ReadonlySet<string> = new Set(["tcp", "udp", "icmp"]);

function checkedPort(input: ConnectivityCheckInput): number {
  if (!PROTOCOLS.has(input.protocol))
    throw invalid(
      "protocol",
      `Unsupported value: ${JSON.stringify(input.protocol)}: supported values: "tcp", "udp", "icmp"`,
    );
  if (input.protocol === "icmp") return 0;
  const p = input.port;
  if (p === undefined) throw invalid("port", "Required value: a port is required for tcp and udp");
  if (!Number.isInteger(p) || p < 1 || p > 65535)
    throw invalid("port", `Invalid value: ${JSON.stringify(p)}: must be between 1 and 65535, inclusive`);
  return p;
}

/** The flow's source: the pod's port, with the addresses its packets claim when the input names them. */
function claimedSource(port: PortIdentity, from: SourcePodRef): FlowSource {
  let claimedIp: Ipv4 | undefined;
  if (from.sourceIp !== undefined) {
    try {
      claimedIp = parseIpv4(from.sourceIp);
    } catch {
      throw invalid("from.sourceIp", `Invalid value: ${JSON.stringify(from.sourceIp)}: must be an IPv4 address`);
    }
  }
  let claimedMac: string | undefined;
  if (from.sourceMac !== undefined) {
    try {
      claimedMac = canonicalMac(from.sourceMac);
    } catch {
      throw invalid("from.sourceMac", `Invalid value: ${JSON.stringify(from.sourceMac)}: must be a MAC address`);
    }
  }
  return {
    kind: "port",
    port,
    ...(claimedIp !== undefined ? { claimedIp } : {}),
    ...(claimedMac !== undefined ? { claimedMac } : {}),
  };
}

export function networkQueries(core: EngineCore) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;

  /** The pod's port as the filters see it; INVALID on `field` when it has no address yet. */
  function portOf(pod: Pod, field: string): PortIdentity {
    const port = ctx.securityState.portOfPod(pod);
    if (port === undefined)
      throw invalid(
        field,
        `pod "${pod.namespace}/${pod.name}" has no address yet (it is not scheduled): nothing to check`,
      );
    return port;
  }

  function findPod(tenantId: string, ref: { pod?: unknown; namespace?: unknown }): Pod {
    if (ref.namespace !== undefined && typeof ref.namespace !== "string")
      throw invalid("namespace", "must be a namespace name");
    return mustFind(state, "Pod", tenantId, ref.pod, ref.namespace as string | undefined);
  }

  return {
    getTenantNetwork(tenantId: string): TenantNetworkView {
      checkTenant(tenantId);
      const vpc = state.ofTenant("Vpc", tenantId)[0];
      const subnets = subnetsWithStatus(ctx, tenantId);
      return {
        vpc: { name: vpc?.name ?? DEFAULT_VPC_NAME, cidr: vpc?.spec.cidrBlock ?? ctx.config.vpcCidr },
        subnets: subnets.length > 0 ? subnets.map(subnetView) : [plannedDefaultSubnet(ctx, tenantId)],
        serviceCidr: ctx.serviceNetwork.serviceCidr,
        dnsSuffix: `svc.${CLUSTER_DOMAIN}`,
      };
    },

    checkConnectivity(tenantId: string, input: ConnectivityCheckInput): ConnectivityCheckResult {
      checkTenant(tenantId);
      if (typeof input !== "object" || input === null) throw invalid("input", "Required value");
      const port = checkedPort(input);
      const protocol: ConnectivityProtocol = input.protocol;
      if (typeof input.from !== "object" || input.from === null) throw invalid("from", "Required value: a pod");
      const view = ownPublicAddresses(ctx, tenantId);
      if ("internet" in input.from) return fromInternet(ctx, view, input, port);
      const srcPod = findPod(tenantId, input.from);
      const src = portOf(srcPod, "from.pod");
      const source = { pod: srcPod.name, namespace: srcPod.namespace, ip: formatIpv4(src.ip) };
      const to = input.to as Record<string, unknown> | undefined;
      if (typeof to !== "object" || to === null) throw invalid("to", "Required value: a pod, a service or an address");

      let destination: FlowDestination;
      let shown: ConnectivityCheckResult["destination"];
      let checkedPortNumber = port;
      if (typeof to.pod === "string") {
        const dstPod = findPod(tenantId, to);
        const dst = portOf(dstPod, "to.pod");
        destination = { kind: "port", port: dst };
        shown = { ip: formatIpv4(dst.ip), pod: dstPod.name, namespace: dstPod.namespace };
      } else if (typeof to.service === "string") {
        const svc = mustFind(state, "Service", tenantId, to.service, to.namespace as string | undefined);
        const service = `${svc.namespace}/${svc.name}`;
        if (protocol === "icmp")
          throw invalid("protocol", 'Invalid value: "icmp": a Service forwards tcp and udp only');
        if (svc.spec.clusterIP === undefined) throw invalid("to.service", `service "${service}" has no ClusterIP`);
        const tables = ctx.serviceNetwork.tables;
        const route = tables.has(tenantId)
          ? tables
              .forTenant(tenantId)
              .lookup(parseIpv4(svc.spec.clusterIP), port, protocol === "tcp" ? "TCP" : "UDP", src.ip, 0)
          : ({ outcome: "no-such-service" } as const);
        if (route.outcome !== "forwarded" && route.outcome !== "no-ready-endpoints") {
          const ports = svc.spec.ports.map((p) => `${p.port}/${p.protocol}`).join(", ") || "none";
          throw invalid("port", `service "${service}" does not expose ${protocol} ${port} (it exposes ${ports})`);
        }
        if (route.outcome !== "forwarded") {
          const reason = {
            code: "no-route",
            cause: "no-ready-endpoints",
            address: svc.spec.clusterIP,
            service,
          } as const;
          const message = `no route: service ${service} (${svc.spec.clusterIP}) has no ready endpoint to forward to`;
          const trace: TraceStep[] = [
            { stage: "anti-spoofing", outcome: "passed", detail: `source is the port's own (${source.ip})` },
            { stage: "route", outcome: "dropped", detail: message },
          ];
          return {
            verdict: "dropped",
            reason,
            message,
            trace,
            source,
            destination: { ip: svc.spec.clusterIP, service },
          };
        }
        destination = { kind: "address", ip: route.ip };
        checkedPortNumber = route.port;
        const endpoint = ctx.securityState.portAt(tenantId, route.ip);
        shown = {
          ip: formatIpv4(route.ip),
          service,
          ...(endpoint ? { pod: endpoint.podName, namespace: endpoint.namespace } : {}),
        };
      } else if (typeof to.address === "string") {
        let ip: Ipv4;
        try {
          ip = parseIpv4(to.address);
        } catch {
          throw invalid("to.address", `Invalid value: ${JSON.stringify(to.address)}: must be an IPv4 address`);
        }
        destination = { kind: "address", ip };
        const holder = ctx.securityState.portAt(tenantId, ip) ?? view.portAtPublicAddress(ip);
        shown = { ip: formatIpv4(ip), ...(holder ? { pod: holder.podName, namespace: holder.namespace } : {}) };
      } else throw invalid("to", "Required value: one of pod, service or address");

      const flow: Flow = { source: claimedSource(src, input.from), destination, protocol, port: checkedPortNumber };
      const trace: TraceStep[] = [];
      const decision = decideFlow(flow, view, ctx.securityState, ctx.clock.now(), trace);
      return decision.verdict === "delivered"
        ? { verdict: "delivered", path: decision.path, trace, source, destination: shown }
        : { verdict: "dropped", reason: decision.reason, message: decision.message, trace, source, destination: shown };
    },
  };
}

/**
 * The network as one tenant's check may see it: another tenant's public address is the internet
 * (its pods, groups and policies are none of the caller's business), the caller's own reach its pods.
 */
function ownPublicAddresses(ctx: Ctx, tenantId: string): SecurityNetworkView {
  const s = ctx.securityState;
  return {
    vpcContains: (t, ip) => s.vpcContains(t, ip),
    portAt: (t, ip) => s.portAt(t, ip),
    namespaceLabels: (t, ns) => s.namespaceLabels(t, ns),
    internetAddressOf: (p) => s.internetAddressOf(p),
    portAtPublicAddress: (ip) => {
      const p = s.portAtPublicAddress(ip);
      return p?.tenantId === tenantId ? p : undefined;
    },
  };
}

/** A first packet from an internet host to one of the tenant's public addresses. */
function fromInternet(
  ctx: Ctx,
  view: SecurityNetworkView,
  input: ConnectivityCheckInput,
  port: number,
): ConnectivityCheckResult {
  const from = input.from as InternetSourceRef;
  let srcIp = parseIpv4(INTERNET_HOST);
  if (from.address !== undefined) {
    try {
      srcIp = parseIpv4(from.address);
    } catch {
      throw invalid("from.address", `Invalid value: ${JSON.stringify(from.address)}: must be an IPv4 address`);
    }
    if (!isPublicAddress(srcIp))
      throw invalid("from.address", `Invalid value: ${JSON.stringify(from.address)}: must be a public address`);
  }
  const to = input.to as Record<string, unknown> | undefined;
  if (typeof to !== "object" || to === null || typeof to.address !== "string")
    throw invalid("to.address", "Required value: from the internet, a public address of the tenant");
  let ip: Ipv4;
  try {
    ip = parseIpv4(to.address);
  } catch {
    throw invalid("to.address", `Invalid value: ${JSON.stringify(to.address)}: must be an IPv4 address`);
  }
  const flow: Flow = {
    source: { kind: "internet", ip: srcIp },
    destination: { kind: "address", ip },
    protocol: input.protocol,
    port,
  };
  const trace: TraceStep[] = [];
  const decision = decideFlow(flow, view, ctx.securityState, ctx.clock.now(), trace);
  const holder = view.portAtPublicAddress(ip);
  const source = { pod: "", namespace: "", ip: formatIpv4(srcIp), internet: true as const };
  const destination = { ip: formatIpv4(ip), ...(holder ? { pod: holder.podName, namespace: holder.namespace } : {}) };
  return decision.verdict === "delivered"
    ? { verdict: "delivered", path: decision.path, trace, source, destination }
    : { verdict: "dropped", reason: decision.reason, message: decision.message, trace, source, destination };
}
