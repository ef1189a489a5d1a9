/**
 * Security commands and queries: a tenant's SecurityGroups (its own, outside namespaces) and a
 * namespace's NetworkPolicies, in the shape of config-commands.ts, and the operator's PortBans
 * (the cluster-wide L4 blocklist; tenants read it). Guarantees:
 * - Names are unique per tenant (groups), per namespace (policies), per cluster (bans); create of
 *   a taken name is CONFLICT (`securitygroups.cloud.tenant.io "x" already exists`), replace or
 *   delete of a missing one NOT_FOUND, a stale `resourceVersion` CONFLICT, as Kubernetes answers.
 * - An invalid object is INVALID listing every problem with its field path, in kube-apiserver's
 *   words (network/security's validation), the first field in the error's detail: a group's
 *   rules per direction are bounded (60), priorities 1..200, a remoteSecurityGroup must name a
 *   group of the tenant (so deleting a group a rule names is CONFLICT).
 * - A group create or replace that would give a pod holding an address more groups (or rules)
 *   than a pod may have is INVALID with the pod named, as AWS refuses the association; a pod not
 *   yet started whose groups exceed them stays Pending with the refusal as its event
 *   (network/security-checked-addresses.ts).
 * - Groups, policies and bans claim no quota; policies go with their namespace.
 * - `managedFields` is stored as given (none given on replace: kept); a replace that changes
 *   nothing writes nothing; `dryRun`: checked as the write, nothing stored (dry-run.ts).
 */
import { type Ctx, newId } from "../core/context";
import type { EngineCore } from "../core/core";
import { EngineError } from "../core/errors";
import { checkResourceVersion, checkTenant, inNamespace, mustFind, type Page, paginate } from "../core/lookup";
import type { LabelSelector } from "../kinds/label-selector";
import { type NetworkPolicyInput, type NetworkPolicyObject, networkPolicySchema } from "../kinds/network-policy";
import { PORT_BAN_OWNER, type PortBan, type PortBanInput, type PortBanSpec, portBanSchema } from "../kinds/port-ban";
import {
  type SecurityGroupObject,
  type SecurityGroupObjectInput,
  securityGroupData,
  securityGroupFromInput,
  securityGroupSchema,
} from "../kinds/security-group";
import { parseInput } from "../kinds/validation";
import {
  assertValidNetworkPolicy,
  assertValidSecurityGroup,
  blocklistProblems,
  type BlocklistEntry,
  compileGroupAttachments,
  effectivePolicyTypes,
  type FieldProblem,
  invalidObjectError,
  MAX_BLOCKLIST_ENTRIES,
  type NetworkPolicySpec,
  SECURITY_GROUP_KIND,
  type SecurityGroup,
  tooMany,
} from "../network/security";
import { commandOrDryRun, type DryRunOption } from "./dry-run";
import { namespaceForWrite } from "./namespace-commands";
import type { ListOptions, NamespacedListOptions, NamespaceOption } from "./queries";
import { putReplacement, storedMap } from "./replace-object";

const forbidResourceVersion = (rv: number | undefined) => {
  if (rv !== undefined)
    throw new EngineError("INVALID", "resourceVersion: Forbidden: may not be set on objects to be created");
};

/** A selector as Kubernetes stores it: empty lists and maps left out (`podSelector: {}` selects all). */
function cleanSelector(s: LabelSelector | undefined): LabelSelector | undefined {
  if (s === undefined) return undefined;
  return {
    ...(s.matchLabels && Object.keys(s.matchLabels).length > 0 ? { matchLabels: s.matchLabels } : {}),
    ...(s.matchExpressions && s.matchExpressions.length > 0 ? { matchExpressions: s.matchExpressions } : {}),
  };
}

