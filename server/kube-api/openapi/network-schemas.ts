/**
 * Schemas of the engine's own network kinds in cloud.tenant.io/v1: SecurityGroup, PortBan and the
 * create-only ConnectivityCheck, written from their TypeScript shapes (network/security/
 * security-group.ts, blocklist.ts, flow.ts, drop-reason.ts) in the upstream style; each field
 * table is typed by the shape it describes (`Fields<T>`, the drift guard of engine-schema-builders.ts).
 */
import type { BlocklistEntry } from "../../engine/network/security/blocklist";
import { DROP_CODES } from "../../engine/network/security/drop-reason";
import { CHECK_STAGES, type TraceStep } from "../../engine/network/security/flow";
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_PORT,
  MAX_RULE_PRIORITY,
  MIN_PORT,
  MIN_RULE_PRIORITY,
} from "../../engine/network/security/limits";
import type { SecurityGroup, SecurityGroupRule } from "../../engine/network/security/security-group";
import {
  bool,
  ENGINE_GROUP_PREFIX,
  type Fields,
  int,
  kind,
  list,
  ref,
  selector,
  str,
  strings,
} from "./engine-schema-builders";
import type { Schema } from "./schema-types";

const E = ENGINE_GROUP_PREFIX;
const port = (what: string) => int(`${what}, ${MIN_PORT}..${MAX_PORT} inclusive.`);

// The spec of a group is the stored group without its name (metadata.name).
type SecurityGroupSpec = Omit<SecurityGroup, "name">;

const RULE: Fields<SecurityGroupRule> = {
  protocol: str('The protocol the rule matches; "all" matches tcp, udp and icmp.', ["tcp", "udp", "icmp", "all"]),
  portRangeMin: port("First destination port matched (tcp and udp only; with portRangeMax; absent: every port)"),
  portRangeMax: port("Last destination port matched (tcp and udp only; with portRangeMin)"),
  remoteAddress: str('The other end as a CIDR ("10.0.0.0/16") or one address (a /32). Exactly one remote is given.'),
  remoteSecurityGroup: str("The other end as another security group of this tenant: its members' private addresses."),
  action: str("What a matching packet gets.", ["allow", "deny"]),
  priority: int(
    `${MIN_RULE_PRIORITY}..${MAX_RULE_PRIORITY}; lower is decided first, and a deny before an allow at equal priority.`,
  ),
  description: str(`Why the rule exists (at most ${MAX_DESCRIPTION_LENGTH} characters).`),
};

const SECURITY_GROUP_SPEC: Fields<SecurityGroupSpec> = {
  ingressRules: {
    type: "array",
    description: "Rules for traffic into the group's pods. Nothing matched is denied.",
    items: { $ref: `#/definitions/${E}.SecurityGroupRule` },
  },
  egressRules: {
    type: "array",
    description:
      "Rules for traffic out of the group's pods. Not given: one rule allowing everything out (AWS's default); [] denies all egress.",
    items: { $ref: `#/definitions/${E}.SecurityGroupRule` },
  },
  allowSameGroupTraffic: bool(
    "Allow traffic between the group's members, ranked after every explicit rule. Defaults to false.",
  ),
  podSelector: selector("The pods the group applies to (in spec.namespaces when given, else every namespace)."),
  namespaces: strings("Narrows spec.podSelector to these namespaces."),
  defaultForNamespaces: strings("The group applies to every pod of these namespaces that no selector group selects."),
};

type PortBanSpec = Omit<BlocklistEntry, "id">;
const PORT_BAN_SPEC: Fields<PortBanSpec> = {
  protocol: str("The protocol banned.", ["tcp", "udp"]),
  portRangeMin: port("First destination port banned"),
  portRangeMax: port("Last destination port banned"),
  scope: str('Where the ban holds: "all" (every flow, the default) or "public" (only flows to or from the internet).', [
    "all",
    "public",
  ]),
  reason: str("Why; shown to tenants whose traffic the ban drops."),
};

const TRACE_STEP: Fields<TraceStep> = {
  stage: str("The filter, in the order a flow meets them.", CHECK_STAGES),
  outcome: str("What that filter did with the flow.", ["passed", "dropped", "not-applicable"]),
  detail: str("What the filter saw, in words."),
};

const endpoint = (what: string): Schema => ({
  type: "object",
  description: `${what}: exactly one of pod, service (destination only) or address (destination only).`,
  properties: {
    pod: str("A pod's name."),
    service: str("A Service's name (destination only): checked to one of its ready endpoints."),
    address: str("An IPv4 address (destination only): of the tenant's network, or a public one."),
    namespace: str("The pod's or service's namespace; defaults to the request's namespace."),
  },
});

