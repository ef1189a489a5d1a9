import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ServiceDetail } from "@/components/services/service-detail";

/** Next hands params over already decoded; proxy.ts refuses undecodable paths. */
type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: (await getTranslations("services"))("metaTitle", { name }) };
}

export default async function Page({ params }: Props) {
  const { name } = await params;
  return <ServiceDetail name={name} />;
}
