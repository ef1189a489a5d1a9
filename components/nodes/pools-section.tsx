"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorNote, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc";
import { CreatePoolDialog, PoolDialog, type PoolRow } from "./pool-dialog";

/**
 * The tenant's node pools; admins create, resize and delete them. A machine type is fixed for
 * a pool's life, so changing it means a new pool (and deleting the old one once it is empty).
 */
export function PoolsSection({ isAdmin, nodeCount }: { isAdmin: boolean; nodeCount: Map<string, number> }) {
  const t = useTranslations("nodesPage");
  const tc = useTranslations("cluster");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pools = useQuery(trpc.nodePools.list.queryOptions({ limit: 100 }));
  const [editing, setEditing] = useState<PoolRow | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const remove = useMutation(
    trpc.nodePools.delete.mutationOptions({
      onSettled: () => {
        setDeleting(null);
        void queryClient.invalidateQueries({ queryKey: trpc.nodePools.list.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.nodes.list.queryKey() });
      },
    }),
  );
  const items = pools.data?.items ?? [];

  return (
    <section aria-labelledby="pools-title" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="pools-title" className="text-lg font-semibold">
          {t("poolsTitle")}
        </h2>
        {isAdmin ? (
          <Button
            variant="secondary"
            onClick={() => {
              remove.reset();
              setCreating(true);
            }}
          >
            {t("newPool")}
          </Button>
        ) : null}
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{isAdmin ? t("poolsHintAdmin") : t("poolsHint")}</p>
      <ErrorNote message={remove.error?.message} />
      {pools.isPending ? (
        <SkeletonRows rows={2} />
      ) : pools.error ? (
        <ErrorNote message={pools.error.message} />
      ) : items.length === 0 ? (
        <EmptyState title={t("poolsEmpty")}>{isAdmin ? t("poolsEmptyAdmin") : t("poolsEmptyBody")}</EmptyState>
      ) : (
        <Table
          caption={t("poolsTitle")}
          head={[
            t("pool"),
            t("machineType"),
            t("minSize"),
            t("maxSize"),
            t("warmPool"),
            t("poolNodes"),
            isAdmin ? t("actions") : "",
          ]}
          actions={isAdmin}
        >
          {items.map((p) => (
            <tr key={p.id}>
              <Td className="font-medium">
                <span id={`pool-${p.id}`}>{p.name}</span>
              </Td>
              <Td className="whitespace-nowrap">
                <span className="font-mono text-xs">{p.machineType}</span>{" "}
                <span className="text-xs text-zinc-500">{tc(`machine.${p.machineType}`)}</span>
              </Td>
              <Td className="tabular-nums">{p.minSize}</Td>
              <Td className="tabular-nums">{p.maxSize}</Td>
              <Td className="tabular-nums">{p.warmPoolSize}</Td>
              <Td className="tabular-nums">{nodeCount.get(p.id) ?? 0}</Td>
              <Td>
                {isAdmin ? (
                  <div className="flex flex-nowrap gap-1 whitespace-nowrap">
                    <Button
                      variant="secondary"
                      aria-describedby={`pool-${p.id}`}
                      onClick={() =>
                        setEditing({ name: p.name, machineType: p.machineType, minSize: p.minSize, maxSize: p.maxSize })
                      }
                    >
                      {t("editPool")}
                    </Button>
                    <Button
                      variant="ghost"
                      aria-describedby={`pool-${p.id}`}
                      onClick={() => {
                        remove.reset();
                        setDeleting(p.name);
                      }}
                    >
                      {t("deletePool")}
                    </Button>
                  </div>
                ) : null}
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <PoolDialog pool={editing} onClose={() => setEditing(null)} />
      <CreatePoolDialog open={creating} existing={items.map((p) => p.name)} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={deleting !== null}
        title={t("deletePoolTitle", { pool: deleting ?? "" })}
        body={t("deletePoolBody", { pool: deleting ?? "" })}
        actionLabel={t("deletePool")}
        confirmText={deleting ?? undefined}
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate({ name: deleting })}
      />
    </section>
  );
}
