import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminTenants } from "@/components/admin/admin-tenants";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("adminTenants") };
}

export default function Page() {
  return <AdminTenants />;
}
