/**
 * The list view of Kubernetes NetworkPolicies: enough to find one and see what it isolates
 * (its pod selector, its policy types, how many rules each way). The policy itself is read and
 * edited as its manifest (the YAML editor), as Kubernetes' own objects are.
 */
import { z } from "zod";
import type { NetworkPolicyObject } from "../../engine/kinds/network-policy";
import { formatLabelSelector } from "../../engine/kinds/selector-format";
import { effectivePolicyTypes } from "../../engine/network/security/network-policy-types";
import { wireMeta } from "../../workloads/views";

export const networkPolicyView = z.object({
  uid: z.string(),
  name: z.string(),
  namespace: z.string(),
  resourceVersion: z.string(),
  createdAt: z.number(),
  /** kubectl's POD-SELECTOR: `app=web`, or `<none>` for every pod of the namespace. */
  podSelector: z.string(),
  policyTypes: z.array(z.enum(["Ingress", "Egress"])),
  ingressRules: z.number(),
  egressRules: z.number(),
});
export type NetworkPolicyView = z.infer<typeof networkPolicyView>;

export function toNetworkPolicyView(o: NetworkPolicyObject): NetworkPolicyView {
  const { uid, resourceVersion } = wireMeta(o);
  return {
    uid,
    resourceVersion,
    name: o.name,
    namespace: o.namespace,
    createdAt: o.createdAt,
    podSelector: formatLabelSelector(o.spec.podSelector),
    policyTypes: [...effectivePolicyTypes(o.spec)],
    ingressRules: o.spec.ingress?.length ?? 0,
    egressRules: o.spec.egress?.length ?? 0,
  };
}
