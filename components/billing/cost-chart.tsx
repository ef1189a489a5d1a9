"use client";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMinor } from "@/server/billing/rating";
import type { ResourceGroup } from "@/server/billing/resources";

const RESOURCE_GROUPS: readonly ResourceGroup[] = ["cpu", "memory", "nodes", "publicIps", "bandwidth"];
const isResourceGroup = (k: string): k is ResourceGroup => (RESOURCE_GROUPS as readonly string[]).includes(k);

const palette = ["#0284c7", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#db2777", "#0891b2", "#65a30d"];
const axis = { fill: "currentColor", fontSize: 11 };
const tooltipStyle = {
  backgroundColor: "rgb(24 24 27 / 0.92)",
  border: "none",
  borderRadius: 6,
  color: "#fafafa",
  fontSize: 12,
};

export interface DailyPoint {
  day: number;
  byResource: Record<string, number>;
  byDeployment: Record<string, number>;
  totalMinor: number;
}

/** Daily cost of the running month as stacked bars, by resource or by deployment. */
export function CostChart({ days, currency }: { days: DailyPoint[]; currency: string }) {
  const t = useTranslations("billing");
  const format = useFormatter();
  const titleId = useId();
  const [by, setBy] = useState<"resource" | "deployment">("resource");
  const keys = [...new Set(days.flatMap((d) => Object.keys(by === "resource" ? d.byResource : d.byDeployment)))].sort();
  // Chart values are whole cents (integers); shown through the exact formatter.
  const data = days.map((d) => ({ day: d.day, ...(by === "resource" ? d.byResource : d.byDeployment) }));
  const money = (v: number) => `${formatMinor(BigInt(Math.round(v)))} ${currency}`;
  const label = (k: string) => (by === "resource" && isResourceGroup(k) ? t(`resource.${k}`) : k);
  return (
    <figure
      aria-labelledby={titleId}
      className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <figcaption id={titleId} className="text-sm font-semibold text-zinc-700 dark:text-zinc-300">
          {t("chartTitle")}
        </figcaption>
        <fieldset aria-label={t("chartBy")} className="flex gap-1 text-xs">
          {(["resource", "deployment"] as const).map((b) => (
            <button
              key={b}
              type="button"
              aria-pressed={by === b}
              onClick={() => setBy(b)}
              className={`rounded-md border px-2 py-1 ${by === b ? "border-sky-600 bg-sky-50 text-sky-800 dark:bg-sky-950 dark:text-sky-200" : "border-zinc-300 dark:border-zinc-700"}`}
            >
              {t(b === "resource" ? "byResource" : "byDeployment")}
            </button>
          ))}
        </fieldset>
      </div>
      <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">{t("chartNote")}</p>
      <div className="h-64 text-zinc-600 dark:text-zinc-400">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} desc={t("chartDesc")}>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} />
            <XAxis
              dataKey="day"
              tickFormatter={(d) => format.dateTime(Number(d), { day: "numeric", timeZone: "UTC" })}
              tick={axis}
              stroke="currentColor"
            />
            <YAxis
              tick={axis}
              stroke="currentColor"
              width={64}
              tickFormatter={(v) => formatMinor(BigInt(Math.round(Number(v))))}
            />
            <Tooltip
              contentStyle={tooltipStyle}
              labelFormatter={(d) => format.dateTime(Number(d), { dateStyle: "medium", timeZone: "UTC" })}
              formatter={(v, name) => [money(Number(v)), String(name)]}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {keys.map((k, i) => (
              <Bar
                key={k}
                dataKey={k}
                name={label(k)}
                stackId="cost"
                fill={palette[i % palette.length]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
