"use client";
/**
 * The tenant's security groups as a paged table: name (to its rule editor), inbound and
 * outbound rule counts, the pods it applies to now, and how it attaches (a selector, the
 * default of namespaces, or nothing yet). Refreshed by the live change stream, never polled.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorNote, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { linkClass, Pager, useCursorPager } from "@/components/workloads/common";
import type { SecurityGroupView } from "@/server/trpc/views/security-groups";

const PAGE_SIZE = 50;

function Attachment({ group }: { group: SecurityGroupView }) {
  const t = useTranslations("security.list");
  if (group.selector !== undefined)
    return (
      <span className="font-mono text-xs">
        {group.selector}
        {group.namespaces?.length ? (
          <span className="block text-zinc-500">{t("inNamespaces", { namespaces: group.namespaces.join(", ") })}</span>
        ) : null}
      </span>
    );
  if (group.defaultForNamespaces?.length)
    return <span className="text-xs">{t("defaultFor", { namespaces: group.defaultForNamespaces.join(", ") })}</span>;
  return <span className="text-xs text-zinc-500">{t("notAttached")}</span>;
}

export function GroupTable({
  canWrite,
  onDelete,
}: {
  canWrite: boolean;
  onDelete: (group: SecurityGroupView) => void;
}) {
  const t = useTranslations("security.list");
  const trpc = useTRPC();
  const pager = useCursorPager("groups");
  const input = { limit: PAGE_SIZE, ...(pager.cursor ? { cursor: pager.cursor } : {}) };
  const list = useQuery(trpc.security.list.queryOptions(input, { placeholderData: keepPreviousData }));

  if (list.isPending) return <SkeletonRows rows={3} />;
  if (list.error) return <ErrorNote message={t("loadError", { message: list.error.message })} />;
  if (list.data.items.length === 0 && !pager.hasPrevious)
    return (
      <EmptyState title={t("emptyTitle")}>
        {canWrite ? (
          <>
            <p>{t("emptyBody")}</p>
            <p className="mt-3">
              <Link href="/security-groups/new" className={linkClass}>
                {t("create")}
              </Link>
            </p>
          </>
        ) : (
          t("emptyBodyViewer")
        )}
      </EmptyState>
    );
  return (
    <>
      <Table
        caption={t("caption")}
        head={[t("col.name"), t("col.inbound"), t("col.outbound"), t("col.pods"), t("col.attach"), t("col.actions")]}
        actions
      >
        {list.data.items.map((g) => {
          const nameId = `sg-${g.uid}`;
          return (
            <tr key={g.uid}>
              <Td>
                <Link
                  id={nameId}
                  href={`/security-groups/${encodeURIComponent(g.name)}`}
                  className={`${linkClass} font-mono text-xs`}
                >
                  {g.name}
                </Link>
              </Td>
              <Td className="tabular-nums">{g.ingressRules.length}</Td>
              <Td className="tabular-nums">{g.egressRules.length}</Td>
              <Td className="tabular-nums">{g.attachedPods}</Td>
              <Td>
                <Attachment group={g} />
              </Td>
              <Td>
                {canWrite ? (
                  <Button variant="ghost" aria-describedby={nameId} onClick={() => onDelete(g)}>
                    {t("delete")}
                  </Button>
                ) : null}
              </Td>
            </tr>
          );
        })}
      </Table>
      <Pager
        page={pager.page}
        hasPrevious={pager.hasPrevious}
        nextCursor={list.data.nextCursor}
        onNext={pager.next}
        onPrevious={pager.previous}
      />
    </>
  );
}
