/**
 * Security for the console's Security groups page and the operators' Network page:
 * - the tenant's security groups (its own, outside namespaces): list, get, create, update and
 *   delete, with the resourceVersion last read as a precondition and a dry run;
 * - the tenant's Kubernetes NetworkPolicies (namespaced): list, get and delete here; they are
 *   written as manifests through the YAML editor (manifests.applyYaml), as Kubernetes' own kinds are;
 * - the operators' cluster-wide L4 blocklist: every tenant reads what is banned, only operators
 *   add and remove bans.
 * Inputs are checked here for shape and bounds only; the engine checks what a group means
 * (priority and port ranges, CIDRs, remote groups, the per-group limits) and refuses with the
 * field path (`spec.ingressRules[2].remoteAddress`), which the console shows at that field.
 * Writes need the member role, as on the Kubernetes API.
 */
import { z } from "zod";
import { createTRPCRouter, operatorProcedure, tenantProcedure } from "../init";
import { engineListInput, textSchema } from "../schemas";
import { okView } from "../views/common";
import { networkPolicyView, toNetworkPolicyView } from "../views/security-network-policies";
import { portBanView, toPortBanView } from "../views/security-port-bans";
import { securityGroupView, toSecurityGroupView } from "../views/security-groups";
import { securityRuleHitsView, toSecurityRuleHitView } from "../views/security-rule-hits";
import { namespaceField } from "./namespaces";

/** Names are checked by the engine (DNS-1123 label, with its field); bounded here. */
const objectName = textSchema().min(1, "A name is required.").max(253, "Names are at most 253 characters.");
const resourceVersion = textSchema()
  .regex(/^\d{1,15}$/, "A resourceVersion is a number.")
  .optional();
const dryRun = z.boolean().optional();
const port = z.number().int();

const ruleInput = z
  .object({
    protocol: z.enum(["tcp", "udp", "icmp", "all"]),
    portRangeMin: port.optional(),
    portRangeMax: port.optional(),
    remoteAddress: textSchema().max(64).optional(),
    remoteSecurityGroup: textSchema().max(253).optional(),
    action: z.enum(["allow", "deny"]),
    priority: z.number().int(),
    description: textSchema().max(1024).optional(),
  })
  .strict();

const labelText = textSchema().max(317);
const labelSelectorInput = z
  .object({
    matchLabels: z.record(labelText, textSchema().max(63)).optional(),
    matchExpressions: z
      .array(
        z
          .object({
            key: labelText,
            operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
            values: z.array(textSchema().max(63)).max(100).optional(),
          })
          .strict(),
      )
      .max(20)
      .optional(),
  })
  .strict();

/** Bounded well above the limits (60 rules per direction), which the engine reports at their field. */
const namespaceList = z.array(textSchema().max(253)).max(1000).optional();
const groupInput = z
  .object({
    name: objectName,
    ingressRules: z.array(ruleInput).max(1000).optional(),
    egressRules: z.array(ruleInput).max(1000).optional(),
    allowSameGroupTraffic: z.boolean().optional(),
    podSelector: labelSelectorInput.optional(),
    namespaces: namespaceList,
    defaultForNamespaces: namespaceList,
  })
  .strict();

/** The engine's input: the name beside the spec. */
function groupObjectInput({ name, ...spec }: z.infer<typeof groupInput>) {
  return { name, spec };
}

const byName = z.object({ name: objectName }).strict();

