"use client";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import { formatBytes, formatCpu, percent } from "@/components/format";
import { SelectField } from "@/components/ui/field";
import { EngineClock } from "@/components/nodes/engine-clock";
import { Card, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { useEngineNow } from "@/components/workloads/common";
import { LinesChart, type ChartViewProps } from "./metric-chart";
import { chartDefs, refreshFor, type Range } from "./metrics";
import { RangePicker, type ChartReference } from "./time-series-chart";
import { minLiveRefresh } from "@/components/live/query-meta";

/** Operators: cluster and node utilisation against capacity, and the busiest tenants right now. */
export function AdminMonitoring() {
  const t = useTranslations("adminMonitoring");
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>("1h");
  const [scope, setScope] = useState("cluster");
  const refetch = refreshFor(range, true);
  const now = useEngineNow();
  const nodes = useQuery(trpc.cluster.nodes.queryOptions({ limit: 500 }, { meta: minLiveRefresh(30_000) }));
  const tenants = useQuery(trpc.cluster.tenants.queryOptions(undefined, { meta: minLiveRefresh(30_000) }));
  const names = new Map((tenants.data ?? []).map((x) => [x.tenantId, x.tenantName ?? x.tenantId]));
  const live = (nodes.data?.items ?? []).filter((n) => !n.warm);
  const node = live.find((n) => n.id === scope);
  const level = node ? ("node" as const) : ("cluster" as const);
  const capacity = node
    ? node.capacity
    : live.reduce(
        (s, n) => ({
          cpuMillis: s.cpuMillis + n.capacity.cpuMillis,
          memoryBytes: s.memoryBytes + n.capacity.memoryBytes,
        }),
        { cpuMillis: 0, memoryBytes: 0 },
      );
  const capacityRef = (value: number): ChartReference[] =>
    value > 0 ? [{ value, label: t("capacity"), tone: "capacity" }] : [];

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} actions={<EngineClock />} />
      <Card>
        <div className="flex flex-wrap items-end gap-4">
          <div className="w-80">
            <SelectField label={t("scope")} value={node ? scope : "cluster"} onChange={(e) => setScope(e.target.value)}>
              <option value="cluster">{t("wholeCluster", { count: live.length })}</option>
              {live.map((n) => (
                <option key={n.id} value={n.id}>
                  {t("nodeOption", { node: n.name, tenant: names.get(n.tenantId) ?? n.tenantId })}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="space-y-1">
            <span className="block text-sm font-medium">{t("range")}</span>
            <RangePicker value={range} onChange={setRange} />
          </div>
        </div>
      </Card>
      <div className="grid gap-4 xl:grid-cols-2">
        <OperatorChart
          chart="cpu"
          level={level}
          nodeId={node?.id}
          range={range}
          refetch={refetch}
          now={now}
          references={capacityRef(capacity.cpuMillis)}
        />
        <OperatorChart
          chart="memory"
          level={level}
          nodeId={node?.id}
          range={range}
          refetch={refetch}
          now={now}
          references={capacityRef(capacity.memoryBytes)}
        />
        <OperatorChart chart="network" level={level} nodeId={node?.id} range={range} refetch={refetch} now={now} />
        <OperatorChart chart="tcp" level={level} nodeId={node?.id} range={range} refetch={refetch} now={now} />
      </div>
      <BusiestTenants capacity={capacity} scoped={!!node} />
    </div>
  );
}

function OperatorChart({
  level,
  nodeId,
  refetch,
  ...props
}: ChartViewProps & { level: "cluster" | "node"; nodeId?: string; refetch: number | false }) {
  const trpc = useTRPC();
  const results = useQueries({
    queries: chartDefs[props.chart].lines.map((l) =>
      trpc.monitoring.clusterSeries.queryOptions(
        { level, ...(level === "node" && nodeId ? { key: nodeId } : {}), metric: l.metric, range: props.range },
        { meta: minLiveRefresh(refetch) },
      ),
    ),
  });
  return <LinesChart {...props} testId={`${level}-${props.chart}`} results={results} />;
}

function BusiestTenants({
  capacity,
  scoped,
}: {
  capacity: { cpuMillis: number; memoryBytes: number };
  scoped: boolean;
}) {
  const t = useTranslations("adminMonitoring");
  const trpc = useTRPC();
  const busiest = useQuery(
    trpc.monitoring.busiestTenants.queryOptions({ limit: 10 }, { meta: minLiveRefresh(10_000) }),
  );
  return (
    <Card title={t("busiest")}>
      <div className="min-h-40">
        {busiest.isPending ? (
          <SkeletonRows rows={4} />
        ) : busiest.error ? (
          <ErrorNote message={busiest.error.message} />
        ) : busiest.data.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("busiestEmpty")}</p>
        ) : (
          <Table
            caption={t("busiest")}
            head={[t("tenant"), t("cpu"), scoped ? "" : t("cpuShare"), t("memory"), scoped ? "" : t("memoryShare")]}
          >
            {busiest.data.map((r) => (
              <tr key={r.tenantId}>
                <Td>{r.tenantName ?? r.tenantId}</Td>
                <Td className="tabular-nums">{formatCpu(r.cpuMillis)}</Td>
                <Td className="tabular-nums">{scoped ? "" : `${percent(r.cpuMillis, capacity.cpuMillis)} %`}</Td>
                <Td className="tabular-nums">{formatBytes(r.memoryBytes)}</Td>
                <Td className="tabular-nums">{scoped ? "" : `${percent(r.memoryBytes, capacity.memoryBytes)} %`}</Td>
              </tr>
            ))}
          </Table>
        )}
      </div>
    </Card>
  );
}
