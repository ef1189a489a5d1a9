/**
 * The view of the operators' cluster-wide L4 blocklist: one banned TCP/UDP port range, where it
 * applies (everywhere, or only across the public network) and why. Tenants read it too, so a
 * drop reported as "port banned by the operator" can be looked up.
 */
import { z } from "zod";
import type { PortBan } from "../../engine/kinds/port-ban";
import { wireMeta } from "../../workloads/views";

export const portBanView = z.object({
  uid: z.string(),
  name: z.string(),
  resourceVersion: z.string(),
  createdAt: z.number(),
  protocol: z.enum(["tcp", "udp"]),
  portRangeMin: z.number(),
  portRangeMax: z.number(),
  scope: z.enum(["all", "public"]),
  reason: z.string(),
});
export type PortBanView = z.infer<typeof portBanView>;

export function toPortBanView(b: PortBan): PortBanView {
  const { uid, resourceVersion } = wireMeta(b);
  return {
    uid,
    resourceVersion,
    name: b.name,
    createdAt: b.createdAt,
    protocol: b.spec.protocol,
    portRangeMin: b.spec.portRangeMin,
    portRangeMax: b.spec.portRangeMax,
    scope: b.spec.scope ?? "all",
    reason: b.spec.reason,
  };
}