export const NETWORK_DEFINITIONS: Record<string, Schema> = {
  [`${E}.SecurityGroup`]: kind(
    "SecurityGroup",
    "SecurityGroup filters the traffic of the tenant's pods it applies to, by allow and deny rules with priorities.",
    {
      spec: ref("SecurityGroupSpec", "The group's rules and the pods it applies to."),
      status: ref("SecurityGroupStatus", "What the group applies to now."),
    },
  ),
  [`${E}.SecurityGroupSpec`]: {
    description: "SecurityGroupSpec holds a group's rules and attachment.",
    type: "object",
    properties: { ...SECURITY_GROUP_SPEC },
  },
  [`${E}.SecurityGroupRule`]: {
    description: "SecurityGroupRule matches packets by protocol, destination ports and the other end.",
    type: "object",
    required: ["protocol", "action", "priority"],
    properties: { ...RULE },
  },
  [`${E}.SecurityGroupStatus`]: {
    description: "SecurityGroupStatus is observed, never written.",
    type: "object",
    properties: { attachedPods: int("How many pods the group applies to.") },
  },
  [`${E}.SecurityGroupList`]: list("SecurityGroupList", "SecurityGroup"),
  [`${E}.PortBan`]: kind(
    "PortBan",
    "PortBan is one entry of the operator's cluster-wide blocklist: destination ports no tenant rule can open.",
    { spec: ref("PortBanSpec", "What is banned, where and why.") },
  ),
  [`${E}.PortBanSpec`]: {
    description: "PortBanSpec bans a range of TCP or UDP destination ports.",
    type: "object",
    required: ["protocol", "portRangeMin", "portRangeMax", "reason"],
    properties: { ...PORT_BAN_SPEC },
  },
  [`${E}.PortBanList`]: list("PortBanList", "PortBan"),
  [`${E}.ConnectivityCheck`]: kind(
    "ConnectivityCheck",
    "ConnectivityCheck asks whether a flow would be delivered, and why not. Create-only: the answer is in status.",
    {
      spec: ref("ConnectivityCheckSpec", "The flow to check."),
      status: ref("ConnectivityCheckStatus", "The answer, filled in by the server."),
    },
    ["spec"],
  ),
  [`${E}.ConnectivityCheckSpec`]: {
    description: "ConnectivityCheckSpec is one flow: from a pod of the tenant to a pod, a service or an address.",
    type: "object",
    required: ["from", "to", "protocol"],
    properties: {
      from: endpoint("The source"),
      to: endpoint("The destination"),
      protocol: str("The flow's protocol.", ["tcp", "udp", "icmp"]),
      port: port("The destination port (tcp and udp)"),
    },
  },
  [`${E}.ConnectivityCheckStatus`]: {
    description: "ConnectivityCheckStatus is the decision, with every filter's outcome.",
    type: "object",
    properties: {
      verdict: str("Whether the flow would be delivered.", ["delivered", "dropped"]),
      path: str("For a delivered flow: inside the tenant's network, or across the public network.", [
        "private",
        "public",
      ]),
      reason: {
        type: "object",
        description: "For a dropped flow: why, as data (code names the filter; the other fields depend on it).",
        properties: { code: str("The filter that dropped the flow.", DROP_CODES) },
        "x-kubernetes-preserve-unknown-fields": true,
      },
      message: str("For a dropped flow: why, in words."),
      trace: {
        type: "array",
        description: "Each filter on the path, in order.",
        items: { $ref: `#/definitions/${E}.ConnectivityCheckTraceStep` },
      },
      source: {
        type: "object",
        description: "The source pod as resolved.",
        properties: { pod: str("Its name."), namespace: str("Its namespace."), ip: str("Its private address.") },
      },
      destination: {
        type: "object",
        description: "The destination as resolved (a service resolved to the endpoint checked).",
        properties: {
          ip: str("The address checked."),
          pod: str("The pod holding it, if any."),
          namespace: str("That pod's or service's namespace."),
          service: str("The service asked for, if any."),
        },
      },
    },
  },
  [`${E}.ConnectivityCheckTraceStep`]: {
    description: "One filter's outcome.",
    type: "object",
    required: ["stage", "outcome", "detail"],
    properties: { ...TRACE_STEP },
  },
};
