/**
 * Schemas of PublicIP (a tenant's public address, namespaced) and PublicIPPool (the operators'
 * ranges, cluster-scoped) in cloud.tenant.io/v1, written from the kinds' TypeScript shapes
 * (engine/kinds/public-ip.ts, public-ip-pool.ts) with the drift guard of engine-schema-builders.ts:
 * a field the engine adds or drops fails the type check here until the schema says so too.
 */
import {
  DEFAULT_PUBLIC_IP_BANDWIDTH_MBPS,
  MAX_PUBLIC_IP_BANDWIDTH_MBPS,
  type PublicIpDdosStatus,
  type PublicIpSpec,
  type PublicIpStatus,
  type PublicIpTarget,
} from "../../engine/kinds/public-ip";
import type { PublicIpPoolSpec, PublicIpPoolUsage, PublicIpRangeUsage } from "../../engine/kinds/public-ip-pool";
import {
  bool,
  ENGINE_GROUP_PREFIX,
  type Fields,
  int,
  kind,
  list,
  ref,
  str,
  strings,
  time,
} from "./engine-schema-builders";
import type { Schema } from "./schema-types";

const E = ENGINE_GROUP_PREFIX;

const TARGET: Fields<PublicIpTarget> = {
  kind: str("What holds the address: a Pod (its public NIC) or a Service of type LoadBalancer.", ["Pod", "Service"]),
  name: str("The pod's or service's name, in the PublicIP's namespace."),
};

const SPEC: Fields<PublicIpSpec> = {
  bandwidthMbps: int(
    `Bandwidth bought, Mbit/s, 1..${MAX_PUBLIC_IP_BANDWIDTH_MBPS} (default ${DEFAULT_PUBLIC_IP_BANDWIDTH_MBPS}): ` +
      "caps the address's traffic both ways; billed per Mbit/s-hour.",
  ),
  target: ref(
    "PublicIPTarget",
    "What the address is bound to; absent: allocated, not bound. A target not there yet leaves it Pending.",
  ),
  sticky: bool(
    "A Pod binding follows the pod's replacement when a move or a drain recreates it. " +
      "Defaults to false: the binding ends and the address stays allocated.",
  ),
};

// On the wire the DDoS times are RFC 3339 (metav1.Time), not the engine's epoch milliseconds.
const DDOS: Fields<PublicIpDdosStatus> = {
  protectionDisabled: bool("Set by an operator: the address is never black-holed."),
  blackholedUntil: time("Present while the address is black-holed after a flood: traffic to it is dropped until then."),
  lastBlackholeAt: time("When the last blackhole began (kept after it ends)."),
};

const STATUS: Fields<PublicIpStatus> = {
  address: str("The public IPv4 address from the operators' pool, fixed for the object's life."),
  pool: str("The PublicIPPool the address came from."),
  phase: str(
    "Allocated: not bound. Bound: its target holds it now. Pending: a target is named but cannot hold it yet.",
    ["Allocated", "Bound", "Pending"],
  ),
  boundPod: str("The pod holding the address now (Pod targets; after a sticky follow-up, the replacement)."),
  ddos: ref("PublicIPDDoSStatus", "The address's DDoS protection."),
};

const POOL_SPEC: Fields<PublicIpPoolSpec> = {
  cidrs: strings("IPv4 ranges (prefix /16 to /30), none overlapping another pool's."),
};

const counts = {
  usable: int("Addresses that can be allocated (network and broadcast addresses excluded)."),
  used: int("Addresses allocated to public IPs."),
  onHold: int("Addresses released recently, held before reuse."),
  free: int("Addresses allocatable now."),
};
const RANGE_USAGE: Fields<PublicIpRangeUsage> = { cidr: str("The range."), ...counts };
const POOL_USAGE: Fields<PublicIpPoolUsage> = {
  ...counts,
  ranges: {
    type: "array",
    description: "The same counts per range.",
    items: { $ref: `#/definitions/${E}.PublicIPPoolRangeUsage` },
  },
};

const object = (description: string, properties: Record<string, Schema>, required?: string[]): Schema => ({
  description,
  type: "object",
  ...(required ? { required } : {}),
  properties,
});

export const PUBLIC_IP_DEFINITIONS: Record<string, Schema> = {
  [`${E}.PublicIP`]: kind(
    "PublicIP",
    "PublicIP is a public IPv4 address from the operators' pool, bound to a pod, a LoadBalancer Service or nothing.",
    {
      spec: ref("PublicIPSpec", "The bandwidth bought and what the address is bound to."),
      status: ref("PublicIPStatus", "The address and its state, written by the server."),
    },
  ),
  [`${E}.PublicIPSpec`]: object("PublicIPSpec is what the tenant asks of its address.", { ...SPEC }),
  [`${E}.PublicIPTarget`]: object("PublicIPTarget names a pod or a service of the same namespace.", { ...TARGET }, [
    "kind",
    "name",
  ]),
  [`${E}.PublicIPStatus`]: object("PublicIPStatus is observed, never written.", { ...STATUS }),
  [`${E}.PublicIPDDoSStatus`]: object("PublicIPDDoSStatus is the address's flood protection.", { ...DDOS }),
  [`${E}.PublicIPList`]: list("PublicIPList", "PublicIP"),
  [`${E}.PublicIPPool`]: kind(
    "PublicIPPool",
    "PublicIPPool is a set of the operators' public IPv4 ranges that tenants' public IPs are allocated from.",
    {
      spec: ref("PublicIPPoolSpec", "The pool's ranges."),
      status: ref("PublicIPPoolStatus", "How much of the pool is used, computed by the server."),
    },
    ["spec"],
  ),
  [`${E}.PublicIPPoolSpec`]: object("PublicIPPoolSpec lists the pool's ranges.", { ...POOL_SPEC }, ["cidrs"]),
  [`${E}.PublicIPPoolStatus`]: object("PublicIPPoolStatus is the pool's usage now.", { ...POOL_USAGE }),
  [`${E}.PublicIPPoolRangeUsage`]: object("PublicIPPoolRangeUsage is one range's usage.", { ...RANGE_USAGE }),
  [`${E}.PublicIPPoolList`]: list("PublicIPPoolList", "PublicIPPool"),
};
