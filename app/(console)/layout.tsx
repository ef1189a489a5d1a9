import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getPageSession } from "@/app/_lib/session";
import { tenantNav } from "@/components/console/nav";
import { Shell } from "@/components/console/shell";
import { NoTenantGate } from "@/components/console/no-tenant-gate";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await getPageSession();
  if (!session) redirect("/sign-in");
  return (
    <Shell
      area="tenant"
      nav={tenantNav}
      user={{ email: session.user.email, isOperator: session.user.isOperator }}
      tenants={session.tenants}
      current={session.current}
    >
      <NoTenantGate hasTenant={session.current !== null}>{children}</NoTenantGate>
    </Shell>
  );
}
