/**
 * One tenant's NetworkPolicies compiled for per-flow decisions, with upstream semantics:
 * - a policy applies to the pods of its namespace its podSelector selects, for the policy
 *   types in force (effectivePolicyTypes);
 * - a pod no policy applies to in a direction is not isolated in that direction (anything
 *   goes); an isolated pod accepts in that direction only what some rule of some policy
 *   applying to it allows (policies add up, none denies);
 * - a rule allows a flow when one of its peers matches the remote (or it has none) and one of
 *   its ports matches (or it has none). Peers: podSelector alone = pods of the policy's
 *   namespace; namespaceSelector alone = every pod of the selected namespaces; both = the
 *   selected pods of the selected namespaces; ipBlock = the remote's address in cidr and in no
 *   except. ipBlock is matched against the remote's address whatever it is (a pod's too, as
 *   Calico does); selectors match only pods of the tenant reached by their private address.
 * - ports: protocol (default TCP) and number, port..endPort, or a named port of the
 *   destination pod (the selected pod on ingress, the remote pod on egress) with that protocol.
 *   ICMP matches only rules without ports.
 * Only the tenant's own policies and pods take part: there is no traffic between tenants.
 */
import { type LabelMatcher, type Labels, labelSelectorObjectMatcher } from "../../kinds/label-selector";
import { maskOf, parseCidr } from "../ipv4";
import {
  effectivePolicyTypes,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
} from "./network-policy-types";
import type { Direction, FlowProtocol, PortIdentity } from "./types";

/** Namespace labels as a namespaceSelector sees them (including `kubernetes.io/metadata.name`). */
export interface NamespaceLabelSource {
  namespaceLabels(tenantId: string, namespace: string): Labels | undefined;
}

export const POLICY_NOT_ISOLATED = 0;
export const POLICY_ALLOWED = 1;
export const POLICY_DENIED = 2;
export type PolicyVerdict = typeof POLICY_NOT_ISOLATED | typeof POLICY_ALLOWED | typeof POLICY_DENIED;

interface CompiledPeer {
  readonly block?: { base: number; mask: number; except: readonly { base: number; mask: number }[] };
  readonly pods?: LabelMatcher;
  /** undefined: the policy's own namespace only. */
  readonly namespaces?: LabelMatcher;
}
interface CompiledPort {
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly named?: string;
}
interface CompiledRule {
  readonly peers?: readonly CompiledPeer[];
  readonly ports?: readonly CompiledPort[];
}
interface CompiledPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly selects: LabelMatcher;
  readonly ingress?: readonly CompiledRule[];
  readonly egress?: readonly CompiledRule[];
}

const block = (text: string) => {
  const c = parseCidr(text);
  return { base: c.base | 0, mask: maskOf(c.prefix) | 0 };
};

function compilePeer(p: NetworkPolicyPeer): CompiledPeer {
  if (p.ipBlock !== undefined)
    return { block: { ...block(p.ipBlock.cidr), except: (p.ipBlock.except ?? []).map(block) } };
  return {
    ...(p.podSelector !== undefined ? { pods: labelSelectorObjectMatcher(p.podSelector) } : {}),
    ...(p.namespaceSelector !== undefined ? { namespaces: labelSelectorObjectMatcher(p.namespaceSelector) } : {}),
  };
}

function compilePort(p: NetworkPolicyPort): CompiledPort {
  const protocol = (p.protocol ?? "TCP").toLowerCase();
  if (typeof p.port === "string") return { protocol, from: 0, to: 0, named: p.port };
  if (p.port === undefined) return { protocol, from: 0, to: 65535 };
  return { protocol, from: p.port, to: p.endPort ?? p.port };
}

const compileRules = (
  rules: readonly { peers?: readonly NetworkPolicyPeer[]; ports?: readonly NetworkPolicyPort[] }[],
) =>
  rules.map(
    (r): CompiledRule => ({
      ...(r.peers !== undefined && r.peers.length > 0 ? { peers: r.peers.map(compilePeer) } : {}),
      ...(r.ports !== undefined && r.ports.length > 0 ? { ports: r.ports.map(compilePort) } : {}),
    }),
  );

function compilePolicy(policy: NetworkPolicy): CompiledPolicy {
  const types = effectivePolicyTypes(policy.spec);
  return {
    name: policy.name,
    namespace: policy.namespace,
    selects: labelSelectorObjectMatcher(policy.spec.podSelector),
    ...(types.includes("Ingress")
      ? { ingress: compileRules((policy.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }))) }
      : {}),
    ...(types.includes("Egress")
      ? { egress: compileRules((policy.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }))) }
      : {}),
  };
}

