"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Badge, EmptyState, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc";
import { Pager, SearchBox } from "./list-controls";
import { useCursorPages } from "./use-cursor-pages";

const pageSize = 25;

/** Every account of the installation; operators grant and withdraw operator rights here. */
export function AdminUsers() {
  const t = useTranslations("admin.users");
  const nav = useTranslations("nav");
  const format = useFormatter();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const pages = useCursorPages();
  const me = useQuery(trpc.session.me.queryOptions());
  const list = useQuery({
    ...trpc.admin.users.queryOptions({ limit: pageSize, cursor: pages.cursor, search: pages.search || undefined }),
    placeholderData: keepPreviousData,
  });
  const [changing, setChanging] = useState<{ id: string; email: string; isOperator: boolean } | null>(null);
  const setOperator = useMutation(
    trpc.admin.setOperator.mutationOptions({
      onSuccess: (_data, input) => {
        // Someone who removed their own rights can no longer see this dashboard.
        if (!input.isOperator && input.id === me.data?.user.id) router.refresh();
      },
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.admin.users.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.admin.overview.queryKey() }),
        ]),
    }),
  );

  return (
    <div className="space-y-6">
      <PageHeader title={nav("adminUsers")} description={t("description")} />
      <SearchBox label={t("search")} hint={t("searchHint")} onSearch={pages.applySearch} />
      <ErrorNote message={setOperator.error?.message} />
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
            caption={nav("adminUsers")}
            head={[t("email"), t("name"), t("role"), t("created"), t("actions")]}
            actions
          >
            {list.data.items.map((u) => (
              <tr key={u.id}>
                <Td className="font-medium">
                  <span id={`user-${u.id}`}>{u.email}</span>
                </Td>
                <Td>{u.name}</Td>
                <Td>{u.isOperator ? <Badge tone="warn">{t("operator")}</Badge> : null}</Td>
                <Td className="whitespace-nowrap">{format.dateTime(u.createdAt, { dateStyle: "medium" })}</Td>
                <Td>
                  <Button
                    variant="ghost"
                    aria-describedby={`user-${u.id}`}
                    disabled={setOperator.isPending}
                    onClick={() => {
                      setOperator.reset();
                      setChanging({ id: u.id, email: u.email, isOperator: !u.isOperator });
                    }}
                  >
                    {u.isOperator ? t("removeOperator") : t("makeOperator")}
                  </Button>
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
      <ConfirmDialog
        open={changing !== null}
        title={
          changing?.isOperator
            ? t("makeTitle", { email: changing.email })
            : t("removeTitle", { email: changing?.email ?? "" })
        }
        body={
          changing?.isOperator
            ? t("makeBody", { email: changing.email })
            : t("removeBody", { email: changing?.email ?? "" })
        }
        actionLabel={changing?.isOperator ? t("makeOperator") : t("removeOperator")}
        busy={setOperator.isPending}
        onCancel={() => setChanging(null)}
        onConfirm={() => {
          if (changing) setOperator.mutate({ id: changing.id, isOperator: changing.isOperator });
          setChanging(null);
        }}
      />
    </div>
  );
}
