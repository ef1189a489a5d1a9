/**
 * Schemas of the tenant's network objects in cloud.tenant.io/v1: Vpc (its one private network)
 * and Subnet (a block of it that namespaces' pods take addresses from), written from the kinds'
 * TypeScript shapes (engine/kinds/vpc.ts, subnet.ts) with the drift guard of
 * engine-schema-builders.ts. Both statuses are computed at read time, never written.
 */
import type { SubnetSpec, SubnetStatus } from "../../engine/kinds/subnet";
import type { VpcSpec, VpcStatus } from "../../engine/kinds/vpc";
import { bool, ENGINE_GROUP_PREFIX, type Fields, int, kind, list, ref, str, strings } from "./engine-schema-builders";
import type { Schema } from "./schema-types";

const E = ENGINE_GROUP_PREFIX;

const VPC_SPEC: Fields<VpcSpec> = {
  cidrBlock: str('The private IPv4 range every subnet lies in (default "10.0.0.0/16"); tenants\' ranges may overlap.'),
};
const VPC_STATUS: Fields<VpcStatus> = { subnets: strings("The tenant's subnets, by name.") };

const SUBNET_SPEC: Fields<SubnetSpec> = {
  cidrBlock: str("The subnet's block: inside the VPC, overlapping no other subnet of the tenant."),
  gateway: str("The subnet's gateway address, never handed to a pod. Defaults to the first host address."),
  namespaces: strings("Namespaces whose pods take their addresses here (at most one subnet names a namespace)."),
  default: bool("Pods of every namespace no subnet names take their addresses here (exactly one subnet)."),
  excludeIps: strings('Addresses never handed out: "a.b.c.d" or a range "a.b.c.d..e.f.g.h".'),
};
const SUBNET_STATUS: Fields<SubnetStatus> = {
  usable: int("Addresses the subnet can hand out (network, broadcast, gateway and excluded ones aside)."),
  used: int("Addresses held by live pods."),
  onHold: int("Addresses released recently, held before reuse."),
  free: int("Addresses that can be handed out now."),
  namespaces: strings("The namespaces whose new pods take addresses here now (the default's included)."),
};

const object = (description: string, properties: Record<string, Schema>, required?: string[]): Schema => ({
  description,
  type: "object",
  ...(required ? { required } : {}),
  properties,
});

export const TENANT_NETWORK_DEFINITIONS: Record<string, Schema> = {
  [`${E}.Vpc`]: kind("Vpc", "Vpc is the tenant's isolated private network; a tenant has one, named default.", {
    spec: ref("VpcSpec", "The network's private range."),
    status: ref("VpcStatus", "The network's subnets, computed by the server."),
  }),
  [`${E}.VpcSpec`]: object("VpcSpec is the network's range.", { ...VPC_SPEC }),
  [`${E}.VpcStatus`]: object("VpcStatus is observed, never written.", { ...VPC_STATUS }),
  [`${E}.VpcList`]: list("VpcList", "Vpc"),
  [`${E}.Subnet`]: kind(
    "Subnet",
    "Subnet is a block of the tenant's VPC that pods of its namespaces take their private addresses from.",
    {
      spec: ref("SubnetSpec", "The block and the namespaces it serves."),
      status: ref("SubnetStatus", "The block's usage, computed by the server."),
    },
    ["spec"],
  ),
  [`${E}.SubnetSpec`]: object("SubnetSpec is a block and who takes addresses from it.", { ...SUBNET_SPEC }, [
    "cidrBlock",
  ]),
  [`${E}.SubnetStatus`]: object("SubnetStatus is observed, never written.", { ...SUBNET_STATUS }),
  [`${E}.SubnetList`]: list("SubnetList", "Subnet"),
};
