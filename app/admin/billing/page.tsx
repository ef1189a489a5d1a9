import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminBilling } from "@/components/billing/admin-billing";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("adminBilling"))("title") };
}

export default function Page() {
  return <AdminBilling />;
}
