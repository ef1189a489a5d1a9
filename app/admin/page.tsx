import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminOverview } from "@/components/admin/admin-overview";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("adminOverview") };
}

export default function Page() {
  return <AdminOverview />;
}
