import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminUsers } from "@/components/admin/admin-users";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("adminUsers") };
}

export default function Page() {
  return <AdminUsers />;
}
