/**
 * The operators' public-network views: the shared pool (each PublicIPPool with its ranges and how
 * many addresses are used, held after a release, and free), every tenant's public IPs with the
 * tenant's name, DDoS events across tenants, and network usage by tenant. Operators only; tenant
 * ids appear here because operators act across tenants, never in a tenant's views.
 */
import { z } from "zod";
import type { TenantNetworkUsage } from "../../engine";
import type { PublicIpPoolView } from "../../engine/kinds/public-ip-pool";
import type { EngineEvent } from "../../engine/kinds/types";
import { wireMeta } from "../../workloads/views";
import { publicIpView } from "./public-ips";

const usageCounts = { usable: z.number(), used: z.number(), onHold: z.number(), free: z.number() };

export const publicPoolView = z.object({
  uid: z.string(),
  name: z.string(),
  resourceVersion: z.string(),
  createdAt: z.number(),
  ...usageCounts,
  ranges: z.array(z.object({ cidr: z.string(), ...usageCounts })),
});
export type PublicPoolViewOut = z.infer<typeof publicPoolView>;

export function toPublicPoolView(p: PublicIpPoolView): PublicPoolViewOut {
  const { uid, resourceVersion } = wireMeta(p);
  const { usable, used, onHold, free } = p.usage;
  return {
    uid,
    resourceVersion,
    name: p.name,
    createdAt: p.createdAt,
    usable,
    used,
    onHold,
    free,
    // Every range of the spec, in its order, with zeros for one the usage does not (yet) count.
    ranges: p.spec.cidrs.map((cidr) => {
      const r = p.usage.ranges.find((u) => u.cidr === cidr);
      return { cidr, usable: r?.usable ?? 0, used: r?.used ?? 0, onHold: r?.onHold ?? 0, free: r?.free ?? 0 };
    }),
  };
}

/** A tenant's public IP as operators see it: whose it is beside it. */
export const operatorPublicIpView = publicIpView.extend({ tenantId: z.string(), tenantName: z.string().nullable() });
export type OperatorPublicIpViewOut = z.infer<typeof operatorPublicIpView>;

export const ddosEventView = z.object({
  uid: z.string(),
  tenantId: z.string(),
  tenantName: z.string().nullable(),
  namespace: z.string(),
  /** The PublicIP object's name. */
  publicIp: z.string(),
  /** Its address when the object still exists (a released one's event outlives it). */
  address: z.string().optional(),
  reason: z.enum(["DDoSBlackholed", "DDoSBlackholeEnded"]),
  type: z.enum(["Normal", "Warning"]),
  message: z.string(),
  count: z.number(),
  firstTime: z.number(),
  lastTime: z.number(),
});
export type DdosEventViewOut = z.infer<typeof ddosEventView>;

export function toDdosEventView(
  e: EngineEvent,
  tenantName: string | null,
  address: string | undefined,
): DdosEventViewOut {
  return {
    uid: e.id,
    tenantId: e.tenantId,
    tenantName,
    namespace: e.objectNamespace ?? e.namespace,
    publicIp: e.objectName,
    ...(address ? { address } : {}),
    reason: e.reason === "DDoSBlackholeEnded" ? "DDoSBlackholeEnded" : "DDoSBlackholed",
    type: e.type,
    message: e.message,
    count: e.count,
    firstTime: e.firstTime,
    lastTime: e.lastTime,
  };
}

export const tenantNetworkUsageView = z.object({
  tenantId: z.string(),
  tenantName: z.string().nullable(),
  publicIps: z.number(),
  boundPublicIps: z.number(),
  bandwidthMbps: z.number(),
  rxBitsPerSecond: z.number(),
  txBitsPerSecond: z.number(),
  droppedPacketsPerSecond: z.number(),
  blackholedPublicIps: z.number(),
});
export type TenantNetworkUsageViewOut = z.infer<typeof tenantNetworkUsageView>;

export const toTenantNetworkUsageView = (u: TenantNetworkUsage, tenantName: string | null) => ({
  tenantId: u.tenantId,
  tenantName,
  publicIps: u.publicIps,
  boundPublicIps: u.boundPublicIps,
  bandwidthMbps: u.bandwidthMbps,
  rxBitsPerSecond: u.rxBitsPerSecond,
  txBitsPerSecond: u.txBitsPerSecond,
  droppedPacketsPerSecond: u.droppedPacketsPerSecond,
  blackholedPublicIps: u.blackholedPublicIps,
});
