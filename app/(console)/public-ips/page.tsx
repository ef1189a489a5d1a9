import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PublicIpsPage } from "@/components/public-ips/public-ips-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("publicIps") };
}

export default function Page() {
  return <PublicIpsPage />;
}
