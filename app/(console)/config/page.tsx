import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ConfigPage } from "@/components/config/config-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("config") };
}

export default function Page() {
  return <ConfigPage />;
}
