/**
 * The one decision the model (per flow) and the connectivity check (per question) share:
 * delivered, or dropped with the exact reason, from the real tables.
 *
 * Evaluation order, the order a packet meets the filters on its way:
 *   1. anti-spoofing at the source port (L2 MAC, then L3 IP): a forged frame is nobody's
 *      traffic, so nothing else about it is worth judging;
 *   2. route: another tenant's pod, an address no pod holds, a private address outside the
 *      VPC, no way to the internet: there is nowhere to deliver it;
 *   3. the operator's blocklist, before any tenant rule, so no tenant rule can open a ban;
 *   4. the source pod's egress security groups, then 5. its egress NetworkPolicies (both at
 *      the source port: groups are the cloud's layer, policies the cluster's inside it);
 *   6. the DDoS blackhole on a public destination (or on the source's public address, which
 *      no reply could reach): it drops traffic at the edge, before the destination's port, so
 *      reporting the destination's rules instead would send a tenant fixing the wrong thing
 *      (the issue listed it last; it is here because that is where the packet dies);
 *   7. the destination pod's ingress NetworkPolicies, then 8. its ingress security groups.
 * Every filter must allow a flow for it to be delivered, so the verdict does not depend on
 * this order; only which reason is reported does, and it is the first filter on the path.
 *
 * On the public path (a pod's public IP, the internet) the remote end is its public address:
 * remote-group rules and pod selectors match only pods reached by their private address (as
 * AWS group references match only private addresses); CIDR rules and ipBlocks match either.
 * The delivered path allocates nothing; a drop allocates its reason (its sentence is written
 * when read); `trace` (a connectivity check's explanation) is filled only when given, and
 * `admitted` (the rules that let the flow through, what the traffic model counts hits under)
 * likewise.
 */
import { formatIpv4, type Ipv4 } from "../ipv4";
import { isPublicAddress } from "./address-class";
import { checkSourceAddresses, SOURCE_OK, SPOOFED_SOURCE_MAC } from "./anti-spoofing";
import { type DropReason, describeDrop, type NoRouteCause } from "./drop-reason";
import type { AdmittedBy, Flow, FlowDecision, TraceStep } from "./flow";
import type { SecurityGroupMatcher } from "./group-matcher";
import { POLICY_DENIED, POLICY_NOT_ISOLATED } from "./network-policy";
import type { SecurityNetworkView, SecurityTables } from "./network-view";
import type { Direction, PortIdentity } from "./types";
import { groupPassDetail, policyPassDetail } from "./trace-detail";

const DELIVERED_PRIVATE: FlowDecision = Object.freeze({ verdict: "delivered", path: "private" });
const DELIVERED_PUBLIC: FlowDecision = Object.freeze({ verdict: "delivered", path: "public" });

const podRef = (p: PortIdentity) => `${p.namespace}/${p.podName}`;

/** A drop whose sentence is written only when someone reads it (the model counts codes; a check reads it). */
class Dropped {
  readonly verdict = "dropped";
  constructor(readonly reason: DropReason) {}
  get message(): string {
    return describeDrop(this.reason);
  }
  toJSON() {
    return { verdict: this.verdict, reason: this.reason, message: this.message };
  }
}

function dropped(reason: DropReason, trace: TraceStep[] | undefined, stage: TraceStep["stage"]): FlowDecision {
  const d = new Dropped(reason);
  trace?.push({ stage, outcome: "dropped", detail: d.message });
  return d;
}

const noRoute = (cause: NoRouteCause, address: Ipv4, trace: TraceStep[] | undefined, pod?: PortIdentity) =>
  dropped(
    { code: "no-route", cause, address: formatIpv4(address), ...(pod ? { pod: podRef(pod) } : {}) },
    trace,
    "route",
  );

