"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { formatCores } from "@/components/format";
import { formatGiB, UsageBar } from "@/components/nodes/usage-bar";
import { Button } from "@/components/ui/button";
import { Card, EmptyState, ErrorNote, Notice, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { useTRPC } from "@/components/trpc";
import { EngineClock } from "@/components/nodes/engine-clock";
import { ClusterCharts } from "./cluster-charts";
import { TenantUsageTable } from "./tenant-usage-table";

/** Installation-wide counts, the engine's capacity and usage by tenant, queue and throughput charts, and the demo loader. */
export function AdminOverview() {
  const t = useTranslations("admin.overview");
  const tc = useTranslations("adminCluster");
  const cl = useTranslations("cluster");
  const nav = useTranslations("nav");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overview = useQuery(trpc.admin.overview.queryOptions());
  // Kept fresh by the operators' live stream (components/live/invalidation.ts, clusterRules).
  const stats = useQuery(trpc.cluster.stats.queryOptions());
  const history = useQuery(trpc.cluster.history.queryOptions());
  const tenants = useQuery(trpc.cluster.tenants.queryOptions());
  const demo = useMutation(
    trpc.cluster.loadDemo.mutationOptions({
      onSettled: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.cluster.stats.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.cluster.tenants.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.admin.overview.queryKey() });
      },
    }),
  );
  const data = overview.data;
  const s = stats.data;
  const counts = [
    { label: t("tenants"), value: data?.tenants },
    { label: t("users"), value: data?.users },
    { label: t("operators"), value: data?.operators },
    { label: t("database"), value: data ? t(`databaseKinds.${data.database}`) : undefined },
    {
      label: tc("nodes"),
      value: s ? `${s.nodes}` : undefined,
      note: s
        ? (["Ready", "NotReady", "Provisioning"] as const)
            .map((p) => `${cl(`nodePhase.${p}`)} ${s.nodesByPhase[p] ?? 0}`)
            .join(" · ") + ` · ${cl("warm")} ${s.nodesByPhase.warm ?? 0}`
        : undefined,
    },
    {
      label: tc("pods"),
      value: s ? `${s.pods}` : undefined,
      note: s
        ? (["Running", "Pending", "Failed"] as const)
            .map((p) => `${cl(`podPhase.${p}`)} ${s.podsByPhase[p] ?? 0}`)
            .join(" · ")
        : undefined,
    },
    { label: tc("deployments"), value: s ? `${s.deployments}` : undefined },
    { label: tc("pendingTenants"), value: s ? `${s.scheduler.tenantsWithPending}` : undefined },
  ];
  return (
    <div className="space-y-6">
      <PageHeader
        title={nav("adminOverview")}
        description={t("description")}
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <EngineClock />
            <Button onClick={() => demo.mutate({})} disabled={demo.isPending}>
              {demo.isPending ? tc("loadingDemo") : tc("loadDemo")}
            </Button>
          </div>
        }
      />
      {demo.isPending ? (
        <div
          role="status"
          className="space-y-2 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-100"
        >
          <p>{tc("demoProgress")}</p>
          <div
            role="progressbar"
            aria-label={tc("loadDemo")}
            className="h-1.5 w-full overflow-hidden rounded-full bg-sky-200 dark:bg-sky-900"
          >
            <div className="h-full w-1/3 animate-pulse rounded-full bg-sky-600" />
          </div>
        </div>
      ) : demo.data ? (
        <Notice>
          {demo.data.tenants.length === 0
            ? tc("demoNone")
            : tc("demoLoaded", { count: demo.data.tenants.length, tenants: demo.data.tenants.join(", ") })}
        </Notice>
      ) : null}
      <ErrorNote message={demo.error?.message ?? overview.error?.message ?? stats.error?.message} />
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {counts.map((c) => (
          <div
            key={c.label}
            className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
          >
            <dt className="text-sm text-zinc-600 dark:text-zinc-400">{c.label}</dt>
            <dd
              className="mt-1 h-8 truncate text-2xl font-semibold tabular-nums"
              title={typeof c.value === "string" ? c.value : undefined}
            >
              {c.value === undefined ? (
                <span aria-hidden className="block h-8 w-16 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
              ) : (
                c.value
              )}
            </dd>
            {"note" in c ? (
              <dd className="mt-1 line-clamp-2 h-8 text-xs text-zinc-600 dark:text-zinc-400">{c.note}</dd>
            ) : null}
          </div>
        ))}
      </dl>

      <Card title={tc("capacityTitle")}>
        {s ? (
          <div className="grid gap-4 md:grid-cols-3">
            <UsageBar
              label={tc("cpuAllocated")}
              used={s.allocated.cpuMillis}
              total={s.capacity.cpuMillis}
              text={cl("ofCores", {
                used: formatCores(s.allocated.cpuMillis),
                total: formatCores(s.capacity.cpuMillis),
              })}
            />
            <UsageBar
              label={tc("memoryAllocated")}
              used={s.allocated.memoryBytes}
              total={s.capacity.memoryBytes}
              text={cl("ofGib", { used: formatGiB(s.allocated.memoryBytes), total: formatGiB(s.capacity.memoryBytes) })}
            />
            <UsageBar
              label={tc("podsAllocated")}
              used={s.allocated.pods}
              total={s.capacity.pods}
              text={cl("ofCount", { used: s.allocated.pods, total: s.capacity.pods })}
            />
          </div>
        ) : (
          <div aria-hidden className="h-12 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800" />
        )}
      </Card>

      <section aria-labelledby="charts-title" className="space-y-3">
        <h2 id="charts-title" className="text-lg font-semibold">
          {tc("chartsTitle")}
        </h2>
        {history.isPending ? (
          <div aria-hidden className="h-80 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-800" />
        ) : history.error ? (
          <ErrorNote message={history.error.message} />
        ) : history.data.length === 0 ? (
          <EmptyState title={tc("noSamples")}>{tc("noSamplesBody")}</EmptyState>
        ) : (
          <ClusterCharts samples={history.data} />
        )}
      </section>

      <section aria-labelledby="usage-title" className="space-y-3">
        <h2 id="usage-title" className="text-lg font-semibold">
          {tc("usageTitle")}
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{tc("usageHint")}</p>
        {tenants.isPending ? (
          <SkeletonRows rows={4} />
        ) : tenants.error ? (
          <ErrorNote message={tenants.error.message} />
        ) : tenants.data.length === 0 ? (
          <EmptyState title={tc("noTenants")}>{tc("noTenantsBody")}</EmptyState>
        ) : (
          <TenantUsageTable rows={tenants.data} />
        )}
      </section>
    </div>
  );
}
