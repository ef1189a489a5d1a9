import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { InvoiceView } from "@/components/billing/invoice-view";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("billing"))("invoice") };
}

/** Next hands params over already decoded (decoding again broke on "%"); proxy.ts refuses undecodable paths. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <InvoiceView id={id.slice(0, 64)} />;
}
