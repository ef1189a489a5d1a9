import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ComingLater } from "@/components/console/coming-later";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("billing") };
}

export default function Page() {
  return <ComingLater page="billing" />;
}
