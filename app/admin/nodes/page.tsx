import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminNodes } from "@/components/admin/admin-nodes";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("adminNodes") };
}

export default function Page() {
  return <AdminNodes />;
}