export function decideFlow(
  flow: Flow,
  view: SecurityNetworkView,
  tables: SecurityTables,
  now: number,
  trace?: TraceStep[],
  admitted?: AdmittedBy,
): FlowDecision {
  const { source, destination, protocol } = flow;
  if (admitted !== undefined) {
    admitted.egress = undefined;
    admitted.ingress = undefined;
  }
  const port = protocol === "icmp" ? 0 : flow.port;

  // 1. anti-spoofing
  const srcPort = source.kind === "port" ? source.port : undefined;
  let srcIp: Ipv4;
  if (source.kind === "port") {
    const p = source.port;
    const mac = source.claimedMac ?? p.mac;
    srcIp = source.claimedIp ?? p.ip;
    const check = checkSourceAddresses(p, mac, srcIp);
    if (check !== SOURCE_OK)
      return dropped(
        check === SPOOFED_SOURCE_MAC
          ? { code: "spoofed-source-mac", pod: podRef(p), assignedMac: p.mac, claimedMac: mac }
          : { code: "spoofed-source-ip", pod: podRef(p), assignedIp: formatIpv4(p.ip), claimedIp: formatIpv4(srcIp) },
        trace,
        "anti-spoofing",
      );
    trace?.push({
      stage: "anti-spoofing",
      outcome: "passed",
      detail: `source ${mac} / ${formatIpv4(srcIp)} is the port's own`,
    });
  } else {
    srcIp = source.ip;
    trace?.push({ stage: "anti-spoofing", outcome: "not-applicable", detail: "the flow comes from the internet" });
  }

  // 2. route: the destination port (if a pod), its address as the source addressed it, the path
  let dstPort: PortIdentity | undefined;
  let dstIp: Ipv4;
  let isPublic: boolean;
  if (destination.kind === "port" && srcPort !== undefined) {
    dstPort = destination.port;
    dstIp = dstPort.ip;
    if (dstPort.tenantId !== srcPort.tenantId) return noRoute("different-tenant", dstIp, trace);
    isPublic = false;
  } else {
    dstIp = destination.kind === "address" ? destination.ip : (destination.port.publicIp ?? destination.port.ip);
    if (srcPort !== undefined && view.vpcContains(srcPort.tenantId, dstIp)) {
      dstPort = view.portAt(srcPort.tenantId, dstIp);
      if (dstPort === undefined) return noRoute("no-port-at-address", dstIp, trace);
      isPublic = false;
    } else if (!isPublicAddress(dstIp)) {
      return noRoute(srcPort === undefined ? "no-public-target" : "outside-vpc", dstIp, trace);
    } else {
      dstPort = view.portAtPublicAddress(dstIp);
      if (srcPort === undefined && dstPort === undefined) return noRoute("no-public-target", dstIp, trace);
      isPublic = true;
    }
  }
  // The source address as the destination sees it (a pod's public or NAT address on the public path).
  let seenSrcIp = srcIp;
  if (isPublic && srcPort !== undefined) {
    const out = view.internetAddressOf(srcPort);
    if (out === undefined) return noRoute("no-internet-egress", dstIp, trace, srcPort);
    seenSrcIp = out;
  }
  trace?.push({
    stage: "route",
    outcome: "passed",
    detail: isPublic
      ? `across the public network to ${formatIpv4(dstIp)}${dstPort ? ` (pod ${podRef(dstPort)})` : " (internet)"}, from ${formatIpv4(seenSrcIp)}`
      : `inside the tenant's network to pod ${podRef(dstPort as PortIdentity)} (${formatIpv4(dstIp)})`,
  });

  // 3. operator blocklist
  const banned = tables.blocklist.match(protocol, port, isPublic);
  if (banned >= 0) {
    const e = tables.blocklist.entries[banned];
    return dropped(
      { code: "port-blocked", entryId: e?.id ?? "?", protocol, port, reason: e?.reason ?? "" },
      trace,
      "blocklist",
    );
  }
  trace?.push({ stage: "blocklist", outcome: "passed", detail: "no operator ban on this port" });

  const privatePeerOfSource = isPublic ? undefined : dstPort;
  const privatePeerOfDestination = isPublic ? undefined : srcPort;

  if (srcPort !== undefined) {
    // 4. source egress groups
    const denied = groupStage(
      tables.groupMatcher(srcPort),
      "egress",
      srcPort,
      flow,
      port,
      dstIp,
      privatePeerOfSource,
      trace,
      admitted,
    );
    if (denied !== undefined) return denied;
    // 5. source egress NetworkPolicy
    const deniedByPolicy = policyStage(view, tables, "egress", srcPort, dstIp, privatePeerOfSource, flow, port, trace);
    if (deniedByPolicy !== undefined) return deniedByPolicy;
  } else {
    trace?.push({ stage: "egress-groups", outcome: "not-applicable", detail: "the source is not a pod" });
    trace?.push({ stage: "egress-policy", outcome: "not-applicable", detail: "the source is not a pod" });
  }

  // 6. DDoS blackhole
  if (isPublic) {
    const until = tables.blackholedUntil(dstIp, now);
    if (until !== undefined)
      return dropped({ code: "blackholed", address: formatIpv4(dstIp), side: "destination", until }, trace, "ddos");
    const srcUntil = srcPort !== undefined ? tables.blackholedUntil(seenSrcIp, now) : undefined;
    if (srcUntil !== undefined)
      return dropped(
        { code: "blackholed", address: formatIpv4(seenSrcIp), side: "source", until: srcUntil },
        trace,
        "ddos",
      );
    trace?.push({ stage: "ddos", outcome: "passed", detail: "no blackhole on the public addresses" });
  } else
    trace?.push({ stage: "ddos", outcome: "not-applicable", detail: "the flow stays inside the tenant's network" });

  if (dstPort !== undefined) {
    // 7. destination ingress NetworkPolicy, 8. destination ingress groups
    const deniedByPolicy = policyStage(
      view,
      tables,
      "ingress",
      dstPort,
      seenSrcIp,
      privatePeerOfDestination,
      flow,
      port,
      trace,
    );
    if (deniedByPolicy !== undefined) return deniedByPolicy;
    const denied = groupStage(
      tables.groupMatcher(dstPort),
      "ingress",
      dstPort,
      flow,
      port,
      seenSrcIp,
      privatePeerOfDestination,
      trace,
      admitted,
    );
    if (denied !== undefined) return denied;
  } else {
    trace?.push({ stage: "ingress-policy", outcome: "not-applicable", detail: "the destination is not a pod" });
    trace?.push({ stage: "ingress-groups", outcome: "not-applicable", detail: "the destination is not a pod" });
  }
  return isPublic ? DELIVERED_PUBLIC : DELIVERED_PRIVATE;
}

