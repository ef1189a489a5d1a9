"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCanWrite, useCurrentRole } from "@/components/console/use-current-role";
import { useFormatAge } from "@/components/use-format-age";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc";
import { RowObjectActions } from "@/components/config/object-actions";
import { KubectlCommand } from "@/components/manifest/kubectl-command";
import { NodeFlags, NodePhaseBadge } from "./badges";
import { NodeCapacityCells } from "./capacity-cells";
import { EngineClock } from "./engine-clock";
import { MoveNotice, type PodMove } from "./move-notice";
import { MovePodDialog } from "./move-pod-dialog";
import { PoolsSection } from "./pools-section";
import { useEngineNow } from "./use-engine-now";

/** The tenant's VMs and node pools: capacity, cordon/drain, moving a pod; pools editable by admins. */
export function NodesPage() {
  const t = useTranslations("nodesPage");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const role = useCurrentRole();
  const canWrite = useCanWrite();
  const isAdmin = role === "owner" || role === "admin";
  const now = useEngineNow();
  const age = useFormatAge();
  const nodes = useQuery(trpc.nodes.list.queryOptions({ limit: 500 }));
  const pools = useQuery(trpc.nodePools.list.queryOptions({ limit: 100 }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.nodes.list.queryKey() });

  const [drains, setDrains] = useState<Record<string, number>>({});
  const [draining, setDraining] = useState<string | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const [move, setMove] = useState<PodMove | null>(null);

  const cordon = useMutation(trpc.nodes.cordon.mutationOptions({ onSettled: refresh }));
  const uncordon = useMutation(
    trpc.nodes.uncordon.mutationOptions({
      onSuccess: (_d, v) =>
        setDrains((d) => {
          const { [v.name]: _, ...rest } = d;
          return rest;
        }),
      onSettled: refresh,
    }),
  );
  const drain = useMutation(
    trpc.nodes.drain.mutationOptions({
      onSuccess: (data, v) => setDrains((d) => ({ ...d, [v.name]: data.evicted })),
      onSettled: () => {
        setDraining(null);
        void refresh();
      },
    }),
  );
  const actionError = cordon.error ?? uncordon.error ?? drain.error;

  const poolName = new Map((pools.data?.items ?? []).map((p) => [p.id, p.name]));
  const nodeCount = new Map<string, number>();
  for (const n of nodes.data?.items ?? []) if (!n.warm) nodeCount.set(n.poolId, (nodeCount.get(n.poolId) ?? 0) + 1);
  const readyNodes = (nodes.data?.items ?? [])
    .filter((n) => n.phase === "Ready" && !n.unschedulable && !n.warm)
    .map((n) => n.name);

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} actions={<EngineClock />} />

      <PoolsSection isAdmin={isAdmin} nodeCount={nodeCount} />

      <section aria-labelledby="nodes-title" className="space-y-3">
        <h2 id="nodes-title" className="text-lg font-semibold">
          {t("nodesTitle")}
        </h2>
        <div className="max-w-2xl">
          <KubectlCommand command="kubectl get nodes -o wide" />
        </div>
        <ErrorNote message={actionError?.message} />
        <MoveNotice move={move} />
        {nodes.isPending ? (
          <SkeletonRows rows={4} />
        ) : nodes.error ? (
          <ErrorNote message={nodes.error.message} />
        ) : nodes.data.items.length === 0 ? (
          <EmptyState title={t("nodesEmpty")}>{isAdmin ? t("nodesEmptyAdmin") : t("nodesEmptyBody")}</EmptyState>
        ) : (
          <Table
            caption={t("nodesTitle")}
            head={[t("node"), t("phase"), t("pool"), t("cpu"), t("memory"), t("podsCol"), t("age"), t("actions")]}
            actions
          >
            {nodes.data.items.map((n) => {
              const drainStart = drains[n.name] ?? (n.draining ? n.podsRemaining : undefined);
              return (
                <tr key={n.id}>
                  <Td>
                    <div className="whitespace-nowrap font-mono text-xs font-medium" id={`node-${n.id}`}>
                      {n.name}
                    </div>
                    <div className="mt-1 min-h-5">
                      <NodeFlags node={n} />
                    </div>
                    {drainStart !== undefined ? <DrainProgress name={n.name} initial={drainStart} /> : null}
                  </Td>
                  <Td>
                    <NodePhaseBadge phase={n.phase} />
                  </Td>
                  <Td>{poolName.get(n.poolId) ?? "—"}</Td>
                  <NodeCapacityCells node={n} />
                  <Td className="whitespace-nowrap tabular-nums">{now ? age(n.createdAt, now) : "—"}</Td>
                  <Td>
                    <div className="flex flex-nowrap gap-1 whitespace-nowrap">
                      {/* Nodes change through cordon and drain here; their manifest is read-only. */}
                      <RowObjectActions
                        target={{ kind: "Node", name: n.name }}
                        canWrite={false}
                        describedBy={`node-${n.id}`}
                      />
                      {canWrite && !n.warm ? (
                        <>
                          {n.unschedulable ? (
                            <Button
                              variant="secondary"
                              aria-describedby={`node-${n.id}`}
                              disabled={uncordon.isPending}
                              onClick={() => uncordon.mutate({ name: n.name })}
                            >
                              {t("uncordon")}
                            </Button>
                          ) : (
                            <Button
                              variant="secondary"
                              aria-describedby={`node-${n.id}`}
                              disabled={cordon.isPending}
                              onClick={() => cordon.mutate({ name: n.name })}
                            >
                              {t("cordon")}
                            </Button>
                          )}
                          <Button
                            variant="secondary"
                            aria-describedby={`node-${n.id}`}
                            onClick={() => setDraining(n.name)}
                          >
                            {t("drain")}
                          </Button>
                          <Button
                            variant="ghost"
                            className="disabled:opacity-50"
                            aria-describedby={`node-${n.id}`}
                            disabled={n.podsRemaining === 0}
                            onClick={() => setMoving(n.name)}
                          >
                            {t("movePod")}
                          </Button>
                        </>
                      ) : null}
                    </div>
                  </Td>
                </tr>
              );
            })}
          </Table>
        )}
      </section>

      <ConfirmDialog
        open={draining !== null}
        title={t("drainTitle", { node: draining ?? "" })}
        body={t("drainBody", { node: draining ?? "" })}
        actionLabel={t("drain")}
        busy={drain.isPending}
        onCancel={() => setDraining(null)}
        onConfirm={() => draining && drain.mutate({ name: draining })}
      />
      <MovePodDialog
        node={moving}
        targets={readyNodes.filter((name) => name !== moving)}
        onClose={() => setMoving(null)}
        onMoved={(pod, target) => {
          setMoving(null);
          setMove({ pod, node: target });
          void refresh();
        }}
      />
    </div>
  );
}

/** Pods still on a drained node (nodes.get podsRemaining), refetched as its pods go, until none are left. */
function DrainProgress({ name, initial }: { name: string; initial: number }) {
  const t = useTranslations("nodesPage");
  const trpc = useTRPC();
  const node = useQuery(trpc.nodes.get.queryOptions({ name }));
  const remaining = node.data?.podsRemaining ?? initial;
  const total = Math.max(initial, remaining, 1);
  const done = total - remaining;
  return (
    <div className="mt-2 w-40">
      <div
        role="progressbar"
        aria-label={t("drainProgress", { node: name })}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-valuetext={t("podsLeft", { count: remaining })}
        className="h-1.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div
          className="h-full rounded-full bg-emerald-500 transition-[width]"
          style={{ width: `${Math.round((done / total) * 100)}%` }}
        />
      </div>
      <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
        {t("podsLeft", { count: remaining })}
      </p>
    </div>
  );
}
