"use client";
import { useQueries } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { useTRPC } from "@/components/trpc";
import { isNotFound } from "@/components/workloads/common";
import { chartDefs, type ChartId, type Range } from "./metrics";
import { TimeSeriesChart, type ChartMarker, type ChartReference, type ChartSeries } from "./time-series-chart";
import { minLiveRefresh } from "@/components/live/query-meta";

/** What a tenant chart is about (the API's target). */
export type Target =
  | { kind: "tenant" }
  | { kind: "deployment"; name: string }
  | { kind: "revision"; deployment: string; revision: number }
  | { kind: "pod"; name: string }
  | { kind: "container"; pod: string; container: string }
  | { kind: "node"; name: string };

interface SeriesResult {
  stepMs: number;
  points: { t: number; value: number; max: number }[];
}

/** Combines one query per line into what the chart needs; NOT_FOUND (no samples yet for a container) reads as empty. */
function combine(
  results: LineResult[],
  labels: { key: string; label: string }[],
): { series: ChartSeries[]; stepMs: number | undefined; isPending: boolean; error: string | null } {
  const error = results.find((r) => r.error && !isNotFound(r.error))?.error as { message?: string } | undefined;
  const isPending = results.some((r) => r.isPending && !r.error);
  return {
    series: results.map((r, i) => ({ key: labels[i]!.key, label: labels[i]!.label, points: r.data?.points ?? [] })),
    stepMs: results.find((r) => r.data)?.data?.stepMs,
    isPending,
    error: error ? (error.message ?? String(error)) : null,
  };
}

/** How a chart of one metric group looks, whichever API its lines come from. */
export interface ChartViewProps {
  chart: ChartId;
  range: Range;
  now: number | null;
  testId?: string;
  title?: string;
  references?: ChartReference[];
  markers?: ChartMarker[];
  headerExtra?: ReactNode;
  empty?: ReactNode;
  size?: "sm" | "md";
}

type LineResult = { data?: SeriesResult; isPending: boolean; error: unknown };

/** A chart of one metric group (e.g. network: received and sent) from one query result per line, in the group's order. */
export function LinesChart({ results, ...props }: ChartViewProps & { results: LineResult[] }) {
  const t = useTranslations("monitoring");
  const def = chartDefs[props.chart];
  const c = combine(
    results,
    def.lines.map((l) => ({ key: l.metric, label: t(`series.${l.label}`) })),
  );
  return (
    <TimeSeriesChart
      testId={props.testId ?? props.chart}
      title={props.title ?? t(`charts.${props.chart}`)}
      unit={def.unit}
      series={c.series}
      stepMs={c.stepMs}
      range={props.range}
      now={props.now}
      references={props.references}
      markers={props.markers}
      isPending={c.isPending}
      error={c.error}
      empty={props.empty ?? t("empty.noSamples")}
      headerExtra={props.headerExtra}
      size={props.size}
    />
  );
}

/** A chart of one metric group for a tenant target, refetched as samples land, at most every `refresh` ms (false: paused). */
export function MetricChart({
  target,
  refresh,
  ...props
}: ChartViewProps & { target: Target; refresh: number | false }) {
  const trpc = useTRPC();
  const results = useQueries({
    queries: chartDefs[props.chart].lines.map((l) =>
      trpc.monitoring.series.queryOptions(
        { target, metric: l.metric, range: props.range },
        { meta: minLiveRefresh(refresh), retry: (n, e) => !isNotFound(e) && n < 2 },
      ),
    ),
  });
  return <LinesChart {...props} results={results} />;
}
