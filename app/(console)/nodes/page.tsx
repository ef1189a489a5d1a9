import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { NodesPage } from "@/components/nodes/nodes-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("nodes") };
}

export default function Page() {
  return <NodesPage />;
}
