import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { NewGroup } from "@/components/security/new-group";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("security.create"))("title") };
}

export default function Page() {
  return <NewGroup />;
}
