import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminMonitoring } from "@/components/monitoring/admin-monitoring";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminMonitoring"))("title") };
}

export default function Page() {
  return <AdminMonitoring />;
}