/** A parsed policy spec as the API server stores it: policyTypes defaulted, selectors cleaned. */
function normalisePolicySpec(raw: NetworkPolicyInput["spec"] & {}): NetworkPolicySpec {
  type Peer = { podSelector?: LabelSelector; namespaceSelector?: LabelSelector; ipBlock?: unknown };
  const peer = (p: Peer) => ({
    ...(p.podSelector ? { podSelector: cleanSelector(p.podSelector) } : {}),
    ...(p.namespaceSelector ? { namespaceSelector: cleanSelector(p.namespaceSelector) } : {}),
    ...(p.ipBlock ? { ipBlock: p.ipBlock } : {}),
  });
  // Kubernetes stores a port's protocol as TCP when it is left out; `get -o yaml` shows it so.
  type Port = { protocol?: unknown };
  const ports = (r: { ports?: Port[] }) =>
    r.ports ? { ports: r.ports.map((p) => ({ ...p, protocol: p.protocol ?? "TCP" })) } : {};
  const spec = {
    podSelector: cleanSelector(raw.podSelector) ?? {},
    ...(raw.ingress
      ? { ingress: raw.ingress.map((r) => ({ ...r, ...ports(r), ...(r.from ? { from: r.from.map(peer) } : {}) })) }
      : {}),
    ...(raw.egress
      ? { egress: raw.egress.map((r) => ({ ...r, ...ports(r), ...(r.to ? { to: r.to.map(peer) } : {}) })) }
      : {}),
  } as NetworkPolicySpec;
  const policyTypes = raw.policyTypes as NetworkPolicySpec["policyTypes"];
  return { ...spec, policyTypes: policyTypes && policyTypes.length > 0 ? policyTypes : effectivePolicyTypes(spec) };
}

/** The groups that apply to a pod, by name; `refusal`: they exceed the limits (the pod is kept from its network). */
export interface PodSecurityGroups {
  groups: string[];
  refusal?: string;
}

