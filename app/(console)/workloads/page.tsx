import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { WorkloadsPage } from "@/components/workloads/workloads-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("workloads") };
}

export default function Page() {
  return <WorkloadsPage />;
}
