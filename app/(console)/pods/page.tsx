import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { SkeletonRows } from "@/components/ui/panel";
import { PodsPage } from "@/components/pods/pods-page";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("pods") };
}

export default function Page() {
  return (
    <Suspense fallback={<SkeletonRows rows={6} />}>
      <PodsPage />
    </Suspense>
  );
}
