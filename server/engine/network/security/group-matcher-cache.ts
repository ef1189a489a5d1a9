/**
 * Compiled matchers shared by every pod with the same groups (a deployment's replicas share
 * one). Looked up per packet, so the hot path is a WeakMap hit on the port's `groups` array
 * (allocation-free); a new array with known names falls back to a key string. A tenant's
 * entries are dropped by `invalidateTenant` whenever one of its groups changes (a rule edit
 * recompiles only that tenant's group sets, lazily, on their next packet).
 */
import { SecurityGroupMatcher } from "./group-matcher";
import type { SecurityGroup } from "./security-group";

/** A tenant's groups by name (the lead reads them from its state). */
export type TenantGroups = (tenantId: string) => ReadonlyMap<string, SecurityGroup> | undefined;

interface Entry {
  readonly generation: number;
  readonly matcher: SecurityGroupMatcher;
}

const EMPTY = new SecurityGroupMatcher([]);

export class GroupMatcherCache {
  private readonly byArray = new WeakMap<readonly string[], Entry>();
  private readonly byKey = new Map<string, Map<string, SecurityGroupMatcher>>();
  private readonly generations = new Map<string, number>();

  constructor(private readonly groupsOf: TenantGroups) {}

  /**
   * The matcher for these groups of the tenant. A name with no group (deleted since the pod's
   * groups were resolved) compiles as a group without rules: the pod fails closed, denied,
   * until the lead resolves its groups again, rather than becoming unfiltered.
   */
  matcherFor(tenantId: string, groupNames: readonly string[]): SecurityGroupMatcher {
    if (groupNames.length === 0) return EMPTY;
    const generation = this.generations.get(tenantId) ?? 0;
    const hit = this.byArray.get(groupNames);
    if (hit !== undefined && hit.generation === generation) return hit.matcher;
    let perTenant = this.byKey.get(tenantId);
    if (perTenant === undefined) {
      perTenant = new Map();
      this.byKey.set(tenantId, perTenant);
    }
    const key = groupNames.join("\u0000");
    let matcher = perTenant.get(key);
    if (matcher === undefined) {
      const groups = this.groupsOf(tenantId);
      matcher = new SecurityGroupMatcher(
        groupNames.map(
          (name) => groups?.get(name) ?? { name, ingressRules: [], egressRules: [], allowSameGroupTraffic: false },
        ),
      );
      perTenant.set(key, matcher);
    }
    this.byArray.set(groupNames, { generation, matcher });
    return matcher;
  }

  /** Forget the tenant's compiled sets (call when any of its groups is created, changed or deleted). */
  invalidateTenant(tenantId: string): void {
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
    this.byKey.delete(tenantId);
  }
}
