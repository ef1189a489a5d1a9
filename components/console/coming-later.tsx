import { getTranslations } from "next-intl/server";
import { EmptyState, PageHeader } from "@/components/ui/panel";

/** A page whose capability is not built yet says so, with no stand-in data. */
export async function ComingLater({ page }: { page: "overview" | "workloads" | "pods" | "nodes" | "monitoring" | "billing" | "adminNodes" }) {
  const t = await getTranslations("later");
  const nav = await getTranslations("nav");
  return (
    <div>
      <PageHeader title={nav(page)} description={t(`${page}.what`)} />
      <EmptyState title={t("title")}>{t(`${page}.when`)}</EmptyState>
    </div>
  );
}
