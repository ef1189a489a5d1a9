import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getPageSession } from "@/app/_lib/session";
import { adminNav } from "@/components/console/nav";
import { Shell } from "@/components/console/shell";

export const dynamic = "force-dynamic";

/** The operators' dashboard. Anyone else gets a plain 404: tenants never learn it exists. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await getPageSession();
  if (!session) redirect("/sign-in");
  if (!session.user.isOperator) notFound();
  return (
    <Shell
      area="admin"
      nav={adminNav}
      user={{ email: session.user.email, isOperator: session.user.isOperator }}
      tenants={session.tenants}
      current={session.current}
    >
      {children}
    </Shell>
  );
}
