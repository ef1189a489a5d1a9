/**
 * Views of security groups: what the console's rule editor and cloudctl read. A group is shown
 * flat (its spec's fields beside its metadata) with `attachedPods`, the live pods it applies to
 * now (computed by the engine at read time), and its selector as kubectl prints it.
 */
import { z } from "zod";
import type { SecurityGroupObject } from "../../engine/kinds/security-group";
import { formatLabelSelector } from "../../engine/kinds/selector-format";
import type { SecurityGroupRule } from "../../engine/network/security/security-group";
import { wireMeta } from "../../workloads/views";

export const securityRuleView = z.object({
  protocol: z.enum(["tcp", "udp", "icmp", "all"]),
  portRangeMin: z.number().optional(),
  portRangeMax: z.number().optional(),
  remoteAddress: z.string().optional(),
  remoteSecurityGroup: z.string().optional(),
  action: z.enum(["allow", "deny"]),
  priority: z.number(),
  description: z.string().optional(),
});

export const labelSelectorView = z.object({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.object({
        key: z.string(),
        operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

export const securityGroupView = z.object({
  uid: z.string(),
  name: z.string(),
  resourceVersion: z.string(),
  creationTimestamp: z.string(),
  createdAt: z.number(),
  ingressRules: z.array(securityRuleView),
  egressRules: z.array(securityRuleView),
  allowSameGroupTraffic: z.boolean(),
  podSelector: labelSelectorView.optional(),
  /** kubectl's form of `podSelector` (`app=web`), absent without one. */
  selector: z.string().optional(),
  namespaces: z.array(z.string()).optional(),
  defaultForNamespaces: z.array(z.string()).optional(),
  /** Live pods of the tenant the group applies to now. */
  attachedPods: z.number(),
});
export type SecurityGroupView = z.infer<typeof securityGroupView>;
export type SecurityRuleView = z.infer<typeof securityRuleView>;

const ruleView = (r: SecurityGroupRule): SecurityRuleView => ({ ...r });

export function toSecurityGroupView(o: SecurityGroupObject): SecurityGroupView {
  const s = o.spec;
  return {
    ...wireMeta(o),
    name: o.name,
    createdAt: o.createdAt,
    ingressRules: s.ingressRules.map(ruleView),
    egressRules: s.egressRules.map(ruleView),
    allowSameGroupTraffic: s.allowSameGroupTraffic,
    ...(s.podSelector ? { podSelector: s.podSelector, selector: formatLabelSelector(s.podSelector) } : {}),
    ...(s.namespaces ? { namespaces: [...s.namespaces] } : {}),
    ...(s.defaultForNamespaces ? { defaultForNamespaces: [...s.defaultForNamespaces] } : {}),
    attachedPods: o.status?.attachedPods ?? 0,
  };
}
