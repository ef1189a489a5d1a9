import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { NetworksPage } from "@/components/networks/networks-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("networks") };
}

export default function Page() {
  return <NetworksPage />;
}
