import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminTokens } from "@/components/admin/admin-tokens";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("adminTokens") };
}

export default function Page() {
  return <AdminTokens />;
}
