"use client";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { EmptyState, ErrorNote, PageHeader } from "@/components/ui/panel";
import { useTRPC } from "@/components/trpc";

/** Installation-wide counts; the engine's nodes, capacity and queues come later. */
export function AdminOverview() {
  const t = useTranslations("admin.overview");
  const nav = useTranslations("nav");
  const trpc = useTRPC();
  const overview = useQuery(trpc.admin.overview.queryOptions());
  const data = overview.data;
  const stats = [
    { label: t("tenants"), value: data?.tenants },
    { label: t("users"), value: data?.users },
    { label: t("operators"), value: data?.operators },
    { label: t("database"), value: data ? t(`databaseKinds.${data.database}`) : undefined },
  ];
  return (
    <div className="space-y-6">
      <PageHeader title={nav("adminOverview")} description={t("description")} />
      <ErrorNote message={overview.error?.message} />
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {stats.map((s) => (
          <div key={s.label} className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
            <dt className="text-sm text-zinc-600 dark:text-zinc-400">{s.label}</dt>
            <dd className="mt-1 h-8 truncate text-2xl font-semibold" title={typeof s.value === "string" ? s.value : undefined}>
              {s.value === undefined ? (
                overview.isPending ? <span aria-hidden className="block h-8 w-16 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" /> : "—"
              ) : (
                s.value
              )}
            </dd>
          </div>
        ))}
      </dl>
      <EmptyState title={t("engineTitle")}>{t("engineNote")}</EmptyState>
    </div>
  );
}
