import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SecurityGroupsPage } from "@/components/security/security-groups-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("securityGroups") };
}

export default function Page() {
  return <SecurityGroupsPage />;
}
