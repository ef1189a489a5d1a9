import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getPageSession } from "@/app/_lib/session";
import { OverviewPage } from "@/components/overview/overview-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("overview") };
}

export default async function Page() {
  const session = await getPageSession();
  const current = session?.current;
  if (!current) return null;
  return <OverviewPage tenantName={current.tenantName} />;
}
