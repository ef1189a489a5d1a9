/**
 * Kind NetworkPolicy (networking.k8s.io/v1, namespaced, short name `netpol`), Kubernetes' own:
 * which pods of a namespace are isolated and what may reach them or leave them. The types, the
 * upstream validation and the compiled evaluation are network/security's; this module is the
 * kind: its input, its conversion, kubectl's columns (NAME POD-SELECTOR AGE) and its informer
 * handler.
 *
 * Guarantees:
 * - Stored as written (upstream stores `policyTypes` defaulted: so is it here, with
 *   effectivePolicyTypes, so `get -o yaml` shows what the API server would).
 * - A committed change recompiles the tenant's policy set (network/engine-security-state.ts is
 *   fed every committed batch by the core; the kind sets nothing else going).
 */
import { z } from "zod";
import type { NetworkPolicySpec } from "../network/security/network-policy-types";
import type { KindDefinition } from "./definition";
import { metadataFieldGetters } from "./definition";
import { type KubeObject, managedFieldsInput, objectMeta } from "./kubernetes";
import { ageColumn, nameColumn } from "./printers";
import { formatLabelSelector } from "./selector-format";
import type { ManagedMeta, NamespacedMeta } from "./types";
import { dnsName, labelSelectorSchema, metadataSchema } from "./validation";

export interface NetworkPolicyObject extends NamespacedMeta, ManagedMeta {
  kind: "NetworkPolicy";
  spec: NetworkPolicySpec;
}

const portInput = z.strictObject({
  protocol: z.string().max(16).optional(),
  port: z.union([z.number().int(), z.string().max(63)]).optional(),
  endPort: z.number().int().optional(),
});
const peerInput = z.strictObject({
  podSelector: labelSelectorSchema.optional(),
  namespaceSelector: labelSelectorSchema.optional(),
  ipBlock: z
    .strictObject({ cidr: z.string().max(64), except: z.array(z.string().max(64)).max(100).optional() })
    .optional(),
});
const ruleInput = (peers: "from" | "to") =>
  z.strictObject({
    [peers]: z.array(peerInput).max(100).optional(),
    ports: z.array(portInput).max(100).optional(),
  });

export const networkPolicySpecInput = z.strictObject({
  podSelector: labelSelectorSchema.default({ matchLabels: {} }),
  policyTypes: z.array(z.string().max(16)).max(8).optional(),
  ingress: z.array(ruleInput("from")).max(100).optional(),
  egress: z.array(ruleInput("to")).max(100).optional(),
});

export const networkPolicySchema = z.strictObject({
  namespace: dnsName.optional(),
  name: z.string().max(253),
  ...metadataSchema.shape,
  spec: networkPolicySpecInput.default({ podSelector: { matchLabels: {} } }),
  /** Replace only the object at this resourceVersion (optimistic concurrency). */
  resourceVersion: z.number().int().min(0).optional(),
  managedFields: managedFieldsInput,
});
export type NetworkPolicyInput = z.input<typeof networkPolicySchema>;

export function networkPolicyToKubernetes(o: NetworkPolicyObject): KubeObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: objectMeta(o),
    spec: structuredClone(o.spec) as unknown as Record<string, unknown>,
  };
}

export const NETWORK_POLICIES_BY_NAMESPACE = "namespace";

export const networkPolicyKind: KindDefinition<"NetworkPolicy"> = {
  kind: "NetworkPolicy",
  apiKind: "NetworkPolicy",
  group: "networking.k8s.io",
  version: "v1",
  apiVersion: "networking.k8s.io/v1",
  plural: "networkpolicies",
  singular: "networkpolicy",
  shortNames: ["netpol"],
  namespaced: true,
  nameScope: "namespace",
  categories: [],
  inputSchema: networkPolicySchema,
  fieldGetters: metadataFieldGetters<NetworkPolicyObject>(),
  printerColumns: [
    nameColumn<NetworkPolicyObject>(),
    {
      name: "Pod-Selector",
      type: "string",
      priority: 0,
      description:
        "podSelector selects the pods to which this NetworkPolicy object applies. An empty selector selects all pods in the namespace.",
      cell: (o) => formatLabelSelector(o.spec.podSelector),
    },
    ageColumn<NetworkPolicyObject>(),
  ],
  toKubernetes: networkPolicyToKubernetes,
  indexes: [{ name: NETWORK_POLICIES_BY_NAMESPACE, key: (o) => `${o.tenantId}/${o.namespace}` }],
};
