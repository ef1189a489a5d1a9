import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { BillingPage } from "@/components/billing/billing-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("billing") };
}

export default function Page() {
  return <BillingPage />;
}
