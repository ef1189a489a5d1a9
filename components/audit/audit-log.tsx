"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { EmptyState, PageHeader } from "@/components/ui/panel";
import { useTRPC } from "@/components/trpc";
import { AuditTable } from "./audit-table";

/** The current tenant's audit log. Members and viewers are refused by the server; they get an explanation. */
export function AuditLog() {
  const t = useTranslations("audit");
  const trpc = useTRPC();
  const feed = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
  );
  const forbidden = feed.error?.data?.code === "FORBIDDEN";
  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} />
      {forbidden ? <EmptyState title={t("forbiddenTitle")}>{t("forbiddenBody")}</EmptyState> : <AuditTable feed={feed} />}
    </div>
  );
}
