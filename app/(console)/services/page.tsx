import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ServicesPage } from "@/components/services/services-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("services") };
}

export default function Page() {
  return <ServicesPage />;
}
