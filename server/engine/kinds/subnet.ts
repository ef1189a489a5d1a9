/**
 * Kind Subnet (cloud.tenant.io/v1, the tenant's own and outside namespaces, like SecurityGroup;
 * short name `subnet`): a block of the tenant's VPC that pods take their private addresses from,
 * as Kube-OVN's Subnet: `spec.namespaces` are the namespaces whose pods take addresses here, and
 * the one `spec.default` subnet serves every other namespace.
 *
 * Guarantees:
 * - Stored defaulted: `gateway` the first host address when not given, `namespaces` a list
 *   (possibly empty), `excludeIps` only when given; so `get -o yaml` re-applied is the same spec.
 * - `status` (addresses usable, used, on hold, free and the namespaces served, the default's
 *   included) is computed at read time from the IPAM by the commands and never stored.
 * - A committed change re-plans the tenant's addressing (network/pod-addresses.ts): new pods of a
 *   namespace take addresses from the subnet now naming it; running pods keep theirs. The
 *   tenant's pods kept Pending by an exhausted subnet are tried again.
 */
import { z } from "zod";
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import {
  compact,
  ENGINE_API_GROUP,
  ENGINE_API_VERSION,
  type KubeObject,
  managedFieldsInput,
  objectMeta,
} from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import type { ManagedMeta, ObjectMeta } from "./types";
import { dnsName, metadataSchema } from "./validation";

export interface SubnetSpec {
  /** Inside the VPC, overlapping no other subnet of the tenant. */
  cidrBlock: string;
  /** Host address of the subnet, never handed to a pod. */
  gateway: string;
  /** Namespaces whose pods take their addresses here. */
  namespaces: string[];
  /** Where pods of every namespace no subnet names take their addresses (exactly one subnet). */
  default: boolean;
  /** Addresses never handed out: "a.b.c.d" or "a.b.c.d..e.f.g.h". */
  excludeIps?: string[];
}

export interface SubnetStatus {
  /** Addresses the subnet can hand out (all but network, broadcast, gateway and excluded). */
  usable: number;
  /** Held by a live pod. */
  used: number;
  /** Released and waiting out their hold before reuse. */
  onHold: number;
  free: number;
  /** The namespaces whose new pods take addresses here now (for the default: every one no other subnet names). */
  namespaces: string[];
}

export interface SubnetObject extends ObjectMeta, ManagedMeta {
  kind: "Subnet";
  spec: SubnetSpec;
  /** Only on what the commands return (computed at read time); never stored. */
  status?: SubnetStatus;
}

export const subnetSchema = z.strictObject({
  name: dnsName,
  ...metadataSchema.shape,
  spec: z.strictObject({
    cidrBlock: z.string().max(64),
    gateway: z.string().max(64).optional(),
    namespaces: z.array(z.string().max(253)).max(1000).optional(),
    default: z.boolean().optional(),
    excludeIps: z.array(z.string().max(64)).max(1000).optional(),
  }),
  resourceVersion: z.number().int().min(0).optional(),
  managedFields: managedFieldsInput,
});
export type SubnetInput = z.input<typeof subnetSchema>;

export function subnetToKubernetes(o: SubnetObject): KubeObject {
  const s = o.spec;
  return {
    apiVersion: ENGINE_API_VERSION,
    kind: "Subnet",
    metadata: objectMeta(o),
    spec: compact({
      cidrBlock: s.cidrBlock,
      gateway: s.gateway,
      namespaces: [...s.namespaces],
      default: s.default,
      excludeIps: s.excludeIps && [...s.excludeIps],
    }),
    ...(o.status ? { status: { ...o.status, namespaces: [...o.status.namespaces] } } : {}),
  };
}

/** Informer handler: the tenant's addressing follows the committed subnets; pods an exhausted subnet held retry. */
function onSubnetChange(ctx: Ctx, b: SubnetObject | undefined, a: SubnetObject | undefined): void {
  const tenantId = ((a ?? b) as SubnetObject).tenantId;
  ctx.addresses.networkChanged(tenantId, ctx.clock.now());
  ctx.scheduler.tenantChanged(tenantId);
}

const count = (pick: (s: SubnetStatus) => number) => (o: SubnetObject) => (o.status ? pick(o.status) : "<unknown>");

export const subnetKind: KindDefinition<"Subnet"> = {
  kind: "Subnet",
  apiKind: "Subnet",
  group: ENGINE_API_GROUP,
  version: "v1",
  apiVersion: ENGINE_API_VERSION,
  plural: "subnets",
  singular: "subnet",
  shortNames: ["subnet"],
  namespaced: false,
  nameScope: "tenant",
  categories: [],
  inputSchema: subnetSchema,
  fieldGetters: {
    ...metadataFieldGetters<SubnetObject>(),
    "spec.cidrBlock": (o) => o.spec.cidrBlock,
    "spec.default": (o) => String(o.spec.default),
  },
  printerColumns: [
    nameColumn<SubnetObject>(),
    { name: "CIDR", type: "string", priority: 0, description: "The subnet's block.", cell: (o) => o.spec.cidrBlock },
    {
      name: "Namespaces",
      type: "string",
      priority: 0,
      description: "Namespaces whose pods take their addresses here.",
      cell: (o) => {
        const names = o.status?.namespaces ?? o.spec.namespaces;
        return names.length ? names.join(",") : "<none>";
      },
    },
    {
      name: "Used",
      type: "integer",
      priority: 0,
      description: "Addresses held by live pods.",
      cell: count((s) => s.used),
    },
    {
      name: "Free",
      type: "integer",
      priority: 0,
      description: "Addresses that can be handed out now.",
      cell: count((s) => s.free),
    },
    {
      name: "Default",
      type: "boolean",
      priority: 0,
      description: "Pods of namespaces no subnet names take their addresses here.",
      cell: (o) => o.spec.default,
    },
    ageColumn<SubnetObject>(),
    { name: "Gateway", type: "string", priority: 1, description: "The subnet's gateway.", cell: (o) => o.spec.gateway },
    {
      name: "On-Hold",
      type: "integer",
      priority: 1,
      description: "Released addresses waiting before reuse.",
      cell: count((s) => s.onHold),
    },
  ],
  toKubernetes: subnetToKubernetes,
  onChange: onSubnetChange,
};
