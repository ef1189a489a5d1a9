/**
 * The simulated data plane for one interval: every flow the running containers send
 * (SIM_TRAFFIC, flow-spec.ts) is delivered or dropped by the real tables, then shaped on the
 * NICs, and each pod's achieved traffic and drops by reason come out (traffic-report.ts).
 *
 * Per interval, for the whole cluster at once (a flow's two ends may be on different nodes):
 *  1. resolve: `svc/<name>` by the tenant's DNS, `pod/<name>` to its address; a service
 *     address (ClusterIP) is forwarded to the endpoint the tenant's table picks. A name that
 *     does not resolve, a service without a ready endpoint or port, or a pod without an address
 *     is dropped as `no-route`;
 *  2. decide: decideFlow against the network's tables (anti-spoofing, route, blocklist, egress
 *     groups and policy, DDoS blackhole, ingress policy and groups). A drop is counted at the
 *     pod whose filter dropped it: ingress-side reasons (ingress groups, ingress policy) at the
 *     destination pod, every other at the source;
 *  3. transmit: each node's NIC egress is shared among its pods' delivered flows (NicShare:
 *     PPS cap, HTB guarantee and maximum from the pod's annotations, MPU, host budget); every
 *     flow of a pod keeps the same fraction of its packets;
 *  4. receive: what left the sources arrives at the destination pods, and each node's NIC
 *     ingress is shared the same way. Traffic to the internet ends at the source's NIC.
 * Across the public network a pod's traffic goes through its public IP's NIC (public-ip-traffic.ts):
 * capped at the bandwidth bought before step 3 (sending) and before step 4 (receiving). Traffic to
 * a black-holed public address leaves its source and dies at the edge (counted at the pod holding
 * the address, `blackholed`); each bound public IP gets a report (`publicIpReports`).
 * Last, each flow's admitting security group rules (decideFlow's AdmittedBy) are credited with
 * what got through: the egress rule at the source after step 3, the ingress rule at the
 * destination after step 4 (the report's `ruleHits`).
 * A fluid model of steady rates: a drop on receive does not slow the sender (no congestion
 * control); a flow dropped at the source uses no bandwidth, one dropped by the destination's
 * filter was sent (it uses the source's egress). Cost: O(flows + pods) per interval
 * plus one NicShare solve per node and direction; nothing is kept between intervals.
 */
import { MAX_PODS_PER_NODE } from "../../kinds/types";
import { PROTOCOL_CODE } from "../../network/forwarding/service";
import type { BackendSlot } from "../../network/forwarding/tenant-table";
import { type Ipv4, parseIpv4 } from "../../network/ipv4";
import type { NicCapacity } from "../../network/qos/nic-capacity";
import { NicShare } from "../../network/qos/nic-share";
import { decideFlow } from "../../network/security/decide-flow";
import type { DropReason } from "../../network/security/drop-reason";
import type { AdmittedBy } from "../../network/security/flow";
import { type FlowSpec, INTERNET_HOST } from "./flow-spec";
import { shapeNode } from "./nic-shaping";
import {
  type FlowState,
  type PodState,
  PodReports,
  pushIncoming,
  pushOut,
  recordRuleHits,
  type TrafficPodInput,
} from "./pod-state";
import type { TrafficNetwork } from "./traffic-network";
import { PublicIpTraffic } from "./public-ip-traffic";
import type { ContainerTraffic, PodTrafficReport, PublicIpTrafficReport } from "./traffic-report";

export type { TrafficPodInput } from "./pod-state";

/** tenant → namespace → name → pod, and tenant → address → pod, for one step. */
type NameIndex = Map<string, Map<string, Map<string, PodState>>>;
type AddressIndex = Map<string, Map<Ipv4, PodState>>;

const INTERNET_IP = parseIpv4(INTERNET_HOST);
/** The source port a flow's 5-tuple hashes with (one fixed ephemeral port per flow index). */
const EPHEMERAL_PORT_BASE = 40_000;
const NOT_AN_ADDRESS = -1;

const isIngressSide = (r: DropReason) =>
  r.code === "ingress-denied" || (r.code === "network-policy" && r.direction === "ingress");

export class TrafficModel {
  private readonly share = new NicShare(MAX_PODS_PER_NODE);
  private readonly slot: BackendSlot = { ip: 0, port: 0 };
  /** decideFlow's out-parameter, reused for every flow. */
  private readonly admitted: AdmittedBy = { egress: undefined, ingress: undefined };
  /** Pod addresses parsed once (pods keep theirs for life; a few stale entries cost nothing). */
  private readonly addresses = new Map<string, Ipv4>();
  private readonly reports = new PodReports();
  private publicIps = new PublicIpTraffic(undefined);
  private lastPublicIpReports: PublicIpTrafficReport[] = [];

