/**
 * Kind PublicIPPool (cloud.tenant.io/v1, cluster-wide, short name `pipool`): ranges of the
 * operators' shared public address pool (network/ipam/public-pool.ts allocates from every pool's
 * ranges at once). Operators write them; tenants never see them (only their PublicIPs' addresses).
 *
 * Guarantees:
 * - Not a tenant's object: stored under PORT_BAN_OWNER ("system:operator", no tenant's id), names
 *   unique across the cluster; no tenant command reads or writes one.
 * - Ranges are IPv4 CIDRs of /16 to /30, public (never private, loopback, …: ipam/public-range.ts),
 *   overlapping no range of any pool; stored in address order, so a re-applied object is equal.
 * - A committed change adds or removes its ranges in the engine's pool (PublicIpNetwork); the
 *   commands refuse removing a range that holds allocated addresses, so a removal always applies.
 */
import { z } from "zod";
import type { Ctx } from "../core/context";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import { ENGINE_API_GROUP, ENGINE_API_VERSION, type KubeObject, managedFieldsInput, objectMeta } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import type { ManagedMeta, ObjectMeta } from "./types";
import { dnsName, metadataSchema } from "./validation";

export { PORT_BAN_OWNER as PUBLIC_IP_POOL_OWNER } from "./port-ban";

/** Prefix bounds of one range (the pool's allocator accepts /12; operators' ranges stay /16 or longer). */
export const POOL_RANGE_PREFIX = { min: 16, max: 30 } as const;
export const MAX_POOL_RANGES = 64;

export interface PublicIpPoolSpec {
  /** IPv4 CIDRs, non-overlapping across all pools, prefix /16../30. */
  cidrs: string[];
}

export interface PublicIpPool extends ObjectMeta, ManagedMeta {
  kind: "PublicIPPool";
  spec: PublicIpPoolSpec;
}

/** Usage of one range or of the whole pool: usable = size − 2 (network, broadcast). */
export interface PublicIpRangeUsage {
  cidr: string;
  usable: number;
  used: number;
  onHold: number;
  free: number;
}

export interface PublicIpPoolUsage {
  usable: number;
  used: number;
  onHold: number;
  free: number;
  ranges: PublicIpRangeUsage[];
}

export type PublicIpPoolView = PublicIpPool & { usage: PublicIpPoolUsage };

export const publicIpPoolSchema = z.strictObject({
  name: dnsName,
  ...metadataSchema.shape,
  spec: z.strictObject({
    cidrs: z.array(z.string().max(43)).min(1).max(MAX_POOL_RANGES),
  }),
  /** Replace only the object at this resourceVersion (optimistic concurrency). */
  resourceVersion: z.number().int().min(0).optional(),
  managedFields: managedFieldsInput,
});
export type PublicIpPoolInput = z.input<typeof publicIpPoolSchema>;

/** The usage a read attaches (the commands' view); a stored pool has none. */
const usageOf = (p: PublicIpPool): PublicIpPoolUsage | undefined =>
  "usage" in p ? (p as PublicIpPoolView).usage : undefined;

export function publicIpPoolToKubernetes(p: PublicIpPool | PublicIpPoolView): KubeObject {
  const usage = usageOf(p);
  return {
    apiVersion: ENGINE_API_VERSION,
    kind: "PublicIPPool",
    metadata: objectMeta(p),
    spec: { cidrs: [...p.spec.cidrs] },
    ...(usage ? { status: { ...usage, ranges: usage.ranges.map((r) => ({ ...r })) } } : {}),
  };
}

function onPoolChange(ctx: Ctx, b: PublicIpPool | undefined, a: PublicIpPool | undefined): void {
  ctx.publicIps.poolChanged(ctx, b, a);
}

export const publicIpPoolKind: KindDefinition<"PublicIPPool"> = {
  kind: "PublicIPPool",
  apiKind: "PublicIPPool",
  group: ENGINE_API_GROUP,
  version: "v1",
  apiVersion: ENGINE_API_VERSION,
  plural: "publicippools",
  singular: "publicippool",
  shortNames: ["pipool"],
  namespaced: false,
  nameScope: "global",
  categories: [],
  inputSchema: publicIpPoolSchema,
  fieldGetters: metadataFieldGetters<PublicIpPool>(),
  printerColumns: [
    nameColumn<PublicIpPool>(),
    {
      name: "CIDRs",
      type: "string",
      priority: 0,
      description: "The pool's address ranges.",
      cell: (p) => p.spec.cidrs.join(","),
    },
    {
      name: "Used",
      type: "integer",
      priority: 0,
      description: "Addresses allocated to public IPs.",
      cell: (p) => usageOf(p)?.used ?? 0,
    },
    {
      name: "Free",
      type: "integer",
      priority: 0,
      description: "Addresses allocatable now.",
      cell: (p) => usageOf(p)?.free ?? 0,
    },
    ageColumn<PublicIpPool>(),
    {
      name: "Usable",
      type: "integer",
      priority: 1,
      description: "Addresses in the ranges, less each range's network and broadcast addresses.",
      cell: (p) => usageOf(p)?.usable ?? 0,
    },
    {
      name: "On-Hold",
      type: "integer",
      priority: 1,
      description: "Released addresses held before reuse (5 min).",
      cell: (p) => usageOf(p)?.onHold ?? 0,
    },
  ],
  toKubernetes: publicIpPoolToKubernetes,
  onChange: onPoolChange,
};
