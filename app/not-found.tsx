import { getTranslations } from "next-intl/server";
import { ErrorView } from "@/components/console/error-view";

/** Any address with no page (and the admin dashboard for non-operators): styled, translated, with a way back. */
export default async function NotFound() {
  const t = await getTranslations("notFound");
  return (
    <main className="min-h-screen bg-zinc-50 dark:bg-zinc-950">
      <ErrorView code="404" title={t("title")} body={t("body")} backHref="/" backLabel={t("back")} />
    </main>
  );
}

export async function generateMetadata() {
  const t = await getTranslations("notFound");
  return { title: t("title") };
}
