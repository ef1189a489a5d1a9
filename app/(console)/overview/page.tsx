import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { getPageSession } from "@/app/_lib/session";
import { Card, EmptyState, PageHeader } from "@/components/ui/panel";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("overview") };
}

export default async function OverviewPage() {
  const t = await getTranslations("overview");
  const roles = await getTranslations("tenants.roles");
  const session = await getPageSession();
  const current = session?.current;
  if (!current) return null;
  return (
    <div className="space-y-6">
      <PageHeader title={current.tenantName} description={t("description")} />
      <div className="grid gap-4 md:grid-cols-2">
        <Card title={t("tenant")}>
          <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
            <dt className="text-zinc-500">{t("tenantId")}</dt>
            <dd className="font-mono">{current.tenantSlug}</dd>
            <dt className="text-zinc-500">{t("yourRole")}</dt>
            <dd>{roles(current.role as "owner")}</dd>
          </dl>
        </Card>
        <Card title={t("modelledTitle")}>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("modelledBody")}</p>
        </Card>
      </div>
      <EmptyState title={t("noWorkloadsTitle")}>{t("noWorkloadsBody")}</EmptyState>
    </div>
  );
}
