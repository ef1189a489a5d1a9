/**
 * Public IP views (cloud.tenant.io/v1 PublicIP): an address from the operators' shared pool that
 * a tenant holds, the bandwidth bought for it, what it is bound to (a pod's public NIC or a
 * LoadBalancer service) and its DDoS state. What the console, cloudctl and the typed client read;
 * the engine's stored shape stays behind it (epoch-ms instants, booleans spelled out, no owner).
 */
import { z } from "zod";
import type { PublicIp } from "../../engine/kinds/public-ip";
import { wireMeta } from "../../workloads/views";

export const publicIpTargetView = z.object({ kind: z.enum(["Pod", "Service"]), name: z.string() });

export const ddosStateView = z.object({
  /** Operator override: this address is never black-holed. */
  protectionDisabled: z.boolean(),
  /** Epoch ms; present while black-holed (traffic to it is dropped until then). */
  blackholedUntil: z.number().optional(),
  /** Epoch ms of the last blackhole's start, kept after it ends. */
  lastBlackholeAt: z.number().optional(),
});

export const publicIpView = z.object({
  uid: z.string(),
  name: z.string(),
  namespace: z.string(),
  resourceVersion: z.string(),
  creationTimestamp: z.string(),
  createdAt: z.number(),
  /** Dotted quad, fixed for the object's life. */
  address: z.string(),
  pool: z.string(),
  bandwidthMbps: z.number(),
  /** Absent: allocated, bound to nothing. */
  target: publicIpTargetView.optional(),
  sticky: z.boolean(),
  /** Allocated (unbound), Bound (its target holds it), Pending (target named, not able to hold it yet). */
  phase: z.enum(["Allocated", "Bound", "Pending"]),
  /** The pod holding it now (for a sticky binding that followed a move, the replacement). */
  boundPod: z.string().optional(),
  ddos: ddosStateView,
});
export type PublicIpViewOut = z.infer<typeof publicIpView>;

export function toPublicIpView(p: PublicIp): PublicIpViewOut {
  const { ddos } = p.status;
  return {
    ...wireMeta(p),
    name: p.name,
    namespace: p.namespace,
    createdAt: p.createdAt,
    address: p.status.address,
    pool: p.status.pool,
    bandwidthMbps: p.spec.bandwidthMbps,
    ...(p.spec.target ? { target: { kind: p.spec.target.kind, name: p.spec.target.name } } : {}),
    sticky: p.spec.sticky === true,
    phase: p.status.phase,
    ...(p.status.boundPod ? { boundPod: p.status.boundPod } : {}),
    ddos: {
      protectionDisabled: ddos?.protectionDisabled === true,
      ...(ddos?.blackholedUntil !== undefined ? { blackholedUntil: ddos.blackholedUntil } : {}),
      ...(ddos?.lastBlackholeAt !== undefined ? { lastBlackholeAt: ddos.lastBlackholeAt } : {}),
    },
  };
}
