import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { GroupDetail } from "@/components/security/group-detail";

/** Next hands params over already decoded; proxy.ts refuses undecodable paths. */
type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: (await getTranslations("security.detail"))("title", { name }) };
}

export default async function Page({ params }: Props) {
  const { name } = await params;
  return <GroupDetail name={name} />;
}
