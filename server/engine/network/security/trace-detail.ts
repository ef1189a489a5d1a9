/**
 * The sentences a connectivity check shows for filters a flow passed (drops are described by
 * describeDrop). Only built when a trace is asked for.
 */
import type { Ipv4 } from "../ipv4";
import { type SecurityGroupMatcher, SAME_GROUP_ALLOWED } from "./group-matcher";
import type { NetworkPolicySet } from "./network-policy";
import type { SecurityNetworkView } from "./network-view";
import { describeRule } from "./security-group";
import type { Direction, FlowProtocol, PortIdentity } from "./types";

export function groupPassDetail(
  matcher: SecurityGroupMatcher,
  direction: Direction,
  code: number,
  remotePod: PortIdentity | undefined,
): string {
  if (code === SAME_GROUP_ALLOWED) {
    const shared = matcher.groupNames.filter((g) => remotePod?.groups.includes(g));
    return `allowed: both pods are in group ${shared.join(", ")}, which allows same-group traffic`;
  }
  const m = matcher.ruleAt(direction, code);
  return m
    ? `allowed by ${direction} rule ${m.ruleIndex} of group ${m.group} (${describeRule(m.rule, direction)})`
    : "allowed";
}

export function policyPassDetail(
  set: NetworkPolicySet | undefined,
  direction: Direction,
  pod: PortIdentity,
  remoteIp: Ipv4,
  remotePod: PortIdentity | undefined,
  protocol: FlowProtocol,
  port: number,
  view: SecurityNetworkView,
): string {
  const by = set?.allowingPolicy(direction, pod, remoteIp, remotePod, protocol, port, view);
  return by === undefined
    ? `pod ${pod.namespace}/${pod.podName} is not isolated for ${direction} (no NetworkPolicy selects it)`
    : `allowed by NetworkPolicy ${by}`;
}
