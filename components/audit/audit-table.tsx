"use client";
import { useFormatter, useTranslations } from "next-intl";
import type { AuditRow } from "@/db/queries/audit";
import { Button } from "@/components/ui/button";
import { Badge, EmptyState, ErrorNote, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";

/** What the table needs from an infinite query over audit pages (`useInfiniteQuery`'s result fits). */
export interface AuditFeed {
  data: { pages: { items: AuditRow[] }[] } | undefined;
  isPending: boolean;
  error: { message: string } | null;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** The audit log as a table with "Load more", shared by the tenant page and the admin dashboard. */
export function AuditTable({
  feed,
  showTenant = false,
  emptyBody,
}: {
  feed: AuditFeed;
  showTenant?: boolean;
  emptyBody?: string;
}) {
  const t = useTranslations("audit");
  const format = useFormatter();
  if (feed.isPending) return <SkeletonRows rows={8} />;
  if (feed.error && !feed.data) return <ErrorNote message={feed.error.message} />;
  const rows = feed.data?.pages.flatMap((p) => p.items) ?? [];
  if (rows.length === 0) return <EmptyState title={t("empty")}>{emptyBody ?? t("emptyBody")}</EmptyState>;

  const via = (v: string) =>
    v === "session" ? t("viaSession") : v.startsWith("token:") ? t("viaToken", { name: v.slice(6) }) : v;
  const head = [t("time"), t("actor"), ...(showTenant ? [t("tenant")] : []), t("action"), t("target"), t("outcome")];

  return (
    <div className="space-y-3">
      <Table caption={t("title")} head={head}>
        {rows.map((row) => (
          <tr key={row.id}>
            <Td className="whitespace-nowrap">
              <time dateTime={row.at.toISOString()}>
                {format.dateTime(row.at, { dateStyle: "medium", timeStyle: "medium" })}
              </time>
            </Td>
            <Td>
              <div>{row.actorEmail ?? t("system")}</div>
              <div className="text-xs text-zinc-500 dark:text-zinc-400">{via(row.via)}</div>
            </Td>
            {showTenant ? (
              <Td>
                <code className="font-mono text-xs">{row.tenantId ?? "—"}</code>
              </Td>
            ) : null}
            <Td>
              <code className="font-mono text-xs">{row.action}</code>
            </Td>
            <Td className="max-w-64 truncate">
              <span title={row.target ?? undefined}>{row.target ?? "—"}</span>
            </Td>
            <Td>
              {row.outcome === "success" ? (
                <Badge tone="good">{t("success")}</Badge>
              ) : (
                <Badge tone="bad">{t("failure")}</Badge>
              )}
            </Td>
          </tr>
        ))}
      </Table>
      <ErrorNote message={feed.error?.message} />
      <div className="flex min-h-9 items-center justify-center">
        {feed.hasNextPage ? (
          <Button variant="secondary" disabled={feed.isFetchingNextPage} onClick={() => feed.fetchNextPage()}>
            {feed.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
          </Button>
        ) : (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">{t("end")}</p>
        )}
      </div>
    </div>
  );
}
