/**
 * NetworkPolicy validation with upstream's rules and words (pkg/apis/networking/validation):
 * a peer is an ipBlock or selectors, never both, never neither; except blocks lie strictly
 * inside the cidr; ports are 1..65535 or IANA service names; endPort needs a numeric port and
 * is not below it; policyTypes are Ingress and/or Egress.
 */
import { labelSelectorRequirements, type LabelSelector } from "../../kinds/label-selector";
import { AddressError, type Cidr, cidrWithin, parseCidr } from "../ipv4";
import { dnsLabelProblem, forbiddenValue, invalidObjectError, invalidValue, requiredValue, tooMany } from "./problems";
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from "./network-policy-types";
import type { FieldProblem } from "./types";

export const NETWORK_POLICY_KIND = "NetworkPolicy.networking.k8s.io";

function selectorProblems(sel: LabelSelector | undefined, at: string): FieldProblem[] {
  if (sel === undefined) return [];
  try {
    labelSelectorRequirements(sel, at);
    return [];
  } catch (e) {
    return [{ field: at, message: (e as Error).message }];
  }
}

function cidrOrProblem(text: string, at: string, out: FieldProblem[]): Cidr | undefined {
  try {
    return parseCidr(text);
  } catch (e) {
    if (!(e instanceof AddressError)) throw e;
    out.push(invalidValue(at, text, e.message));
    return undefined;
  }
}

function peerProblems(peer: NetworkPolicyPeer, at: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const selectors = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  if (peer.ipBlock !== undefined && selectors) out.push(forbiddenValue(at, "may not specify more than 1 peer type"));
  if (peer.ipBlock === undefined && !selectors) out.push(requiredValue(at, "must specify a peer"));
  out.push(...selectorProblems(peer.podSelector, `${at}.podSelector`));
  out.push(...selectorProblems(peer.namespaceSelector, `${at}.namespaceSelector`));
  if (peer.ipBlock !== undefined) {
    const cidr = cidrOrProblem(peer.ipBlock.cidr, `${at}.ipBlock.cidr`, out);
    (peer.ipBlock.except ?? []).forEach((text, i) => {
      const field = `${at}.ipBlock.except[${i}]`;
      const except = cidrOrProblem(text, field, out);
      if (cidr && except && !(cidrWithin(except, cidr) && except.prefix > cidr.prefix))
        out.push(invalidValue(field, text, "must be a strict subset of `cidr`"));
    });
  }
  return out;
}

const IANA_SVC_NAME = /^[-a-z0-9]+$/;

function portProblems(p: NetworkPolicyPort, at: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (p.protocol !== undefined && !["TCP", "UDP", "SCTP"].includes(p.protocol))
    out.push({
      field: `${at}.protocol`,
      message: `${at}.protocol: Unsupported value: "${p.protocol}": supported values: "SCTP", "TCP", "UDP"`,
    });
  if (typeof p.port === "number") {
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535)
      out.push(invalidValue(`${at}.port`, p.port, "must be between 1 and 65535, inclusive"));
  } else if (typeof p.port === "string") {
    const s = p.port;
    if (
      s.length > 15 ||
      !IANA_SVC_NAME.test(s) ||
      s.includes("--") ||
      !/[a-z]/.test(s) ||
      s.startsWith("-") ||
      s.endsWith("-")
    )
      out.push(
        invalidValue(
          `${at}.port`,
          s,
          "must be no more than 15 characters, lowercase letters, digits and single hyphens inside, with at least one letter",
        ),
      );
  }
  if (p.endPort !== undefined) {
    if (p.port === undefined)
      out.push(requiredValue(`${at}.endPort`, "may not be specified when `port` is not specified"));
    else if (typeof p.port === "string")
      out.push(invalidValue(`${at}.endPort`, p.endPort, "may not be specified when `port` is non-numeric"));
    else if (!Number.isInteger(p.endPort) || p.endPort > 65535)
      out.push(invalidValue(`${at}.endPort`, p.endPort, "must be between 1 and 65535, inclusive"));
    else if (p.endPort < p.port)
      out.push(invalidValue(`${at}.endPort`, p.endPort, "must be greater than or equal to `port`"));
  }
  return out;
}

/** Every problem of `policy`, [] when valid. */
export function networkPolicyProblems(policy: NetworkPolicy): FieldProblem[] {
  const out: FieldProblem[] = [];
  const np = dnsLabelProblem(policy.name);
  if (np) out.push(invalidValue("metadata.name", policy.name, np));
  const { spec } = policy;
  out.push(...selectorProblems(spec.podSelector, "spec.podSelector"));
  const types = spec.policyTypes ?? [];
  if (types.length > 2) out.push(tooMany("spec.policyTypes", types.length, 2));
  types.forEach((t, i) => {
    if (t !== "Ingress" && t !== "Egress")
      out.push({
        field: `spec.policyTypes[${i}]`,
        message: `spec.policyTypes[${i}]: Unsupported value: "${t}": supported values: "Egress", "Ingress"`,
      });
  });
  (spec.ingress ?? []).forEach((rule, i) => {
    (rule.from ?? []).forEach((peer, j) => {
      out.push(...peerProblems(peer, `spec.ingress[${i}].from[${j}]`));
    });
    (rule.ports ?? []).forEach((port, j) => {
      out.push(...portProblems(port, `spec.ingress[${i}].ports[${j}]`));
    });
  });
  (spec.egress ?? []).forEach((rule, i) => {
    (rule.to ?? []).forEach((peer, j) => {
      out.push(...peerProblems(peer, `spec.egress[${i}].to[${j}]`));
    });
    (rule.ports ?? []).forEach((port, j) => {
      out.push(...portProblems(port, `spec.egress[${i}].ports[${j}]`));
    });
  });
  return out;
}

export function assertValidNetworkPolicy(policy: NetworkPolicy): NetworkPolicy {
  const problems = networkPolicyProblems(policy);
  if (problems.length > 0) throw invalidObjectError(NETWORK_POLICY_KIND, policy.name, problems);
  return policy;
}
