import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminAudit } from "@/components/admin/admin-audit";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("adminAudit") };
}

/** `?tenant=<id>` opens the log filtered to one tenant (linked from the tenants table). */
export default async function Page({ searchParams }: { searchParams: Promise<{ tenant?: string | string[] }> }) {
  const { tenant } = await searchParams;
  const initial = typeof tenant === "string" ? tenant.slice(0, 64) : "";
  return <AdminAudit key={initial} initialTenant={initial} />;
}