export function securityCommands(core: EngineCore) {
  const ctx: Ctx = core.ctx;
  const { state } = ctx;
  const limits = () => ctx.securityState.limits;

  function groupsOf(tenantId: string): SecurityGroup[] {
    return state.ofTenant("SecurityGroup", tenantId).map(securityGroupData);
  }

  /**
   * Validates `group` as the tenant's group set would be with it, and that no addressed pod of the tenant would get more groups or rules than a pod may have.
   */
  function checkGroup(tenantId: string, group: SecurityGroup): void {
    const others = groupsOf(tenantId).filter((g) => g.name !== group.name);
    const knownGroups = new Set([...others.map((g) => g.name), group.name]);
    assertValidSecurityGroup(group, { limits: limits(), knownGroups });
    const attachments = compileGroupAttachments([...others, group], limits());
    for (const pod of state.ofTenant("Pod", tenantId)) {
      if (pod.podIP === undefined) continue;
      const r = attachments.resolve({ namespace: pod.namespace, labels: pod.labels, podName: pod.name });
      if (!r.ok) {
        const field = group.podSelector !== undefined ? "spec.podSelector" : "spec.defaultForNamespaces";
        throw invalidObjectError(SECURITY_GROUP_KIND, group.name, [
          { field, message: `${field}: Forbidden: ${r.message}` },
        ]);
      }
    }
  }

  /** The tenant's addressed pods each group applies to now (from the committed state, so a standby answers too). */
  function attachedCounts(tenantId: string): Map<string, number> {
    const attachments = compileGroupAttachments(groupsOf(tenantId), limits());
    const counts = new Map<string, number>();
    for (const pod of state.ofTenant("Pod", tenantId)) {
      if (pod.podIP === undefined) continue;
      const r = attachments.resolve({ namespace: pod.namespace, labels: pod.labels, podName: pod.name });
      if (r.ok) for (const g of r.groups) counts.set(g, (counts.get(g) ?? 0) + 1);
    }
    return counts;
  }

  const withStatus = (g: SecurityGroupObject, counts: Map<string, number>): SecurityGroupObject => ({
    ...g,
    status: { attachedPods: counts.get(g.name) ?? 0 },
  });

  function parseGroup(tenantId: string, input: unknown) {
    checkTenant(tenantId);
    return parseInput(securityGroupSchema, input ?? {}, "securityGroup");
  }

  function parsePolicy(tenantId: string, input: unknown) {
    checkTenant(tenantId);
    return parseInput(networkPolicySchema, input ?? {}, "networkPolicy");
  }

  return {
    createSecurityGroup: (
      tenantId: string,
      input: SecurityGroupObjectInput,
      opts: DryRunOption = {},
    ): Promise<SecurityGroupObject> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parseGroup(tenantId, input);
        forbidResourceVersion(parsed.resourceVersion);
        const group = securityGroupFromInput(parsed.name, parsed.spec);
        checkGroup(tenantId, group);
        if (state.byName("SecurityGroup", tenantId, parsed.name))
          throw new EngineError("CONFLICT", `securitygroups.cloud.tenant.io "${parsed.name}" already exists`);
        const { name: _, ...spec } = group;
        return state.put({
          kind: "SecurityGroup",
          id: newId(ctx, "SecurityGroup", "sg"),
          tenantId,
          name: parsed.name,
          labels: storedMap(parsed.labels),
          annotations: storedMap(parsed.annotations),
          spec,
          ...(parsed.managedFields?.length ? { managedFields: parsed.managedFields } : {}),
          generation: 1,
          createdAt: ctx.clock.now(),
          resourceVersion: 0,
        });
      }),

    /** Replace labels, annotations and spec, as a Kubernetes PUT. */
    replaceSecurityGroup: (
      tenantId: string,
      input: SecurityGroupObjectInput,
      opts: DryRunOption = {},
    ): Promise<SecurityGroupObject> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parseGroup(tenantId, input);
        const existing = mustFind(state, "SecurityGroup", tenantId, parsed.name);
        checkResourceVersion(existing, parsed.resourceVersion);
        const group = securityGroupFromInput(existing.name, parsed.spec);
        checkGroup(tenantId, group);
        const { name: _, ...spec } = group;
        return putReplacement(state, existing, parsed, spec);
      }),

    deleteSecurityGroup: (
      tenantId: string,
      name: string,
      opts: DryRunOption & { resourceVersion?: number } = {},
    ): Promise<void> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const group = mustFind(state, "SecurityGroup", checkTenant(tenantId), name);
        checkResourceVersion(group, opts.resourceVersion);
        const referrer = state
          .ofTenant("SecurityGroup", tenantId)
          .filter((g) => g.name !== group.name)
          .find((g) =>
            [...g.spec.ingressRules, ...g.spec.egressRules].some((r) => r.remoteSecurityGroup === group.name),
          );
        if (referrer)
          throw new EngineError(
            "CONFLICT",
            `securitygroups.cloud.tenant.io "${group.name}" is in use: a rule of security group "${referrer.name}" names it as remoteSecurityGroup; remove that rule first`,
          );
        state.remove("SecurityGroup", group.id);
      }),

    listSecurityGroups(tenantId: string, opts: ListOptions = {}): Page<SecurityGroupObject> {
      const page = paginate(state.ofTenant("SecurityGroup", checkTenant(tenantId)), (g) => g.name, opts);
      const counts = attachedCounts(tenantId);
      return { ...page, items: page.items.map((g) => withStatus(g, counts)) };
    },

    getSecurityGroup(tenantId: string, name: string): SecurityGroupObject {
      const group = mustFind(state, "SecurityGroup", checkTenant(tenantId), name);
      return withStatus(group, attachedCounts(tenantId));
    },

    podSecurityGroups(tenantId: string, podRef: string, opts: NamespaceOption = {}): PodSecurityGroups {
      const pod = mustFind(state, "Pod", checkTenant(tenantId), podRef, opts.namespace);
      const r = ctx.securityState.resolveGroups(pod);
      return r.ok ? { groups: [...r.groups] } : { groups: [...r.groups], refusal: r.message };
    },

    createNetworkPolicy: (
      tenantId: string,
      input: NetworkPolicyInput,
      opts: DryRunOption = {},
    ): Promise<NetworkPolicyObject> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parsePolicy(tenantId, input);
        forbidResourceVersion(parsed.resourceVersion);
        const namespace = namespaceForWrite(ctx, tenantId, parsed.namespace);
        const spec = normalisePolicySpec(parsed.spec);
        assertValidNetworkPolicy({ name: parsed.name, namespace, spec });
        if (state.byName("NetworkPolicy", tenantId, parsed.name, namespace))
          throw new EngineError("CONFLICT", `networkpolicies.networking.k8s.io "${parsed.name}" already exists`);
        return state.put({
          kind: "NetworkPolicy",
          id: newId(ctx, "NetworkPolicy", "netpol"),
          tenantId,
          namespace,
          name: parsed.name,
          labels: storedMap(parsed.labels),
          annotations: storedMap(parsed.annotations),
          spec,
          ...(parsed.managedFields?.length ? { managedFields: parsed.managedFields } : {}),
          generation: 1,
          createdAt: ctx.clock.now(),
          resourceVersion: 0,
        });
      }),

    replaceNetworkPolicy: (
      tenantId: string,
      input: NetworkPolicyInput,
      opts: DryRunOption = {},
    ): Promise<NetworkPolicyObject> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parsePolicy(tenantId, input);
        const existing = mustFind(state, "NetworkPolicy", tenantId, parsed.name, parsed.namespace);
        checkResourceVersion(existing, parsed.resourceVersion);
        const spec = normalisePolicySpec(parsed.spec);
        assertValidNetworkPolicy({ name: existing.name, namespace: existing.namespace, spec });
        return putReplacement(state, existing, parsed, spec);
      }),

    deleteNetworkPolicy: (
      tenantId: string,
      name: string,
      opts: NamespaceOption & DryRunOption & { resourceVersion?: number } = {},
    ): Promise<void> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const policy = mustFind(state, "NetworkPolicy", checkTenant(tenantId), name, opts.namespace);
        checkResourceVersion(policy, opts.resourceVersion);
        state.remove("NetworkPolicy", policy.id);
      }),

    listNetworkPolicies(tenantId: string, opts: NamespacedListOptions = {}): Page<NetworkPolicyObject> {
      const inNs = inNamespace(state, checkTenant(tenantId), opts.namespace);
      return paginate(state.ofTenant("NetworkPolicy", tenantId).filter(inNs), (o) => `${o.namespace}/${o.name}`, opts);
    },

    getNetworkPolicy: (tenantId: string, name: string, opts: NamespaceOption = {}): NetworkPolicyObject =>
      mustFind(state, "NetworkPolicy", checkTenant(tenantId), name, opts.namespace),

    listPortBans(): PortBan[] {
      return state.ofTenant("PortBan", PORT_BAN_OWNER).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },

    addPortBan: (input: PortBanInput, opts: DryRunOption = {}): Promise<PortBan> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parseInput(portBanSchema, input ?? {}, "portBan");
        if (parsed.resourceVersion !== undefined)
          throw new EngineError("INVALID", "resourceVersion: Forbidden: may not be set on objects to be created");
        const spec = checkedPortBanSpec(parsed, state.count("PortBan") + 1);
        if (state.byName("PortBan", PORT_BAN_OWNER, parsed.name))
          throw new EngineError("CONFLICT", `portbans.cloud.tenant.io "${parsed.name}" already exists`);
        return state.put({
          kind: "PortBan",
          id: newId(ctx, "PortBan", "pb"),
          tenantId: PORT_BAN_OWNER,
          name: parsed.name,
          labels: storedMap(parsed.labels),
          annotations: storedMap(parsed.annotations),
          spec,
          ...(parsed.managedFields?.length ? { managedFields: parsed.managedFields } : {}),
          generation: 1,
          createdAt: ctx.clock.now(),
          resourceVersion: 0,
        });
      }),

    replacePortBan: (input: PortBanInput, opts: DryRunOption = {}): Promise<PortBan> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const parsed = parseInput(portBanSchema, input ?? {}, "portBan");
        const existing = mustFind(state, "PortBan", PORT_BAN_OWNER, parsed.name);
        checkResourceVersion(existing, parsed.resourceVersion);
        return putReplacement(state, existing, parsed, checkedPortBanSpec(parsed, state.count("PortBan")));
      }),

    removePortBan: (name: string, opts: DryRunOption & { resourceVersion?: number } = {}): Promise<void> =>
      commandOrDryRun(core, opts.dryRun, () => {
        const ban = mustFind(state, "PortBan", PORT_BAN_OWNER, name);
        checkResourceVersion(ban, opts.resourceVersion);
        state.remove("PortBan", ban.id);
      }),
  };
}

