import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { NamespacesPage } from "@/components/namespaces/namespaces-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("namespaces"))("title") };
}

export default function Page() {
  return <NamespacesPage />;
}