function groupStage(
  matcher: SecurityGroupMatcher,
  direction: Direction,
  pod: PortIdentity,
  flow: Flow,
  port: number,
  remoteIp: Ipv4,
  remotePod: PortIdentity | undefined,
  trace: TraceStep[] | undefined,
  admitted: AdmittedBy | undefined,
): FlowDecision | undefined {
  const stage = direction === "egress" ? "egress-groups" : "ingress-groups";
  if (!matcher.filters) {
    trace?.push({ stage, outcome: "not-applicable", detail: `pod ${podRef(pod)} has no security groups` });
    return undefined;
  }
  const code = matcher.match(direction, flow.protocol, port, remoteIp, remotePod?.groups);
  if (matcher.allows(direction, code)) {
    if (admitted !== undefined) {
      const by = matcher.admittingRule(direction, code, remotePod?.groups);
      if (direction === "egress") admitted.egress = by;
      else admitted.ingress = by;
    }
    if (trace) trace.push({ stage, outcome: "passed", detail: groupPassDetail(matcher, direction, code, remotePod) });
    return undefined;
  }
  const rule = matcher.ruleAt(direction, code);
  return dropped(
    {
      code: direction === "egress" ? "egress-denied" : "ingress-denied",
      pod: podRef(pod),
      groups: matcher.groupNames,
      ...(rule ? { group: rule.group, ruleIndex: rule.ruleIndex, rule: rule.rule } : {}),
      protocol: flow.protocol,
      port,
      remote: formatIpv4(remoteIp),
    },
    trace,
    stage,
  );
}

function policyStage(
  view: SecurityNetworkView,
  tables: SecurityTables,
  direction: Direction,
  pod: PortIdentity,
  remoteIp: Ipv4,
  remotePod: PortIdentity | undefined,
  flow: Flow,
  port: number,
  trace: TraceStep[] | undefined,
): FlowDecision | undefined {
  const stage = direction === "egress" ? "egress-policy" : "ingress-policy";
  const set = tables.networkPolicies(pod.tenantId);
  const verdict = set?.evaluate(direction, pod, remoteIp, remotePod, flow.protocol, port, view) ?? POLICY_NOT_ISOLATED;
  if (verdict === POLICY_DENIED && set !== undefined)
    return dropped(
      {
        code: "network-policy",
        direction,
        pod: podRef(pod),
        policies: set.policiesSelecting(direction, pod),
        protocol: flow.protocol,
        port,
        remote: formatIpv4(remoteIp),
      },
      trace,
      stage,
    );
  if (trace)
    trace.push({
      stage,
      outcome: "passed",
      detail: policyPassDetail(set, direction, pod, remoteIp, remotePod, flow.protocol, port, view),
    });
  return undefined;
}
