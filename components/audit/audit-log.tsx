"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { EmptyState, ErrorNote, PageHeader } from "@/components/ui/panel";
import { useTRPC } from "@/components/trpc";
import { hasRole } from "@/server/auth/roles";
import { AuditTable } from "./audit-table";

/**
 * The current tenant's audit log (owners and admins). Members and viewers get an explanation
 * instead, without asking the server for what it would refuse them.
 */
export function AuditLog() {
  const t = useTranslations("audit");
  const trpc = useTRPC();
  const current = useQuery(trpc.tenants.current.queryOptions());
  const allowed = current.data ? hasRole(current.data.role, "admin") : undefined;
  const feed = useInfiniteQuery({
    ...trpc.audit.list.infiniteQueryOptions(
      { limit: 50 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
    enabled: allowed === true,
  });
  const forbidden = allowed === false || feed.error?.data?.code === "FORBIDDEN";
  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} />
      {current.error ? (
        <ErrorNote message={current.error.message} />
      ) : forbidden ? (
        <EmptyState title={t("forbiddenTitle")}>{t("forbiddenBody")}</EmptyState>
      ) : (
        <AuditTable feed={feed} />
      )}
    </div>
  );
}
