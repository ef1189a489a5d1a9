import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DeploymentDetail } from "@/components/workloads/deployment-detail";

/** Next hands params over already decoded (decoding again broke on "%"); proxy.ts refuses undecodable paths. */
type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: (await getTranslations("workloads.detail"))("metaTitle", { name }) };
}

export default async function Page({ params }: Props) {
  const { name } = await params;
  return <DeploymentDetail name={name} />;
}
