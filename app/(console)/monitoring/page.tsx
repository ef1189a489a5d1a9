import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { MonitoringPage } from "@/components/monitoring/monitoring-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("monitoring") };
}

export default function Page() {
  return <MonitoringPage />;
}
