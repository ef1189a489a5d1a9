"use client";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { CreateTenantForm } from "@/components/tenants/create-tenant-form";

/** A person with no tenant yet is asked to create one, whatever page they opened. */
export function NoTenantGate({ hasTenant, children }: { hasTenant: boolean; children: ReactNode }) {
  const pathname = usePathname();
  if (hasTenant || pathname === "/tenants/new") return <>{children}</>;
  return <CreateTenantForm first />;
}
