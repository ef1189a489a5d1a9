import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminNetwork } from "@/components/security/admin-network";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("adminNetwork") };
}

export default function Page() {
  return <AdminNetwork />;
}
