"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { EmptyState, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { Pager, SearchBox } from "./list-controls";
import { cpuQuantity, memoryQuantity, QuotaDialog, type QuotaTarget } from "./quota-dialog";
import { useCursorPages } from "./use-cursor-pages";

const pageSize = 25;

/** Every tenant of the installation, searchable, a page at a time, with its engine quota (editable). */
export function AdminTenants() {
  const t = useTranslations("admin.tenants");
  const nav = useTranslations("nav");
  const format = useFormatter();
  const trpc = useTRPC();
  const pages = useCursorPages();
  const list = useQuery({
    ...trpc.admin.tenants.queryOptions({ limit: pageSize, cursor: pages.cursor, search: pages.search || undefined }),
    placeholderData: keepPreviousData,
  });
  const tq = useTranslations("adminQuota");
  const usage = useQuery(trpc.cluster.tenants.queryOptions());
  const quotas = new Map((usage.data ?? []).map((u) => [u.tenantId, u.quota]));
  const [editing, setEditing] = useState<QuotaTarget | null>(null);
  const quotaText = (q: QuotaTarget["quota"] | undefined) => {
    if (!usage.data) return "…";
    const parts = [
      q?.cpuMillis !== undefined ? tq("cpuShort", { value: cpuQuantity(q.cpuMillis) }) : null,
      q?.memoryBytes !== undefined ? tq("memoryShort", { value: memoryQuantity(q.memoryBytes) }) : null,
      q?.pods !== undefined ? tq("podsShort", { value: q.pods }) : null,
      q?.nodes !== undefined ? tq("nodesShort", { value: q.nodes }) : null,
      q?.publicIps !== undefined ? tq("publicIpsShort", { value: q.publicIps }) : null,
    ].filter(Boolean);
    return parts.length ? parts.join(" · ") : tq("unlimited");
  };
  return (
    <div className="space-y-6">
      <PageHeader title={nav("adminTenants")} description={t("description")} />
      <SearchBox label={t("search")} hint={t("searchHint")} onSearch={pages.applySearch} />
      {list.isPending ? (
        <SkeletonRows rows={8} />
      ) : list.error && !list.data ? (
        <ErrorNote message={list.error.message} />
      ) : list.data.items.length === 0 && pages.page === 1 ? (
        <EmptyState title={t("empty")}>{t("emptyBody")}</EmptyState>
      ) : (
        <div className="space-y-3">
          <ErrorNote message={list.error?.message} />
          <Table
            caption={nav("adminTenants")}
            head={[t("name"), t("slug"), t("members"), tq("quota"), t("created"), t("actions")]}
            actions
          >
            {list.data.items.map((tenant) => (
              <tr key={tenant.id}>
                <Td className="font-medium">
                  <span id={`tenant-${tenant.id}`}>{tenant.name}</span>
                </Td>
                <Td>
                  <code className="font-mono text-xs">{tenant.slug}</code>
                </Td>
                <Td>{tenant.members}</Td>
                <Td className="whitespace-nowrap text-xs tabular-nums">{quotaText(quotas.get(tenant.id))}</Td>
                <Td className="whitespace-nowrap">{format.dateTime(tenant.createdAt, { dateStyle: "medium" })}</Td>
                <Td>
                  <div className="flex flex-nowrap items-center gap-3 whitespace-nowrap">
                    <Button
                      variant="secondary"
                      aria-describedby={`tenant-${tenant.id}`}
                      disabled={!usage.data}
                      onClick={() =>
                        setEditing({ id: tenant.id, name: tenant.name, quota: quotas.get(tenant.id) ?? {} })
                      }
                    >
                      {tq("edit")}
                    </Button>
                    <Link
                      href={`/admin/audit?tenant=${encodeURIComponent(tenant.id)}`}
                      aria-describedby={`tenant-${tenant.id}`}
                      className="text-sm text-sky-700 underline hover:text-sky-900 dark:text-sky-300 dark:hover:text-sky-100"
                    >
                      {t("viewAudit")}
                    </Link>
                  </div>
                </Td>
              </tr>
            ))}
          </Table>
          <Pager
            page={pages.page}
            hasPrevious={pages.page > 1}
            nextCursor={list.data.nextCursor}
            busy={list.isFetching}
            onPrevious={pages.previous}
            onNext={pages.next}
          />
        </div>
      )}
      <ErrorNote message={usage.error?.message} />
      <QuotaDialog target={editing} onClose={() => setEditing(null)} />
    </div>
  );
}
