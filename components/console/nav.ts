/** The console's navigation, in one place. */
export const tenantNav = [
  { href: "/overview", key: "overview" },
  { href: "/namespaces", key: "namespaces" },
  { href: "/workloads", key: "workloads" },
  { href: "/pods", key: "pods" },
  { href: "/config", key: "config" },
  { href: "/services", key: "services" },
  { href: "/networks", key: "networks" },
  { href: "/public-ips", key: "publicIps" },
  { href: "/security-groups", key: "securityGroups" },
  { href: "/nodes", key: "nodes" },
  { href: "/monitoring", key: "monitoring" },
  { href: "/billing", key: "billing" },
  { href: "/members", key: "members" },
  { href: "/tokens", key: "tokens" },
  { href: "/audit", key: "audit" },
] as const;

export const adminNav = [
  { href: "/admin", key: "adminOverview" },
  { href: "/admin/tenants", key: "adminTenants" },
  { href: "/admin/users", key: "adminUsers" },
  { href: "/admin/nodes", key: "adminNodes" },
  { href: "/admin/network", key: "adminNetwork" },
  { href: "/admin/monitoring", key: "adminMonitoring" },
  { href: "/admin/billing", key: "adminBilling" },
  { href: "/admin/tokens", key: "adminTokens" },
  { href: "/admin/audit", key: "adminAudit" },
] as const;

export type NavKey = (typeof tenantNav)[number]["key"] | (typeof adminNav)[number]["key"];
