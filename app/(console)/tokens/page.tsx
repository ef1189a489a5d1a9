import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { TokensPage } from "@/components/tokens/tokens-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("tokens") };
}

export default function Page() {
  return <TokensPage />;
}
