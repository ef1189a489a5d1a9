import "server-only";
import { headers } from "next/headers";
import { listMembershipsOfUser } from "@/db/queries/tenancy";
import { setSessionTenant } from "@/db/queries/users";
import { resolvePrincipal } from "@/server/auth/principal";
import { getServices } from "@/server/runtime";

/**
 * The signed-in person for a server-rendered page, with their tenants and the current one.
 * A session without a valid current tenant is pointed at the first tenant it belongs to.
 */
export async function getPageSession() {
  const services = await getServices();
  const principal = await resolvePrincipal(services.auth, services.db, await headers()).catch(() => null);
  if (!principal || principal.kind !== "session") return null;
  const tenants = await listMembershipsOfUser(services.db, principal.user.id);
  let current = tenants.find((m) => m.tenantId === principal.activeTenantId) ?? null;
  if (!current && tenants[0]) {
    current = tenants[0];
    await setSessionTenant(services.db, principal.sessionId, current.tenantId);
  }
  return { user: principal.user, tenants, current };
}

export type PageSession = NonNullable<Awaited<ReturnType<typeof getPageSession>>>;
