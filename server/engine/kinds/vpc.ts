/**
 * Kind Vpc (cloud.tenant.io/v1, the tenant's own and outside namespaces, like SecurityGroup;
 * short name `vpc`): the tenant's one isolated private network, as Kube-OVN's Vpc. Tenants'
 * CIDRs may overlap: their networks never meet.
 *
 * Guarantees:
 * - A tenant has at most one, named `default` (api/network-commands.ts refuses a second), made
 *   with its first namespace (network/tenant-network-objects.ts) or at load for tenants older
 *   than the kind; `spec.cidrBlock` is stored defaulted (EngineConfig.vpcCidr).
 * - `status.subnets` (the tenant's Subnet names) is computed at read time by the commands and
 *   never stored.
 * - A committed change re-plans the tenant's addressing (network/pod-addresses.ts): what the
 *   flow decision's `vpcContains` answers follows the CIDR.
 */
import { z } from "zod";
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import { ENGINE_API_GROUP, ENGINE_API_VERSION, type KubeObject, managedFieldsInput, objectMeta } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import type { ManagedMeta, ObjectMeta } from "./types";
import { dnsName, metadataSchema } from "./validation";

/** The one VPC's name (Kube-OVN's default VPC is `ovn-cluster`; ours is per tenant). */
export const DEFAULT_VPC_NAME = "default";

export interface VpcSpec {
  /** The private range every subnet of the tenant lies in. */
  cidrBlock: string;
}

export interface VpcStatus {
  /** The tenant's subnets, by name. */
  subnets: string[];
}

export interface VpcObject extends ObjectMeta, ManagedMeta {
  kind: "Vpc";
  spec: VpcSpec;
  /** Only on what the commands return (computed at read time); never stored. */
  status?: VpcStatus;
}

export const vpcSchema = z.strictObject({
  name: dnsName,
  ...metadataSchema.shape,
  spec: z.strictObject({ cidrBlock: z.string().max(64).optional() }).default({}),
  resourceVersion: z.number().int().min(0).optional(),
  managedFields: managedFieldsInput,
});
export type VpcInput = z.input<typeof vpcSchema>;

export function vpcToKubernetes(o: VpcObject): KubeObject {
  return {
    apiVersion: ENGINE_API_VERSION,
    kind: "Vpc",
    metadata: objectMeta(o),
    spec: { cidrBlock: o.spec.cidrBlock },
    ...(o.status ? { status: { subnets: [...o.status.subnets] } } : {}),
  };
}

/** Informer handler: the tenant's addressing follows the committed VPC. */
function onVpcChange(ctx: Ctx, b: VpcObject | undefined, a: VpcObject | undefined): void {
  const tenantId = ((a ?? b) as VpcObject).tenantId;
  ctx.addresses.networkChanged(tenantId, ctx.clock.now());
}

export const vpcKind: KindDefinition<"Vpc"> = {
  kind: "Vpc",
  apiKind: "Vpc",
  group: ENGINE_API_GROUP,
  version: "v1",
  apiVersion: ENGINE_API_VERSION,
  plural: "vpcs",
  singular: "vpc",
  shortNames: ["vpc"],
  namespaced: false,
  nameScope: "tenant",
  categories: [],
  inputSchema: vpcSchema,
  fieldGetters: { ...metadataFieldGetters<VpcObject>(), "spec.cidrBlock": (o) => o.spec.cidrBlock },
  printerColumns: [
    nameColumn<VpcObject>(),
    {
      name: "CIDR",
      type: "string",
      priority: 0,
      description: "The VPC's private range.",
      cell: (o) => o.spec.cidrBlock,
    },
    {
      name: "Subnets",
      type: "string",
      priority: 0,
      description: "The VPC's subnets.",
      cell: (o) => (o.status?.subnets.length ? o.status.subnets.join(",") : "<none>"),
    },
    ageColumn<VpcObject>(),
  ],
  toKubernetes: vpcToKubernetes,
  onChange: onVpcChange,
};