  constructor(private readonly network: TrafficNetwork) {}

  /** Every bound public IP's traffic in the last step. */
  publicIpReports(): readonly PublicIpTrafficReport[] {
    return this.lastPublicIpReports;
  }

  /** One interval ending at `now`: a report for every pod given (keyed by pod id). */
  step(now: number, nics: ReadonlyMap<string, NicCapacity>, pods: readonly TrafficPodInput[]) {
    const states: PodState[] = [];
    const byAddress: AddressIndex = new Map();
    const byName: NameIndex = new Map();
    const byNode = new Map<string, PodState[]>();
    this.publicIps = new PublicIpTraffic(this.network.publicIps);
    for (const input of pods) {
      const state = this.stateOf(input, nics.get(input.nodeId));
      if (state === undefined) continue;
      states.push(state);
      let namespaces = byName.get(input.tenantId);
      if (namespaces === undefined) {
        namespaces = new Map();
        byName.set(input.tenantId, namespaces);
      }
      let names = namespaces.get(input.namespace);
      if (names === undefined) {
        names = new Map();
        namespaces.set(input.namespace, names);
      }
      names.set(input.name, state);
      if (state.port) {
        let addresses = byAddress.get(input.tenantId);
        if (addresses === undefined) {
          addresses = new Map();
          byAddress.set(input.tenantId, addresses);
        }
        addresses.set(state.port.ip, state);
      }
      let onNode = byNode.get(input.nodeId);
      if (onNode === undefined) {
        onNode = [];
        byNode.set(input.nodeId, onNode);
      }
      onNode.push(state);
    }
    for (const src of states)
      for (const c of src.input.containers) {
        if (c.flows.length === 0) continue;
        const report = this.reports.reportOf(src);
        const container = report.containers.find((x) => x.name === c.name) as ContainerTraffic;
        for (let i = 0; i < c.flows.length; i++)
          this.decide(now, src, container, c.flows[i] as FlowSpec, i, byName, byAddress);
      }
    this.publicIps.capEgress(this.reports);
    for (const [nodeId, onNode] of byNode) shapeNode(this.share, this.reports, nics.get(nodeId), onNode, "egress");
    this.publicIps.capIngress(this.reports);
    for (const [nodeId, onNode] of byNode) shapeNode(this.share, this.reports, nics.get(nodeId), onNode, "ingress");
    recordRuleHits(this.reports, states);
    const security = this.network.security;
    this.lastPublicIpReports = this.publicIps.reports(now, (ip, at) => security.blackholedUntil(ip, at));
    const reports = new Map<string, PodTrafficReport>();
    for (const s of states) if (s.report !== undefined) reports.set(s.input.id, s.report);
    return reports;
  }

  private addressOf(text: string): Ipv4 {
    let ip = this.addresses.get(text);
    if (ip === undefined) {
      try {
        ip = parseIpv4(text);
      } catch {
        ip = NOT_AN_ADDRESS;
      }
      this.addresses.set(text, ip);
    }
    return ip;
  }

  private stateOf(input: TrafficPodInput, nic: NicCapacity | undefined): PodState {
    const ip = input.podIP === undefined ? NOT_AN_ADDRESS : this.addressOf(input.podIP);
    const port = ip === NOT_AN_ADDRESS ? undefined : this.network.security.portAt(input.tenantId, ip);
    return { input, port, nic, report: undefined, out: undefined, incoming: undefined };
  }

  /** Where a flow goes: the destination address (and port, when a service forwards it), or undefined: no route. */
  private resolve(src: PodState, srcIp: Ipv4, spec: FlowSpec, index: number, byName: NameIndex): Ipv4 | undefined {
    const { tenantId, namespace } = src.input;
    const to = spec.to;
    let ip: Ipv4 | undefined;
    this.slot.port = spec.port;
    if (to.kind === "internet") return INTERNET_IP;
    if (to.kind === "address") ip = to.ip;
    else if (to.kind === "pod")
      ip = byName
        .get(tenantId)
        ?.get(to.namespace ?? namespace)
        ?.get(to.name)?.port?.ip;
    else {
      const query = to.namespace === undefined ? to.name : `${to.name}.${to.namespace}`;
      ip = this.network.services.resolveName(tenantId, query, namespace);
    }
    if (ip === undefined) return undefined;
    // A ClusterIP is forwarded to the endpoint the tenant's table picks; icmp is never forwarded.
    const outcome =
      spec.protocol === "icmp"
        ? "no-such-service"
        : this.network.services.route(
            tenantId,
            ip,
            spec.port,
            spec.protocol === "tcp" ? PROTOCOL_CODE.TCP : PROTOCOL_CODE.UDP,
            srcIp,
            EPHEMERAL_PORT_BASE + index,
            this.slot,
          );
    if (outcome === "forwarded") return this.slot.ip;
    this.slot.port = spec.port;
    return outcome === "no-such-service" && to.kind !== "service" ? ip : undefined;
  }

