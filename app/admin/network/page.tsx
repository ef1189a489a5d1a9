import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminNetworkPage } from "@/components/admin/network/admin-network-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("adminNetwork") };
}

export default function Page() {
  return <AdminNetworkPage />;
}
