/**
 * What each rule of one security group admitted, summed over the tenant's pods, since this
 * process started collecting (the modelled data plane's counterpart of a cloud's rule hit
 * counts). A rule is its index in the group's direction list (0-based, as the spec stores it;
 * the console numbers it from 1), or "same-group" for allowSameGroupTraffic.
 */
import { z } from "zod";
import type { GroupRuleHits } from "../../monitoring/network-rule-hit-counters";

export const securityRuleHitView = z.object({
  direction: z.enum(["ingress", "egress"]),
  rule: z.union([z.number().int().nonnegative(), z.literal("same-group")]),
  packets: z.number(),
  bytes: z.number(),
  /** How many of the tenant's pods' traffic the rule admitted (the pods the sum is over). */
  pods: z.number(),
});
export const securityRuleHitsView = z.object({ items: z.array(securityRuleHitView) });
export type SecurityRuleHitView = z.infer<typeof securityRuleHitView>;

export const toSecurityRuleHitView = (h: Readonly<GroupRuleHits>): SecurityRuleHitView => ({
  direction: h.direction,
  rule: h.rule,
  packets: h.packets,
  bytes: h.bytes,
  pods: h.pods,
});