export const securityRouter = createTRPCRouter({
  /** A page of the tenant's security groups, by name, each with the pods it applies to now. */
  list: tenantProcedure("viewer")
    .input(engineListInput)
    .output(z.object({ items: z.array(securityGroupView), nextCursor: z.string().optional() }))
    .query(({ ctx, input }) => {
      const page = ctx.services.engine.listSecurityGroups(ctx.tenant.id, input);
      return { items: page.items.map(toSecurityGroupView), nextCursor: page.nextCursor };
    }),

  get: tenantProcedure("viewer")
    .input(byName)
    .output(securityGroupView)
    .query(({ ctx, input }) => toSecurityGroupView(ctx.services.engine.getSecurityGroup(ctx.tenant.id, input.name))),

  /**
   * What each rule of the group admitted over the tenant's pods since monitoring started
   * (modelled traffic). The group is looked up in the caller's tenant first: a name only another
   * tenant has is NOT_FOUND, and the counters are only ever read under the caller's tenant.
   */
  ruleHits: tenantProcedure("viewer")
    .input(byName)
    .output(securityRuleHitsView)
    .query(({ ctx, input }) => {
      const group = ctx.services.engine.getSecurityGroup(ctx.tenant.id, input.name);
      const hits = ctx.services.monitoring.counters.hitsOfGroup(ctx.tenant.id, group.name);
      return { items: hits.map(toSecurityRuleHitView) };
    }),

  /** The groups that apply to a pod now (what the pod page lists); `refusal` when they exceed the limits. */
  ofPod: tenantProcedure("viewer")
    .input(z.object({ ...namespaceField, pod: textSchema().min(1, "A pod name is required.").max(253) }).strict())
    .output(z.object({ groups: z.array(z.string()), refusal: z.string().optional() }))
    .query(({ ctx, input }) =>
      ctx.services.engine.podSecurityGroups(ctx.tenant.id, input.pod, { namespace: input.namespace }),
    ),

  /** A new group; a group without `egressRules` gets AWS's allow-all outbound rule. CONFLICT if the name is taken. */
  create: tenantProcedure("member")
    .input(groupInput.extend({ dryRun }).strict())
    .output(securityGroupView)
    .mutation(async ({ ctx, input }) => {
      const { dryRun: dry, ...group } = input;
      ctx.audit.target = `SecurityGroup/${group.name}`;
      const created = await ctx.services.engine.createSecurityGroup(ctx.tenant.id, groupObjectInput(group), {
        dryRun: dry,
      });
      return toSecurityGroupView(created);
    }),

  /** The whole group replaced; with `resourceVersion`, only if nobody changed it since (else CONFLICT). */
  update: tenantProcedure("member")
    .input(groupInput.extend({ resourceVersion, dryRun }).strict())
    .output(securityGroupView)
    .mutation(async ({ ctx, input }) => {
      const { dryRun: dry, resourceVersion: rv, ...group } = input;
      ctx.audit.target = `SecurityGroup/${group.name}`;
      const replaced = await ctx.services.engine.replaceSecurityGroup(
        ctx.tenant.id,
        { ...groupObjectInput(group), ...(rv === undefined ? {} : { resourceVersion: Number(rv) }) },
        { dryRun: dry },
      );
      return toSecurityGroupView(replaced);
    }),

  /** Refused (CONFLICT) while another group's rule names this one as its remote. */
  delete: tenantProcedure("member")
    .input(byName.extend({ resourceVersion, dryRun }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `SecurityGroup/${input.name}`;
      await ctx.services.engine.deleteSecurityGroup(ctx.tenant.id, input.name, {
        ...(input.resourceVersion === undefined ? {} : { resourceVersion: Number(input.resourceVersion) }),
        dryRun: input.dryRun,
      });
      return { ok: true as const };
    }),

  /** A page of NetworkPolicies of one namespace (absent: every namespace of the tenant). */
  listPolicies: tenantProcedure("viewer")
    .input(engineListInput.extend(namespaceField).strict())
    .output(z.object({ items: z.array(networkPolicyView), nextCursor: z.string().optional() }))
    .query(({ ctx, input }) => {
      const page = ctx.services.engine.listNetworkPolicies(ctx.tenant.id, input);
      return { items: page.items.map(toNetworkPolicyView), nextCursor: page.nextCursor };
    }),

  getPolicy: tenantProcedure("viewer")
    .input(byName.extend(namespaceField).strict())
    .output(networkPolicyView)
    .query(({ ctx, input }) =>
      toNetworkPolicyView(
        ctx.services.engine.getNetworkPolicy(ctx.tenant.id, input.name, { namespace: input.namespace }),
      ),
    ),

  deletePolicy: tenantProcedure("member")
    .input(byName.extend({ ...namespaceField, resourceVersion }).strict())
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `NetworkPolicy/${input.namespace ? `${input.namespace}/` : ""}${input.name}`;
      await ctx.services.engine.deleteNetworkPolicy(ctx.tenant.id, input.name, {
        namespace: input.namespace,
        ...(input.resourceVersion === undefined ? {} : { resourceVersion: Number(input.resourceVersion) }),
      });
      return { ok: true as const };
    }),

  /** What the operators ban, for every member: a flow dropped as "port banned" can be looked up. */
  portBans: tenantProcedure("viewer")
    .input(z.object({}).strict().optional())
    .output(z.array(portBanView))
    .query(({ ctx }) => ctx.services.engine.listPortBans().map(toPortBanView)),

  /** The same list for the operators' Network page (an operator need not belong to a tenant). */
  adminPortBans: operatorProcedure
    .input(z.object({}).strict().optional())
    .output(z.array(portBanView))
    .query(({ ctx }) => ctx.services.engine.listPortBans().map(toPortBanView)),

  /** Bans a TCP/UDP port range for every tenant (scope public: only across the public network). */
  addPortBan: operatorProcedure
    .input(
      z
        .object({
          name: objectName,
          protocol: z.enum(["tcp", "udp"]),
          portRangeMin: port,
          /** Absent: the one port portRangeMin. */
          portRangeMax: port.optional(),
          scope: z.enum(["all", "public"]).optional(),
          reason: textSchema().max(1024),
          dryRun,
        })
        .strict(),
    )
    .output(portBanView)
    .mutation(async ({ ctx, input }) => {
      const { name, dryRun: dry, ...spec } = input;
      ctx.audit.target = `PortBan/${name}`;
      return toPortBanView(await ctx.services.engine.addPortBan({ name, spec }, { dryRun: dry }));
    }),

  removePortBan: operatorProcedure
    .input(byName)
    .output(okView)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target = `PortBan/${input.name}`;
      await ctx.services.engine.removePortBan(input.name);
      return { ok: true as const };
    }),
});
