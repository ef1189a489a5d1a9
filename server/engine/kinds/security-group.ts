/**
 * Kind SecurityGroup (cloud.tenant.io/v1, the tenant's own and outside namespaces, like
 * NodePool; short name `sg`): a tenant's stateful packet filter for its pods. The data, its
 * defaults, its semantics and its validation are network/security's; this module is the kind:
 * its input, its conversion, kubectl's columns and its informer handler.
 *
 * Guarantees:
 * - Stored defaulted (withSecurityGroupDefaults: no egressRules written = AWS's allow-all
 *   egress rule; allowSameGroupTraffic false), so `get -o yaml` re-applied is the same spec.
 * - `status.attachedPods` (how many live pods the group applies to) is computed at read time
 *   by the commands and never stored: it changes with pods, not with the group.
 * - A committed change recompiles the tenant's attachments and drops its compiled matchers
 *   (network/engine-security-state.ts) and retries the tenant's pods the group limits held.
 */
import { z } from "zod";
import type { Ctx } from "../core/context";
import {
  type SecurityGroup,
  type SecurityGroupRule,
  withSecurityGroupDefaults,
} from "../network/security/security-group";
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
import { formatLabelSelector } from "./selector-format";
import type { ManagedMeta, ObjectMeta } from "./types";
import { labelSelectorSchema, metadataSchema } from "./validation";

/** The group as stored: the module's SecurityGroup, defaulted, without its name (metadata.name). */
export type SecurityGroupSpec = Omit<SecurityGroup, "name">;

export interface SecurityGroupStatus {
  /** Live pods of the tenant the group applies to now. */
  attachedPods: number;
}

export interface SecurityGroupObject extends ObjectMeta, ManagedMeta {
  kind: "SecurityGroup";
  spec: SecurityGroupSpec;
  /** Only on what the commands return (computed at read time); never stored. */
  status?: SecurityGroupStatus;
}

/** A rule as written; protocol and action are checked by the module's validation (field paths, allowed values). */
const ruleInput = z.strictObject({
  protocol: z.string().max(16),
  portRangeMin: z.number().int().optional(),
  portRangeMax: z.number().int().optional(),
  remoteAddress: z.string().max(64).optional(),
  remoteSecurityGroup: z.string().max(253).optional(),
  action: z.string().max(16),
  priority: z.number().int(),
  description: z.string().max(1024).optional(),
});

/** Bounded well above the limits (limits.ts), which the validation reports with their field. */
const rules = z.array(ruleInput).max(1000);

export const securityGroupSpecInput = z.strictObject({
  ingressRules: rules.optional(),
  egressRules: rules.optional(),
  allowSameGroupTraffic: z.boolean().optional(),
  podSelector: labelSelectorSchema.optional(),
  namespaces: z.array(z.string().max(253)).max(1000).optional(),
  defaultForNamespaces: z.array(z.string().max(253)).max(1000).optional(),
});

export const securityGroupSchema = z.strictObject({
  name: z.string().max(253),
  ...metadataSchema.shape,
  spec: securityGroupSpecInput.default({}),
  /** Replace only the object at this resourceVersion (optimistic concurrency). */
  resourceVersion: z.number().int().min(0).optional(),
  managedFields: managedFieldsInput,
});
export type SecurityGroupObjectInput = z.input<typeof securityGroupSchema>;
type ParsedSpec = z.output<typeof securityGroupSpecInput>;

/** The module's group from a parsed input, defaults applied (not yet validated). */
export function securityGroupFromInput(name: string, spec: ParsedSpec): SecurityGroup {
  const { ingressRules, egressRules, allowSameGroupTraffic, podSelector, namespaces, defaultForNamespaces } = spec;
  return withSecurityGroupDefaults({
    name,
    ...compact({
      ingressRules: ingressRules as SecurityGroupRule[] | undefined,
      egressRules: egressRules as SecurityGroupRule[] | undefined,
      allowSameGroupTraffic,
      podSelector,
      namespaces,
      defaultForNamespaces,
    }),
  });
}

/** The module's group of a stored object (what attachment and the matcher compile). */
export const securityGroupData = (o: SecurityGroupObject): SecurityGroup => ({ name: o.name, ...o.spec });

const ruleToKubernetes = (r: SecurityGroupRule) =>
  compact({
    protocol: r.protocol,
    portRangeMin: r.portRangeMin,
    portRangeMax: r.portRangeMax,
    remoteAddress: r.remoteAddress,
    remoteSecurityGroup: r.remoteSecurityGroup,
    action: r.action,
    priority: r.priority,
    description: r.description,
  });

export function securityGroupToKubernetes(o: SecurityGroupObject): KubeObject {
  const s = o.spec;
  return {
    apiVersion: ENGINE_API_VERSION,
    kind: "SecurityGroup",
    metadata: objectMeta(o),
    spec: compact({
      ingressRules: s.ingressRules.map(ruleToKubernetes),
      egressRules: s.egressRules.map(ruleToKubernetes),
      allowSameGroupTraffic: s.allowSameGroupTraffic,
      podSelector: s.podSelector && structuredClone(s.podSelector),
      namespaces: s.namespaces && [...s.namespaces],
      defaultForNamespaces: s.defaultForNamespaces && [...s.defaultForNamespaces],
    }),
    ...(o.status ? { status: { ...o.status } } : {}),
  };
}

/**
 * Informer handler: the tenant's pods kept Pending by the group limits are tried again (the
 * security state itself is fed every committed batch by the core).
 */
function onSecurityGroupChange(ctx: Ctx, b: SecurityGroupObject | undefined, a: SecurityGroupObject | undefined): void {
  ctx.scheduler.tenantChanged(((a ?? b) as SecurityGroupObject).tenantId);
}

export const securityGroupKind: KindDefinition<"SecurityGroup"> = {
  kind: "SecurityGroup",
  apiKind: "SecurityGroup",
  group: ENGINE_API_GROUP,
  version: "v1",
  apiVersion: ENGINE_API_VERSION,
  plural: "securitygroups",
  singular: "securitygroup",
  shortNames: ["sg"],
  namespaced: false,
  nameScope: "tenant",
  categories: [],
  inputSchema: securityGroupSchema,
  fieldGetters: metadataFieldGetters<SecurityGroupObject>(),
  printerColumns: [
    nameColumn<SecurityGroupObject>(),
    {
      name: "Ingress-Rules",
      type: "integer",
      priority: 0,
      description: "Inbound rules of the group.",
      cell: (o) => o.spec.ingressRules.length,
    },
    {
      name: "Egress-Rules",
      type: "integer",
      priority: 0,
      description: "Outbound rules of the group.",
      cell: (o) => o.spec.egressRules.length,
    },
    ageColumn<SecurityGroupObject>(),
    {
      name: "Pod-Selector",
      type: "string",
      priority: 1,
      description: "The pods the group applies to (with spec.namespaces, only there).",
      cell: (o) => (o.spec.podSelector === undefined ? "<none>" : formatLabelSelector(o.spec.podSelector)),
    },
    {
      name: "Default-For",
      type: "string",
      priority: 1,
      description: "Namespaces whose pods get the group when no selector group selects them.",
      cell: (o) => (o.spec.defaultForNamespaces?.length ? o.spec.defaultForNamespaces.join(",") : "<none>"),
    },
    {
      name: "Same-Group",
      type: "boolean",
      priority: 1,
      description: "Traffic between members of the group is allowed.",
      cell: (o) => o.spec.allowSameGroupTraffic,
    },
  ],
  toKubernetes: securityGroupToKubernetes,
  onChange: onSecurityGroupChange,
};
