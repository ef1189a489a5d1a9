"use client";
/**
 * The tenant's Kubernetes NetworkPolicies in the selected namespace (or every namespace): what
 * each selects, its policy types and rule counts, its YAML (edited there, as Kubernetes' own
 * kinds are) and delete after a confirmation. The engine enforces them together with the
 * security groups: a flow must pass both.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { RowObjectActions } from "@/components/config/object-actions";
import { CreateFromYamlButton } from "@/components/manifest/manifest-actions";
import { useTRPC } from "@/components/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorNote, Notice, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { Pager, useCursorPager } from "@/components/workloads/common";
import type { NetworkPolicyView } from "@/server/trpc/views/security-network-policies";

const PAGE_SIZE = 50;

export function PolicySection({ namespace, canWrite }: { namespace: string | undefined; canWrite: boolean }) {
  const t = useTranslations("security.policies");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pager = useCursorPager(`policies:${namespace ?? "all"}`);
  const input = {
    limit: PAGE_SIZE,
    ...(namespace ? { namespace } : {}),
    ...(pager.cursor ? { cursor: pager.cursor } : {}),
  };
  const list = useQuery(trpc.security.listPolicies.queryOptions(input, { placeholderData: keepPreviousData }));
  const [deleting, setDeleting] = useState<NetworkPolicyView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const remove = useMutation(
    trpc.security.deletePolicy.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.security.listPolicies.queryKey() }),
    }),
  );

  return (
    <section className="space-y-3" aria-label={t("title")}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <p className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("description")}</p>
        {canWrite ? <CreateFromYamlButton starter="NetworkPolicy" /> : null}
      </div>
      <ErrorNote message={remove.error?.message} />
      {notice ? <Notice>{notice}</Notice> : null}
      {list.isPending ? (
        <SkeletonRows rows={3} />
      ) : list.error ? (
        <ErrorNote message={t("loadError", { message: list.error.message })} />
      ) : list.data.items.length === 0 && !pager.hasPrevious ? (
        <EmptyState title={namespace ? t("emptyIn", { namespace }) : t("empty")}>
          {canWrite ? t("emptyBody") : t("emptyBodyViewer")}
        </EmptyState>
      ) : (
        <>
          <Table
            caption={t("caption")}
            head={[t("col.name"), t("col.podSelector"), t("col.types"), t("col.rules"), t("col.actions")]}
            actions
          >
            {list.data.items.map((p) => {
              const nameId = `np-${p.uid}`;
              const target = { kind: "NetworkPolicy", name: p.name, namespace: p.namespace };
              return (
                <tr key={p.uid}>
                  <Td>
                    <span id={nameId} className="block font-mono text-xs font-medium">
                      {p.name}
                    </span>
                    {namespace ? null : <span className="block text-xs text-zinc-500">{p.namespace}</span>}
                  </Td>
                  <Td className="font-mono text-xs">{p.podSelector}</Td>
                  <Td className="text-xs">{p.policyTypes.join(", ")}</Td>
                  <Td className="text-xs tabular-nums">
                    {t("ruleCounts", { ingress: p.ingressRules, egress: p.egressRules })}
                  </Td>
                  <Td>
                    <div className="flex flex-nowrap items-center gap-1 whitespace-nowrap">
                      <RowObjectActions target={target} canWrite={canWrite} describedBy={nameId} />
                      {canWrite ? (
                        <Button
                          variant="ghost"
                          aria-describedby={nameId}
                          onClick={() => {
                            remove.reset();
                            setNotice(null);
                            setDeleting(p);
                          }}
                        >
                          {t("delete")}
                        </Button>
                      ) : null}
                    </div>
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
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={t("deleteTitle", { name: deleting?.name ?? "" })}
        body={t("deleteBody", { name: deleting?.name ?? "", namespace: deleting?.namespace ?? "" })}
        actionLabel={t("delete")}
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) {
            const { name, namespace: inNs, resourceVersion } = deleting;
            remove.mutate(
              { name, namespace: inNs, resourceVersion },
              { onSuccess: () => setNotice(t("deleted", { name })) },
            );
          }
          setDeleting(null);
        }}
      />
    </section>
  );
}
