/**
 * Whose rows a query may read: one tenant's, or (operators only) every tenant's. Query
 * functions take a required scope instead of a nullable tenant id, so that forgetting the
 * tenant is a type error rather than a read across tenants.
 */
export type Scope = { readonly kind: "tenant"; readonly tenantId: string } | { readonly kind: "operator" };

export const tenantScope = (tenantId: string): Scope => ({ kind: "tenant", tenantId });
export const operatorScope: Scope = { kind: "operator" };

/**
 * Rows that belong to no tenant (the cluster's own, e.g. billing's reconciliation events):
 * a third, explicit meaning for the few tables that have such rows. Functions that can read
 * them take `Scope | ClusterScope`.
 */
export type ClusterScope = { readonly kind: "cluster" };
export const clusterScope: ClusterScope = { kind: "cluster" };

/** The tenant a scope is limited to, or null for the operator scope. */
export function scopedTenant(scope: Scope): string | null {
  return scope.kind === "tenant" ? scope.tenantId : null;
}
