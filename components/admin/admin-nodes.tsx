"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { NodeCapacityCells } from "@/components/nodes/capacity-cells";
import { useState } from "react";
import { NodeFlags, NodePhaseBadge } from "@/components/nodes/badges";
import { EngineClock } from "@/components/nodes/engine-clock";
import { useEngineNow } from "@/components/nodes/use-engine-now";
import { useFormatAge } from "@/components/use-format-age";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SelectField } from "@/components/ui/field";
import { EmptyState, ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc";
import { Pager, SearchBox } from "./list-controls";
import { useCursorPages } from "./use-cursor-pages";
import { minLiveRefresh } from "@/components/live/query-meta";

const pageSize = 50;

/** A failure drill in progress: what was done to which node, until the node shows the outcome. */
type Drill = { kind: "inject" | "recover"; id: string; name: string };

/** Every node of the cluster with its tenant, searchable by name; failure injection and recovery for drills. */
export function AdminNodes() {
  const t = useTranslations("adminNodes");
  const nav = useTranslations("nav");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pages = useCursorPages();
  const now = useEngineNow();
  const age = useFormatAge();
  const [tenantId, setTenantId] = useState("");
  const tenants = useQuery(trpc.cluster.tenants.queryOptions(undefined, { meta: minLiveRefresh(15_000) }));
  const list = useQuery({
    ...trpc.cluster.nodes.queryOptions({
      limit: pageSize,
      cursor: pages.cursor,
      tenantId: tenantId || undefined,
      search: pages.search || undefined,
    }),
    placeholderData: keepPreviousData,
  });
  const names = new Map((tenants.data ?? []).map((u) => [u.tenantId, u.tenantName]));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.cluster.nodes.queryKey() });
  const [failing, setFailing] = useState<{ id: string; name: string } | null>(null);
  const [drill, setDrill] = useState<Drill | null>(null);
  const inject = useMutation(
    trpc.cluster.injectNodeFailure.mutationOptions({
      onSuccess: (_d, v) => setDrill({ kind: "inject", id: v.id, name: failing?.name ?? "" }),
      onSettled: () => {
        setFailing(null);
        void refresh();
      },
    }),
  );
  const recover = useMutation(
    trpc.cluster.recoverNode.mutationOptions({
      onSuccess: (_d, v) =>
        setDrill({ kind: "recover", id: v.id, name: list.data?.items.find((n) => n.id === v.id)?.name ?? "" }),
      onSettled: refresh,
    }),
  );
  // The notice lasts while the node has not shown the outcome yet (NotReady after a failure, Ready after recovery).
  const drilled = drill ? list.data?.items.find((n) => n.id === drill.id) : undefined;
  const notice =
    drill && drilled
      ? drill.kind === "inject" && drilled.phase !== "NotReady"
        ? t("injected", { node: drill.name })
        : drill.kind === "recover" && drilled.phase !== "Ready"
          ? t("recovered", { node: drill.name })
          : null
      : null;

  return (
    <div className="space-y-6">
      <PageHeader title={nav("adminNodes")} description={t("description")} actions={<EngineClock />} />
      <SearchBox label={t("search")} hint={t("searchHint")} onSearch={pages.applySearch} />
      <div className="max-w-md">
        <SelectField
          label={t("tenantFilter")}
          hint={t("tenantFilterHint")}
          value={tenantId}
          onChange={(e) => {
            setTenantId(e.target.value);
            pages.applySearch(pages.search);
          }}
        >
          <option value="">{t("allTenants")}</option>
          {(tenants.data ?? []).map((u) => (
            <option key={u.tenantId} value={u.tenantId}>
              {u.tenantName ? `${u.tenantName} — ${u.tenantId}` : u.tenantId}
            </option>
          ))}
        </SelectField>
      </div>
      <ErrorNote message={inject.error?.message ?? recover.error?.message} />
      {notice ? <Notice>{notice}</Notice> : null}
      {list.isPending ? (
        <SkeletonRows rows={8} />
      ) : list.error && !list.data ? (
        <ErrorNote message={list.error.message} />
      ) : list.data.items.length === 0 && pages.page === 1 ? (
        <EmptyState title={t("empty")}>
          {pages.search ? t("emptySearch") : tenantId ? t("emptyFiltered") : t("emptyBody")}
        </EmptyState>
      ) : (
        <div className="space-y-3">
          <ErrorNote message={list.error?.message} />
          <Table
            caption={nav("adminNodes")}
            head={[t("tenant"), t("node"), t("phase"), t("cpu"), t("memory"), t("pods"), t("age"), t("actions")]}
            actions
          >
            {list.data.items.map((n) => (
              <tr key={n.id}>
                <Td>
                  <div className="font-medium">{names.get(n.tenantId) ?? "—"}</div>
                  <div className="max-w-[11rem] truncate font-mono text-xs text-zinc-500" title={n.tenantId}>
                    {n.tenantId}
                  </div>
                </Td>
                <Td>
                  <div className="whitespace-nowrap font-mono text-xs font-medium" id={`anode-${n.id}`}>
                    {n.name}
                  </div>
                  <div className="mt-1 min-h-5">
                    <NodeFlags node={n} />
                  </div>
                </Td>
                <Td>
                  <NodePhaseBadge phase={n.phase} />
                </Td>
                <NodeCapacityCells node={n} />
                <Td className="whitespace-nowrap tabular-nums">{now ? age(n.createdAt, now) : "—"}</Td>
                <Td>
                  <div className="flex flex-nowrap gap-1 whitespace-nowrap">
                    <Button
                      variant="danger"
                      aria-describedby={`anode-${n.id}`}
                      disabled={n.agentFailed}
                      onClick={() => setFailing({ id: n.id, name: n.name })}
                    >
                      {t("inject")}
                    </Button>
                    {/* Something to recover: a failure injected, or a node that stopped answering. */}
                    <Button
                      variant="secondary"
                      className="disabled:opacity-50"
                      aria-describedby={`anode-${n.id}`}
                      disabled={recover.isPending || !(n.agentFailed || n.phase === "NotReady")}
                      title={n.agentFailed || n.phase === "NotReady" ? undefined : t("nothingToRecover")}
                      onClick={() => recover.mutate({ id: n.id })}
                    >
                      {t("recover")}
                    </Button>
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
      <ConfirmDialog
        open={failing !== null}
        title={t("injectTitle", { node: failing?.name ?? "" })}
        body={t("injectBody", { node: failing?.name ?? "" })}
        actionLabel={t("inject")}
        confirmText={failing?.name}
        busy={inject.isPending}
        onCancel={() => setFailing(null)}
        onConfirm={() => failing && inject.mutate({ id: failing.id })}
      />
    </div>
  );
}
