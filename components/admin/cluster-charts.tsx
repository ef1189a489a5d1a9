"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useId } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { niceTicks } from "@/components/format";
import type { ClusterSample } from "@/server/cluster/history";

const palette = ["#0284c7", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#db2777", "#0891b2", "#65a30d"];
const axis = { fill: "currentColor", fontSize: 11 };
const tooltipStyle = {
  backgroundColor: "rgb(24 24 27 / 0.92)",
  border: "none",
  borderRadius: 6,
  color: "#fafafa",
  fontSize: 12,
};

/** Scheduler throughput and queue depths over the last hour (10 s samples), with titled figures and hover tooltips. */
export function ClusterCharts({ samples }: { samples: ClusterSample[] }) {
  const t = useTranslations("adminCluster");
  const format = useFormatter();
  const throughputId = useId();
  const queuesId = useId();
  const queueNames = [...new Set(samples.flatMap((s) => Object.keys(s.queues)))].sort();
  const data = samples.map((s) => ({
    at: s.at,
    scheduled: +s.scheduledPerSecond.toFixed(2),
    pending: s.pending,
    ...s.queues,
  }));
  const time = (at: number) => format.dateTime(at, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const last = samples[samples.length - 1];
  const queueTotal = last ? Object.values(last.queues).reduce((a, b) => a + b, 0) : 0;
  // Rates read in round steps (0, 0.5, 1, …), not 0.095 and 0.19.
  const rate = niceTicks(Math.max(0, ...data.map((d) => d.scheduled)));
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      <figure
        aria-labelledby={throughputId}
        className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <figcaption id={throughputId} className="mb-1 text-sm font-semibold text-zinc-700 dark:text-zinc-300">
          {t("throughputTitle")}
        </figcaption>
        <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">
          {last
            ? t("throughputNow", {
                rate: format.number(last.scheduledPerSecond, { maximumFractionDigits: 1 }),
                pending: last.pending,
              })
            : t("noSamples")}
        </p>
        <div className="h-64 text-zinc-600 dark:text-zinc-400">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} desc={t("throughputDesc")}>
              <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
              <XAxis dataKey="at" tickFormatter={time} tick={axis} stroke="currentColor" minTickGap={40} />
              <YAxis
                yAxisId="rate"
                tick={axis}
                stroke="currentColor"
                width={48}
                domain={[0, rate.ticks[rate.ticks.length - 1]!]}
                ticks={rate.ticks}
                tickFormatter={(v: number) => format.number(v, { maximumFractionDigits: rate.digits })}
                label={{
                  value: t("podsPerSecond"),
                  angle: -90,
                  position: "insideLeft",
                  fill: "currentColor",
                  fontSize: 11,
                }}
              />
              <YAxis
                yAxisId="pending"
                orientation="right"
                tick={axis}
                stroke="currentColor"
                width={48}
                allowDecimals={false}
                label={{
                  value: t("pendingAxis"),
                  angle: 90,
                  position: "insideRight",
                  fill: "currentColor",
                  fontSize: 11,
                }}
              />
              <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => time(Number(v))} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <Line
                yAxisId="rate"
                type="monotone"
                dataKey="scheduled"
                name={t("scheduledSeries")}
                stroke={palette[0]}
                dot={false}
                strokeWidth={2}
                isAnimationActive={false}
              />
              <Line
                yAxisId="pending"
                type="monotone"
                dataKey="pending"
                name={t("pendingSeries")}
                stroke={palette[2]}
                dot={false}
                strokeWidth={1.5}
                strokeDasharray="4 3"
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure
        aria-labelledby={queuesId}
        className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <figcaption id={queuesId} className="mb-1 text-sm font-semibold text-zinc-700 dark:text-zinc-300">
          {t("queuesTitle")}
        </figcaption>
        <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">
          {last ? t("queuesNow", { total: queueTotal }) : t("noSamples")}
        </p>
        <div className="h-64 text-zinc-600 dark:text-zinc-400">
          <ResponsiveContainer width="100%" height="100%">
            <AreaChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} desc={t("queuesDesc")}>
              <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
              <XAxis dataKey="at" tickFormatter={time} tick={axis} stroke="currentColor" minTickGap={40} />
              <YAxis
                tick={axis}
                stroke="currentColor"
                width={48}
                allowDecimals={false}
                label={{ value: t("keys"), angle: -90, position: "insideLeft", fill: "currentColor", fontSize: 11 }}
              />
              <Tooltip contentStyle={tooltipStyle} labelFormatter={(v) => time(Number(v))} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {queueNames.map((q, i) => (
                <Area
                  key={q}
                  type="monotone"
                  dataKey={q}
                  name={q}
                  stackId="queues"
                  stroke={palette[i % palette.length]}
                  fill={palette[i % palette.length]}
                  fillOpacity={0.35}
                  isAnimationActive={false}
                />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        </div>
      </figure>
    </div>
  );
}