  private decide(
    now: number,
    src: PodState,
    container: ContainerTraffic,
    spec: FlowSpec,
    index: number,
    byName: NameIndex,
    byAddress: AddressIndex,
  ): void {
    const pps = spec.bitsPerSecond / (spec.packetBytes * 8);
    const port = src.port;
    const ip = port === undefined ? undefined : this.resolve(src, port.ip, spec, index, byName);
    if (port === undefined || ip === undefined) {
      container.txDropsPerSecond += pps;
      this.reports.recordDrop(src, "egress", "no-route", pps, pps * spec.packetBytes);
      return;
    }
    const security = this.network.security;
    const decision = decideFlow(
      {
        source:
          spec.spoofIp === undefined && spec.spoofMac === undefined
            ? { kind: "port", port }
            : { kind: "port", port, claimedIp: spec.spoofIp, claimedMac: spec.spoofMac },
        destination: { kind: "address", ip },
        protocol: spec.protocol,
        port: this.slot.port,
      },
      security,
      security,
      now,
      undefined,
      this.admitted,
    );
    const tenantId = src.input.tenantId;
    const { egress: egressRule, ingress: ingressRule } = this.admitted;
    if (decision.verdict === "delivered") {
      const flow: FlowState = {
        container,
        packetBytes: spec.packetBytes,
        offeredPps: pps,
        sentPps: 0,
        egressRule,
        ingressRule,
      };
      pushOut(src, flow);
      const dst = destinationPod(security, byAddress, tenantId, ip);
      if (dst !== undefined) pushIncoming(dst, flow);
      if (decision.path === "public") this.filePublic(src, port.ip, ip, flow, dst, "delivered");
      return;
    }
    const r = decision.reason;
    const denied = r.code === "egress-denied" || r.code === "ingress-denied" ? r : undefined;
    const group = denied?.group;
    const rule = denied?.ruleIndex;
    // Traffic to a black-holed address leaves its source and dies at the edge, in front of its holder.
    const atEdge = r.code === "blackholed" && r.side === "destination";
    const reached = isIngressSide(r) || atEdge;
    const dst = reached ? destinationPod(security, byAddress, tenantId, ip) : undefined;
    const flow: FlowState = {
      container,
      packetBytes: spec.packetBytes,
      offeredPps: pps,
      sentPps: 0,
      egressRule,
      ingressRule,
    };
    if (reached && !security.vpcContains(tenantId, ip))
      this.filePublic(src, port.ip, ip, flow, undefined, atEdge ? "blackholed" : "refused");
    if (dst === undefined && !atEdge) {
      container.txDropsPerSecond += pps;
      this.reports.recordDrop(src, "egress", r.code, pps, pps * spec.packetBytes, group, rule);
      return;
    }
    // The source sent it (it passed every egress filter); the destination's filter (or the edge) dropped it.
    pushOut(src, flow);
    const at = dst ?? src;
    if (dst) {
      const first = this.reports.reportOf(dst).containers[0];
      if (first) first.rxDropsPerSecond += pps;
    }
    this.reports.recordDrop(at, dst ? "ingress" : "egress", r.code, pps, pps * spec.packetBytes, group, rule);
  }

  /** A flow across the public network, filed under the source's public IP and the destination's. */
  private filePublic(
    src: PodState,
    srcIp: Ipv4,
    dstIp: Ipv4,
    flow: FlowState,
    holder: PodState | undefined,
    outcome: "delivered" | "refused" | "blackholed",
  ): void {
    const out = this.publicIps.sourceBinding(src.input.tenantId, srcIp);
    if (out !== undefined) this.publicIps.sent(out, flow, src);
    const to = this.publicIps.destinationBinding(dstIp);
    if (to === undefined) return;
    if (outcome === "blackholed") this.publicIps.blackholed(to, flow);
    else this.publicIps.offered(to, flow, outcome === "delivered" ? holder : undefined);
  }
}

/** The pod a delivered (or ingress-dropped) flow reaches: by private address, else by public IP. */
function destinationPod(
  security: TrafficNetwork["security"],
  byAddress: AddressIndex,
  tenantId: string,
  ip: Ipv4,
): PodState | undefined {
  if (security.vpcContains(tenantId, ip)) return byAddress.get(tenantId)?.get(ip);
  const p = security.portAtPublicAddress(ip);
  return p === undefined ? undefined : byAddress.get(p.tenantId)?.get(p.ip);
}
