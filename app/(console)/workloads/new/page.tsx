import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DeploymentWizard } from "@/components/workloads/deployment-wizard";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("workloads.wizard"))("title") };
}

export default function Page() {
  return <DeploymentWizard />;
}