type ParsedPortBan = ReturnType<typeof parseInput<typeof portBanSchema>>;

/** A ban's stored spec, or INVALID naming each field (and the cluster's limit when `entriesAfter` exceeds it). */
function checkedPortBanSpec(parsed: ParsedPortBan, entriesAfter: number): PortBanSpec {
  const entry = {
    id: parsed.name,
    protocol: parsed.spec.protocol,
    portRangeMin: parsed.spec.portRangeMin,
    portRangeMax: parsed.spec.portRangeMax ?? parsed.spec.portRangeMin,
    ...(parsed.spec.scope !== undefined ? { scope: parsed.spec.scope } : {}),
    reason: parsed.spec.reason,
  } as BlocklistEntry;
  const problems: FieldProblem[] = blocklistProblems([entry]).map((p) => {
    const field = p.field === "spec.entries[0].id" ? "metadata.name" : p.field.replace("spec.entries[0].", "spec.");
    return { field, message: p.message.replaceAll(p.field, field) };
  });
  if (entriesAfter > MAX_BLOCKLIST_ENTRIES) problems.push(tooMany("portbans", entriesAfter, MAX_BLOCKLIST_ENTRIES));
  if (problems.length > 0) throw invalidObjectError("PortBan.cloud.tenant.io", parsed.name, problems);
  const { id: _, ...spec } = entry;
  return spec;
}
