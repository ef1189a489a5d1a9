"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useTRPC } from "@/components/trpc";
import { formatBytes, formatCpu } from "@/components/format";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { EngineClock } from "@/components/nodes/engine-clock";
import { Card, EmptyState, ErrorNote, PageHeader, SkeletonRows } from "@/components/ui/panel";
import { Table, Td } from "@/components/ui/table";
import { linkClass, useEngineNow } from "@/components/workloads/common";
import { MetricChart, type Target } from "./metric-chart";
import { metricSets, refreshFor, type MetricSet, type Range } from "./metrics";
import { RangePicker } from "./time-series-chart";
import { minLiveRefresh } from "@/components/live/query-meta";

type Kind = "tenant" | "deployment" | "pod";

/** The tenant's monitoring: a target (tenant, a deployment, a pod), a range, a metric set, and the busiest pods. */
export function MonitoringPage() {
  const t = useTranslations("monitoring");
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>("15m");
  const [auto, setAuto] = useState(true);
  const [kind, setKind] = useState<Kind>("tenant");
  const [object, setObject] = useState("");
  const [set, setSet] = useState<MetricSet>("all");
  const refetch = refreshFor(range, auto);
  const now = useEngineNow();
  // Only the target pickers' names: refreshed by changes, but no more often than they were polled.
  const deployments = useQuery(trpc.deployments.list.queryOptions({ limit: 500 }, { meta: minLiveRefresh(30_000) }));
  const pods = useQuery(trpc.pods.list.queryOptions({ limit: 100 }, { meta: minLiveRefresh(15_000) }));
  const options =
    kind === "deployment"
      ? (deployments.data?.items.map((d) => d.name) ?? [])
      : kind === "pod"
        ? (pods.data?.items.map((p) => p.name) ?? [])
        : [];
  const chosen = kind === "tenant" ? "" : options.includes(object) ? object : (options[0] ?? "");
  const target: Target | null = kind === "tenant" ? { kind: "tenant" } : chosen ? { kind, name: chosen } : null;
  const noPods = pods.data !== undefined && pods.data.items.length === 0;

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} description={t("description")} actions={<EngineClock />} />
      <Card>
        <div className="flex flex-wrap items-end gap-4">
          <div className="w-40">
            <SelectField label={t("controls.target")} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <option value="tenant">{t("controls.kind.tenant")}</option>
              <option value="deployment">{t("controls.kind.deployment")}</option>
              <option value="pod">{t("controls.kind.pod")}</option>
            </SelectField>
          </div>
          {kind !== "tenant" ? (
            <div className="w-64">
              <SelectField
                label={kind === "deployment" ? t("controls.kind.deployment") : t("controls.kind.pod")}
                value={chosen}
                onChange={(e) => setObject(e.target.value)}
                disabled={options.length === 0}
              >
                {options.length === 0 ? <option value="">{t("controls.none")}</option> : null}
                {options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </SelectField>
            </div>
          ) : null}
          <div className="w-44">
            <SelectField
              label={t("controls.metricSet")}
              value={set}
              onChange={(e) => setSet(e.target.value as MetricSet)}
            >
              {(Object.keys(metricSets) as MetricSet[]).map((s) => (
                <option key={s} value={s}>
                  {t(`sets.${s}`)}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="space-y-1">
            <span className="block text-sm font-medium">{t("range.label")}</span>
            <RangePicker value={range} onChange={setRange} />
          </div>
          <Button variant={auto ? "primary" : "secondary"} aria-pressed={auto} onClick={() => setAuto((a) => !a)}>
            {t("controls.autoRefresh")}
          </Button>
          <span className="pb-2 text-xs text-zinc-500 dark:text-zinc-400" aria-live="polite">
            {refetch ? t("controls.refreshEvery", { seconds: refetch / 1000 }) : t("controls.paused")}
          </span>
        </div>
      </Card>

      {noPods ? (
        <EmptyState title={t("empty.noSamplesTitle")}>
          <p>{t("empty.noSamples")}</p>
          <p className="mt-3">
            <Link href="/workloads/new" className={linkClass}>
              {t("empty.createDeployment")}
            </Link>
          </p>
        </EmptyState>
      ) : null}

      {target ? (
        <div className="grid gap-4 xl:grid-cols-2">
          {metricSets[set].map((chart) => (
            <MetricChart
              key={`${JSON.stringify(target)}-${chart}`}
              target={target}
              chart={chart}
              range={range}
              refresh={refetch}
              now={now}
            />
          ))}
        </div>
      ) : (
        <EmptyState title={kind === "deployment" ? t("empty.noDeployments") : t("empty.noPods")}>
          <Link href="/workloads/new" className={linkClass}>
            {t("empty.createDeployment")}
          </Link>
        </EmptyState>
      )}

      <div className="grid gap-4 xl:grid-cols-2">
        <TopPods by="cpu" refetch={auto ? 10_000 : false} />
        <TopPods by="memory" refetch={auto ? 10_000 : false} />
      </div>
    </div>
  );
}

function TopPods({ by, refetch }: { by: "cpu" | "memory"; refetch: number | false }) {
  const t = useTranslations("monitoring.top");
  const trpc = useTRPC();
  const top = useQuery(trpc.monitoring.top.queryOptions({ by, limit: 10 }, { meta: minLiveRefresh(refetch) }));
  const title = by === "cpu" ? t("byCpu") : t("byMemory");
  const max = Math.max(1, ...(top.data ?? []).map((r) => r.value));
  return (
    <Card title={title}>
      <div className="min-h-48">
        {top.isPending ? (
          <SkeletonRows rows={4} />
        ) : top.error ? (
          <ErrorNote message={top.error.message} />
        ) : top.data.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("empty")}</p>
        ) : (
          <Table caption={title} head={[t("pod"), by === "cpu" ? t("cpu") : t("memory"), ""]}>
            {top.data.map((r) => (
              <tr key={r.podId}>
                <Td>
                  <Link href={`/pods/${encodeURIComponent(r.podName)}`} className={`${linkClass} font-mono text-xs`}>
                    {r.podName}
                  </Link>
                </Td>
                <Td className="tabular-nums">{by === "cpu" ? formatCpu(r.value) : formatBytes(r.value)}</Td>
                <Td className="w-1/3">
                  <div aria-hidden className="h-2 rounded bg-zinc-100 dark:bg-zinc-800">
                    <div
                      className="h-2 rounded bg-sky-600"
                      style={{ width: `${Math.round((r.value / max) * 100)}%` }}
                    />
                  </div>
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </div>
    </Card>
  );
}