export class NetworkPolicySet {
  private readonly byNamespace = new Map<string, CompiledPolicy[]>();

  /** `policies`: one tenant's valid policies. */
  constructor(policies: readonly NetworkPolicy[] = []) {
    const sorted = [...policies].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const p of sorted) {
      let list = this.byNamespace.get(p.namespace);
      if (list === undefined) {
        list = [];
        this.byNamespace.set(p.namespace, list);
      }
      list.push(compilePolicy(p));
    }
  }

  /**
   * Whether `pod` may send to (egress) or receive from (ingress) the remote end: `peerIp`, and
   * `peerPod` when it is a pod of the tenant reached by its private address.
   */
  evaluate(
    direction: Direction,
    pod: PortIdentity,
    peerIp: number,
    peerPod: PortIdentity | undefined,
    protocol: FlowProtocol,
    port: number,
    namespaces: NamespaceLabelSource,
  ): PolicyVerdict {
    const i = this.scan(direction, pod, peerIp, peerPod, protocol, port, namespaces);
    return i === -2 ? POLICY_NOT_ISOLATED : i === -1 ? POLICY_DENIED : POLICY_ALLOWED;
  }

  /** The name of the first policy (by name) that allows the flow, for a check's trace. */
  allowingPolicy(
    direction: Direction,
    pod: PortIdentity,
    peerIp: number,
    peerPod: PortIdentity | undefined,
    protocol: FlowProtocol,
    port: number,
    namespaces: NamespaceLabelSource,
  ): string | undefined {
    const i = this.scan(direction, pod, peerIp, peerPod, protocol, port, namespaces);
    return i < 0 ? undefined : this.byNamespace.get(pod.namespace)?.[i]?.name;
  }

  /** The policies isolating `pod` in `direction` (by name): what a drop reason lists. */
  policiesSelecting(direction: Direction, pod: PortIdentity): string[] {
    return (this.byNamespace.get(pod.namespace) ?? [])
      .filter((p) => (direction === "ingress" ? p.ingress : p.egress) !== undefined && p.selects(pod.labels))
      .map((p) => p.name);
  }

  /** -2 not isolated, -1 denied, else the index of the first allowing policy in the namespace's list. */
  private scan(
    direction: Direction,
    pod: PortIdentity,
    peerIp: number,
    peerPod: PortIdentity | undefined,
    protocol: FlowProtocol,
    port: number,
    namespaces: NamespaceLabelSource,
  ): number {
    const list = this.byNamespace.get(pod.namespace);
    if (list === undefined) return -2;
    const destination = direction === "ingress" ? pod : peerPod;
    let isolated = false;
    for (let i = 0; i < list.length; i++) {
      const policy = list[i] as CompiledPolicy;
      const rules = direction === "ingress" ? policy.ingress : policy.egress;
      if (rules === undefined || !policy.selects(pod.labels)) continue;
      isolated = true;
      for (const rule of rules)
        if (
          portsMatch(rule.ports, protocol, port, destination) &&
          peersMatch(rule.peers, policy.namespace, peerIp, peerPod, pod.tenantId, namespaces)
        )
          return i;
    }
    return isolated ? -1 : -2;
  }
}

function portsMatch(
  ports: readonly CompiledPort[] | undefined,
  protocol: FlowProtocol,
  port: number,
  destination: PortIdentity | undefined,
): boolean {
  if (ports === undefined) return true;
  for (const p of ports) {
    if (p.protocol !== protocol) continue;
    if (p.named === undefined) {
      if (port >= p.from && port <= p.to) return true;
    } else if (destination?.containerPorts !== undefined) {
      for (const c of destination.containerPorts)
        if (c.name === p.named && c.containerPort === port && c.protocol.toLowerCase() === protocol) return true;
    }
  }
  return false;
}

function peersMatch(
  peers: readonly CompiledPeer[] | undefined,
  policyNamespace: string,
  peerIp: number,
  peerPod: PortIdentity | undefined,
  tenantId: string,
  namespaces: NamespaceLabelSource,
): boolean {
  if (peers === undefined) return true;
  for (const peer of peers) {
    const b = peer.block;
    if (b !== undefined) {
      if ((peerIp & b.mask) !== b.base) continue;
      let excepted = false;
      for (const e of b.except) if ((peerIp & e.mask) === e.base) excepted = true;
      if (!excepted) return true;
      continue;
    }
    if (peerPod === undefined) continue;
    if (peer.namespaces === undefined) {
      if (peerPod.namespace !== policyNamespace) continue;
    } else if (!peer.namespaces(namespaces.namespaceLabels(tenantId, peerPod.namespace))) continue;
    if (peer.pods === undefined || peer.pods(peerPod.labels)) return true;
  }
  return false;
}
