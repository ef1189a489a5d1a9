/**
 * Which security groups apply to a pod, from the tenant's groups and the pod's namespace and
 * labels. Rules (AWS's SecurityGroupPolicy, where a matching policy replaces the default):
 * - every group whose `podSelector` selects the pod (in its `namespaces`, when given) applies;
 * - when none does, the groups naming the pod's namespace in `defaultForNamespaces` apply;
 * - the result is sorted by name (the order ties between groups are broken in);
 * - more than `groupsPerPod` groups, or more than `rulesPerPod` rules in a direction, is
 *   refused with a message naming the groups and the limit; the lead keeps such a pod from
 *   starting (Pending with an event), as AWS refuses the pod's network interface.
 * Selectors are compiled once per group set (`compileGroupAttachments`), not per pod.
 */
import { type LabelMatcher, type Labels, labelSelectorObjectMatcher } from "../../kinds/label-selector";
import { DEFAULT_SECURITY_LIMITS, type SecurityLimits } from "./limits";
import type { SecurityGroup } from "./security-group";

export interface AttachmentTarget {
  readonly namespace: string;
  readonly labels: Labels;
  /** For the refusal's message. */
  readonly podName?: string;
}

export type GroupResolution =
  | { readonly ok: true; readonly groups: readonly string[] }
  | {
      readonly ok: false;
      readonly code: "too-many-groups" | "too-many-rules";
      /** Every group that would apply, sorted. */
      readonly groups: readonly string[];
      readonly message: string;
    };

interface CompiledAttachment {
  readonly group: SecurityGroup;
  readonly selects: LabelMatcher | undefined;
  readonly namespaces: ReadonlySet<string> | undefined;
  readonly defaultFor: ReadonlySet<string>;
}

export interface GroupAttachments {
  resolve(pod: AttachmentTarget): GroupResolution;
}

/** Compiles the tenant's (valid) groups' attachments. */
export function compileGroupAttachments(
  groups: readonly SecurityGroup[],
  limits: SecurityLimits = DEFAULT_SECURITY_LIMITS,
): GroupAttachments {
  const compiled: CompiledAttachment[] = [...groups]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((group) => ({
      group,
      selects: group.podSelector === undefined ? undefined : labelSelectorObjectMatcher(group.podSelector),
      namespaces: group.namespaces === undefined ? undefined : new Set(group.namespaces),
      defaultFor: new Set(group.defaultForNamespaces ?? []),
    }));
  return {
    resolve(pod) {
      let chosen = compiled.filter(
        (c) => c.selects !== undefined && (c.namespaces?.has(pod.namespace) ?? true) && c.selects(pod.labels),
      );
      if (chosen.length === 0) chosen = compiled.filter((c) => c.defaultFor.has(pod.namespace));
      return checkLimits(
        chosen.map((c) => c.group),
        pod,
        limits,
      );
    },
  };
}

function checkLimits(groups: readonly SecurityGroup[], pod: AttachmentTarget, limits: SecurityLimits): GroupResolution {
  const names = groups.map((g) => g.name);
  const who = pod.podName === undefined ? `a pod in namespace "${pod.namespace}"` : `pod "${pod.podName}"`;
  if (names.length > limits.groupsPerPod)
    return {
      ok: false,
      code: "too-many-groups",
      groups: names,
      message: `${who} would get ${names.length} security groups (${names.join(", ")}); at most ${limits.groupsPerPod} may apply to a pod: narrow a group's podSelector or namespaces`,
    };
  for (const direction of ["ingress", "egress"] as const) {
    const count = groups.reduce((n, g) => n + (direction === "ingress" ? g.ingressRules : g.egressRules).length, 0);
    if (count > limits.rulesPerPod)
      return {
        ok: false,
        code: "too-many-rules",
        groups: names,
        message: `${who} would get ${count} ${direction} rules from its security groups (${names.join(", ")}); at most ${limits.rulesPerPod} may apply to a pod: remove rules or groups`,
      };
  }
  return { ok: true, groups: names };
}

/** One pod's groups (compiles the selectors; use compileGroupAttachments for many pods). */
export function resolvePodSecurityGroups(
  groups: readonly SecurityGroup[],
  pod: AttachmentTarget,
  limits: SecurityLimits = DEFAULT_SECURITY_LIMITS,
): GroupResolution {
  return compileGroupAttachments(groups, limits).resolve(pod);
}
