import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { MembersPage } from "@/components/members/members-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("members") };
}

export default function Page() {
  return <MembersPage />;
}
